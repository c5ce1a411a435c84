using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Threading.Tasks;
using Mesos.Executor.Reference.CommandLine;

namespace Mesos.Executor.Demo.Footprint;

/// <summary>
/// <c>mesos-executor-demo footprint --executor PATH</c>: the measuring harness behind
/// benchmarks/footprint/measure.sh. It plays the agent (a <see cref="Mesos.Executor.Testing.FakeAgent"/>
/// in this process, one per executor) for executor processes started the way a Mesos agent starts
/// them, each in its own cgroup v1 group from its first instruction, and reports (key=value lines):
/// process start to SUBSCRIBE (wall and CPU), peak RSS with a health-checked task, LAUNCH to
/// TASK_RUNNING with and without the custom executor's CPU quota, the CPU of a whole executor life,
/// the CPU per health-check probe and per status update, and the memory of N executors side by side.
/// See benchmarks/footprint/README.md for how each figure is taken.
/// </summary>
internal static class FootprintCommand
{
    private const string AllModes = "startup,steady,launch,whole,probes,updates,executors";

    /// <summary>What the harness measured before the other modes came (measure.sh asks for all of them).</summary>
    private const string DefaultModes = "startup,steady";

    private const string Usage =
        "usage: mesos-executor-demo footprint --executor PATH [--modes " + DefaultModes + " | all | LIST of " + AllModes + "] [--config FILE] [--image IMAGE] [--cgroup-limits]\n"
        + "  [--startup-runs 5] [--duration 60] [--health-interval 1] [--time-output FILE] [--launch-runs 5] [--whole-runs 3]\n"
        + "  [--probe-seconds 20] [--probe-interval 0.1] [--update-seconds 10] [--executors 10] [--settle-seconds 15] [--run-id ID]";

    private static readonly IReadOnlyList<FlagDefinition> Definitions =
    [
        new("executor", FlagKind.Value, "The executor to measure: a binary, or a .dll run with dotnet."),
        new("modes", FlagKind.Value, $"Comma-separated measurements to run, or all (default {DefaultModes}; all: {AllModes})."),
        new("duration", FlagKind.Value, "steady: seconds the health-checked task runs (default 60; 0 skips)."),
        new("startup-runs", FlagKind.Value, "startup: how many cold starts to time (default 5; 0 skips)."),
        new("time-output", FlagKind.Value, "steady: run the executor under /usr/bin/time -v, writing its report here."),
        new("image", FlagKind.Value, $"Docker image (default {DemoTask.DefaultImage})."),
        new("health-interval", FlagKind.Value, "steady: seconds between health checks (default 1)."),
        new("config", FlagKind.Value, "A config.yaml the measured executor reads (passed as its --config)."),
        new("cgroup-limits", FlagKind.Boolean, "Run the executors inside the budget of a custom executor: cpu.cfs_quota_us 10000 per 100000, memory.limit_in_bytes 32 MiB."),
        new("launch-runs", FlagKind.Value, "launch: launches per setting, unconstrained and under the quota (default 5; 0 skips)."),
        new("whole-runs", FlagKind.Value, "whole: executor lives whose CPU is measured (default 3; 0 skips)."),
        new("probe-seconds", FlagKind.Value, "probes: the measured window per run (default 20, a multiple of memory.release_interval; 0 skips)."),
        new("probe-interval", FlagKind.Value, "probes, updates: seconds between checks (default 0.1)."),
        new("update-seconds", FlagKind.Value, "updates: the measured window per run (default 10; 0 skips)."),
        new("executors", FlagKind.Value, "executors: how many executors run side by side (default 10; 0 skips)."),
        new("settle-seconds", FlagKind.Value, "executors: seconds after all tasks run before measuring (default 15)."),
        new("run-id", FlagKind.Value, "Labels the containers and names the cgroups of this run (default: random)."),
    ];

