using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Reference.CommandLine;
using Mesos.Executor.Testing;
using Mesos.V1;
using TaskStatus = Mesos.V1.TaskStatus;
using Mesos.V1.Executor;

namespace Mesos.Executor.Demo.Footprint;

/// <summary>
/// <c>mesos-executor-demo footprint --executor PATH</c>: the measuring harness behind
/// benchmarks/footprint/measure.sh. It plays the agent (a <see cref="FakeAgent"/> in this process)
/// for another executor process started the way a Mesos agent starts it, and reports: wall and CPU
/// time from process start to the SUBSCRIBE call; then, with one Docker task and a 1 s HTTP health
/// check running for <c>--duration</c> seconds, the executor's peak RSS sampled from /proc.
/// </summary>
internal static class FootprintCommand
{
    private static readonly IReadOnlyList<FlagDefinition> Definitions =
    [
        new("executor", FlagKind.Value, "The executor to measure: a binary, or a .dll run with dotnet."),
        new("duration", FlagKind.Value, "Seconds the health-checked task runs (default 60)."),
        new("startup-runs", FlagKind.Value, "How many cold starts to time (default 5)."),
        new("time-output", FlagKind.Value, "Run the measured executor under /usr/bin/time -v, writing its report here."),
        new("image", FlagKind.Value, $"Docker image (default {DemoTask.DefaultImage})."),
        new("health-interval", FlagKind.Value, "Seconds between health checks (default 1)."),
        new("config", FlagKind.Value, "A config.yaml the measured executor reads (passed as its --config)."),
    ];