    /// <summary>Runs the measurement.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="output">Where the report goes (key=value lines).</param>
    /// <returns>0 on success.</returns>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output)
    {
        FlagParseResult parsed = FlagParser.Parse(args, Definitions);
        string? executor = parsed.Get("executor");
        string modeList = parsed.Get("modes") ?? DefaultModes;
        HashSet<string> modes = [.. (modeList == "all" ? AllModes : modeList).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        if (executor == null || parsed.Errors.Count > 0 || parsed.Unknown.Count > 0 || parsed.Positional.Count > 0 || !modes.IsSubsetOf(AllModes.Split(',')))
        {
            foreach (string error in parsed.Errors)
            {
                await Console.Error.WriteLineAsync(error);
            }

            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }

        int startupRuns = Int(parsed, "startup-runs", 5);
        double duration = Double(parsed, "duration", 60);
        int launchRuns = Int(parsed, "launch-runs", 5);
        int wholeRuns = Int(parsed, "whole-runs", 3);
        double probeSeconds = Double(parsed, "probe-seconds", 20);
        double updateSeconds = Double(parsed, "update-seconds", 10);
        int executors = Int(parsed, "executors", 10);
        CgroupHierarchy? cgroups = CgroupHierarchy.Find(out string noCgroups);
        var settings = new FootprintSettings
        {
            Executor = executor,
            Config = parsed.Get("config") is { } file ? Path.GetFullPath(file) : null,
            RunId = parsed.Get("run-id") ?? Guid.NewGuid().ToString("N")[..8],
            Image = parsed.Get("image") ?? DemoTask.DefaultImage,
            Cgroups = cgroups,
            Limits = parsed.GetBoolean("cgroup-limits") ?? false,
        };
        if (settings.Limits && (cgroups?.CpuBase == null || cgroups.MemoryBase == null))
        {
            await Console.Error.WriteLineAsync("footprint: --cgroup-limits needs the cgroup v1 cpu and memory controllers" + (cgroups == null ? $": {noCgroups}" : string.Empty));
            return 2;
        }

        output.WriteLine($"executor={Path.GetFullPath(executor)}");
        output.WriteLine($"config={settings.Config ?? "(none: built-in defaults)"}");
        if (!executor.EndsWith(".dll", StringComparison.Ordinal))
        {
            output.WriteLine($"binary_bytes={new FileInfo(executor).Length}");
        }

        output.WriteLine($"run_id={settings.RunId}");
        output.WriteLine(cgroups == null
            ? $"cgroup=none ({noCgroups}): CPU from /proc/<pid>/stat in 10 ms ticks; no limits, no whole-run CPU"
            : $"cgroup=v1 cpuacct={cgroups.CpuacctBase}/{settings.RunId}-<n> cpu={cgroups.CpuBase ?? "(not mounted)"} memory={cgroups.MemoryBase ?? "(not mounted)"}");
        output.WriteLine(settings.Limits
            ? $"cgroup_limits=on cpu.cfs_quota_us={ExecutorCgroup.CfsQuotaMicroseconds} cpu.cfs_period_us={ExecutorCgroup.CfsPeriodMicroseconds} memory.limit_in_bytes={ExecutorCgroup.MemoryLimitBytes}"
            : "cgroup_limits=off");

        int result = 0;
        try
        {
            if (modes.Contains("startup") && startupRuns > 0)
            {
                await StartupMeasurement.RunAsync(settings, startupRuns, output);
            }

            if (modes.Contains("steady") && duration > 0)
            {
                result = await SteadyStateMeasurement.RunAsync(
                    settings, TimeSpan.FromSeconds(duration), Double(parsed, "health-interval", 1), parsed.Get("time-output"), output);
            }

            if (modes.Contains("launch") && launchRuns > 0)
            {
                await LaunchLatencyMeasurement.RunAsync(settings, launchRuns, output);
            }

            if (modes.Contains("whole") && wholeRuns > 0)
            {
                await WholeRunMeasurement.RunAsync(settings, wholeRuns, output);
            }

            if (modes.Contains("probes") && probeSeconds > 0)
            {
                await ProbeCostMeasurement.RunAsync(settings, TimeSpan.FromSeconds(probeSeconds), Double(parsed, "probe-interval", 0.1), output);
            }

            if (modes.Contains("updates") && updateSeconds > 0)
            {
                await UpdateCostMeasurement.RunAsync(settings, TimeSpan.FromSeconds(updateSeconds), Double(parsed, "probe-interval", 0.1), output);
            }

            if (modes.Contains("executors") && executors > 0)
            {
                await ManyExecutorsMeasurement.RunAsync(settings, executors, TimeSpan.FromSeconds(Double(parsed, "settle-seconds", 15)), output);
            }
        }
        catch (OperationCanceledException)
        {
            // The executor's last lines are on stderr already (MeasuredExecutor.DumpLog).
            await Console.Error.WriteLineAsync("footprint: a measurement timed out");
            result = 1;
        }
        finally
        {
            // Normally nothing is left: the executors remove their containers (remove-container hook).
            int left = await DockerCli.RemoveRunContainersAsync(settings.RunId);
            if (left > 0)
            {
                await Console.Error.WriteLineAsync($"footprint: removed {left} container(s) the run left behind");
            }

            cgroups?.RemoveIfEmpty();
        }

        return result;
    }

    private static int Int(FlagParseResult parsed, string name, int fallback) =>
        parsed.Get(name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    private static double Double(FlagParseResult parsed, string name, double fallback) =>
        parsed.Get(name) is { } value ? double.Parse(value, CultureInfo.InvariantCulture) : fallback;
}