    /// <summary>Runs the measurement.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="output">Where the report goes (key=value lines).</param>
    /// <returns>0 on success.</returns>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output)
    {
        FlagParseResult parsed = FlagParser.Parse(args, Definitions);
        string? executor = parsed.Get("executor");
        if (executor == null || parsed.Errors.Count > 0)
        {
            await Console.Error.WriteLineAsync("usage: mesos-executor-demo footprint --executor PATH [--duration 60] [--startup-runs 5] [--time-output FILE] [--image IMAGE] [--health-interval 1] [--config FILE]");
            return 2;
        }

        double duration = double.Parse(parsed.Get("duration") ?? "60", CultureInfo.InvariantCulture);
        int runs = int.Parse(parsed.Get("startup-runs") ?? "5", CultureInfo.InvariantCulture);
        double interval = double.Parse(parsed.Get("health-interval") ?? "1", CultureInfo.InvariantCulture);
        string image = parsed.Get("image") ?? DemoTask.DefaultImage;
        string runId = Guid.NewGuid().ToString("N")[..8];
        string? config = parsed.Get("config") is { } file ? Path.GetFullPath(file) : null;
        output.WriteLine($"executor={Path.GetFullPath(executor)}");
        output.WriteLine($"config={config ?? "(none: built-in defaults)"}");
        if (!executor.EndsWith(".dll", StringComparison.Ordinal))
        {
            output.WriteLine($"binary_bytes={new FileInfo(executor).Length}");
        }

        var wall = new List<double>();
        var cpu = new List<double>();
        if (runs > 0)
        {
            // Not counted: the harness runs under the JIT, and compiling its own request handling
            // on the first SUBSCRIBE would be timed as the executor's start-up.
            _ = await MeasureStartupAsync(executor, config, runId);
        }

        for (int i = 0; i < runs; i++)
        {
            (TimeSpan w, TimeSpan c, long rss) = await MeasureStartupAsync(executor, config, runId);
            wall.Add(w.TotalMilliseconds);
            cpu.Add(c.TotalMilliseconds);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"startup_run_{i + 1}: wall_ms={w.TotalMilliseconds:F0} cpu_ms={c.TotalMilliseconds:F0} rss_kib_when_subscribed={rss}"));
        }

        if (runs > 0)
        {
            wall.Sort();
            cpu.Sort();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"startup_to_subscribe_wall_ms_median={wall[runs / 2]:F0}"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"startup_to_subscribe_cpu_ms_median={cpu[runs / 2]:F0}"));
        }

        if (duration > 0)
        {
            return await MeasureSteadyStateAsync(executor, config, runId, image, TimeSpan.FromSeconds(duration), interval, parsed.Get("time-output"), output);
        }

        return 0;
    }

    private static async Task<(TimeSpan Wall, TimeSpan Cpu, long RssKiB)> MeasureStartupAsync(string executor, string? config, string runId)
    {
        await using FakeAgent agent = await FakeAgent.StartAsync();
        DirectoryInfo sandbox = Directory.CreateTempSubdirectory("mesos-executor-footprint-");
        try
        {
            DateTimeOffset before = TimeProvider.System.GetUtcNow();
            using Process process = Start(executor, config, null, agent, sandbox.FullName, runId, out ConcurrentQueue<string> log);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            using CancellationTokenRegistration dump = timeout.Token.Register(() => Dump(log));
            RecordedRequest subscribe = await agent.WaitForCallAsync(r => r.Call?.Type == Call.Types.Type.Subscribe, timeout.Token);
            TimeSpan cpu = ProcessStats.CpuTime(process.Id) ?? TimeSpan.Zero;
            await agent.WaitForSubscribeAsync(1, timeout.Token);
            (_, long rss) = ProcessStats.Memory(process.Id);
            await agent.SendShutdownAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            return (subscribe.Timestamp - before, cpu, rss);
        }
        finally
        {
            TryDelete(sandbox);
        }
    }

    private static async Task<int> MeasureSteadyStateAsync(
        string executor, string? config, string runId, string image, TimeSpan duration, double interval, string? timeOutput, TextWriter output)
    {
        await using FakeAgent agent = await FakeAgent.StartAsync();
        DirectoryInfo sandbox = Directory.CreateTempSubdirectory("mesos-executor-footprint-");
        try
        {
            using Process process = Start(executor, config, timeOutput, agent, sandbox.FullName, runId, out ConcurrentQueue<string> log);
            using var timeout = new CancellationTokenSource(duration + TimeSpan.FromSeconds(120));
            using CancellationTokenRegistration dump = timeout.Token.Register(() => Dump(log));
            await agent.WaitForSubscribeAsync(1, timeout.Token);
            int pid = process.Id;
            if (timeOutput != null)
            {
                pid = ProcessStats.FirstChild(process.Id);
            }

            TimeSpan cpuAtSubscribe = ProcessStats.CpuTime(pid) ?? TimeSpan.Zero;
            TaskInfo task = DemoTask.Create("footprint-" + runId, agent.Options.AgentId, image, DemoTask.DefaultCommand(DemoTask.DefaultPort), DemoTask.DefaultPort, interval);
            await agent.SendLaunchAsync(task, timeout.Token);
            await agent.WaitForStatusAsync(task.TaskId.Value, TaskState.TaskRunning, timeout.Token);

            long peak = 0;
            long rssSum = 0;
            int samples = 0;
            long startedAt = TimeProvider.System.GetTimestamp();
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
            while (TimeProvider.System.GetElapsedTime(startedAt) < duration && await timer.WaitForNextTickAsync(timeout.Token))
            {
                (long hwm, long rss) = ProcessStats.Memory(pid);
                peak = Math.Max(peak, hwm);
                rssSum += rss;
                samples++;
            }

            int healthy = 0;
            int unhealthy = 0;
            foreach (TaskStatus status in agent.StatusUpdates)
            {
                if (status.HasHealthy)
                {
                    _ = status.Healthy ? healthy++ : unhealthy++;
                }
            }

            TimeSpan cpuAtEnd = ProcessStats.CpuTime(pid) ?? TimeSpan.Zero;
            await agent.SendKillAsync(task.TaskId, cancellationToken: timeout.Token);
            await agent.WaitForStatusAsync(task.TaskId.Value, TaskState.TaskKilled, timeout.Token);
            await process.WaitForExitAsync(timeout.Token);

            output.WriteLine($"steady_duration_s={duration.TotalSeconds:F0}");
            output.WriteLine($"health_updates: healthy={healthy} unhealthy={unhealthy}");
            output.WriteLine($"peak_rss_kib_vmhwm={peak}");
            output.WriteLine($"mean_rss_kib={(samples == 0 ? 0 : rssSum / samples)}");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cpu_s_while_running={(cpuAtEnd - cpuAtSubscribe).TotalSeconds:F2}"));
            output.WriteLine($"executor_exit_code={process.ExitCode}");
            return process.ExitCode == 0 && healthy > 0 ? 0 : 1;
        }
        finally
        {
            TryDelete(sandbox);
        }
    }

    private static Process Start(string executor, string? config, string? timeOutput, FakeAgent agent, string sandbox, string runId, out ConcurrentQueue<string> log)
    {
        var start = new ProcessStartInfo { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        var arguments = new List<string>();
        if (timeOutput != null)
        {
            start.FileName = "/usr/bin/time";
            arguments.AddRange(["-v", "-o", timeOutput]);
            if (executor.EndsWith(".dll", StringComparison.Ordinal))
            {
                arguments.Add("dotnet");
            }

            arguments.Add(executor);
        }
        else if (executor.EndsWith(".dll", StringComparison.Ordinal))
        {
            start.FileName = "dotnet";
            arguments.Add(executor);
        }
        else
        {
            start.FileName = executor;
        }

        // The flags a Mesos agent passes to its Docker executor.
        arguments.AddRange(
        [
            "--container=mesos-footprint-" + runId + "-" + Guid.NewGuid().ToString("N")[..6],
            "--docker=docker", "--docker_socket=/var/run/docker.sock", "--sandbox_directory=" + sandbox,
            "--mapped_directory=/mnt/mesos/sandbox", "--stop_timeout=0ns", "--launcher_dir=/usr/libexec/mesos",
            "--cgroups_enable_cfs=false", "--logging_level=INFO", "--logbufsecs=0", "--quiet=false",
            "--initialize_driver_logging=true",
        ]);
        arguments.Add("--config=" + HarnessConfig(config, sandbox));

        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (KeyValuePair<string, string> variable in agent.CreateExecutorEnvironment(new FakeExecutorEnvironmentOptions { Directory = sandbox, Sandbox = sandbox }))
        {
            start.Environment[variable.Key] = variable.Value;
        }

        start.Environment["MESOS_EXECUTOR_HOOKS__ENABLED"] = "remove-container";
        start.Environment["MESOS_EXECUTOR_DOCKER__EXTRA_LABELS"] = "mesos-executor-footprint=" + runId;
        var process = new Process { StartInfo = start };
        var lines = new ConcurrentQueue<string>();
        log = lines;
        process.ErrorDataReceived += (_, e) => Keep(lines, e.Data);
        process.OutputDataReceived += (_, e) => Keep(lines, e.Data);
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return process;
    }

    /// <summary>
    /// The measured configuration plus the harness's opt-in to environment configuration (all
    /// keys): the harness labels and removes its containers through MESOS_EXECUTOR_* variables,
    /// and so can whoever runs measure.sh (e.g. MESOS_EXECUTOR_MEMORY__RELEASE_FILE_PAGES=false).
    /// </summary>
    private static string HarnessConfig(string? config, string sandbox)
    {
        const string OptIn = "environment_overrides: [all]";
        string text = config != null ? File.ReadAllText(config) : string.Empty;
        string[] lines = text.Split('\n');
        bool replaced = false;
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith("environment_overrides:", StringComparison.Ordinal))
            {
                lines[i] = OptIn;
                replaced = true;
            }
        }

        // In the sandbox, which is deleted after the run.
        string path = Path.Combine(sandbox, ".footprint-config.yaml");
        File.WriteAllText(path, string.Join('\n', lines) + (replaced ? string.Empty : "\n" + OptIn + "\n"));
        return path;
    }

    private static void Keep(ConcurrentQueue<string> log, string? line)
    {
        if (line == null)
        {
            return;
        }

        log.Enqueue(line);
        while (log.Count > 50)
        {
            _ = log.TryDequeue(out _);
        }
    }

    private static void Dump(ConcurrentQueue<string> log)
    {
        Console.Error.WriteLine("footprint: timed out; the executor's last lines:");
        foreach (string line in log)
        {
            Console.Error.WriteLine("  " + line);
        }
    }

    private static void TryDelete(DirectoryInfo directory)
    {
        try
        {
            directory.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
