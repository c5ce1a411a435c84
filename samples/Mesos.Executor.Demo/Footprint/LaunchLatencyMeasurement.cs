using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Mesos.V1;

namespace Mesos.Executor.Demo.Footprint;

/// <summary>
/// LAUNCH to TASK_RUNNING: a fresh executor per launch, one sleeping Docker task sent as soon as it
/// has subscribed (as the agent sends the task it started the executor for), timed from sending
/// LAUNCH to the agent receiving the TASK_RUNNING update; then the task is killed and the executor
/// shut down. Runs alternate between an unconstrained cgroup and one with the custom executor's
/// budget (0.1 CPU CFS quota, 32 MiB), so both medians see the same machine load; the ratio is
/// quota / unconstrained.
/// </summary>
internal static class LaunchLatencyMeasurement
{
    /// <summary>Runs the measurement.</summary>
    /// <param name="settings">The run's settings.</param>
    /// <param name="runs">Launches per setting.</param>
    /// <param name="output">The report.</param>
    /// <returns>A task that completes when done.</returns>
    public static async Task RunAsync(FootprintSettings settings, int runs, TextWriter output)
    {
        bool quota = settings.Cgroups != null && settings.Cgroups.CpuBase != null && settings.Cgroups.MemoryBase != null;
        if (!quota)
        {
            Report.Line(output, $"launch: no cgroup v1 cpu and memory controllers: unconstrained runs only");
        }

        // Not counted: the harness's own launch path is compiled, the engine's caches are warm.
        _ = await LaunchOnceAsync(settings, limits: false);

        var unconstrained = new List<double>();
        var limited = new List<double>();
        for (int i = 0; i < runs; i++)
        {
            foreach (bool limits in quota ? new[] { false, true } : [false])
            {
                (TimeSpan latency, long throttled, long cpu) = await LaunchOnceAsync(settings, limits);
                (limits ? limited : unconstrained).Add(latency.TotalMilliseconds);
                string extra = limits ? $" nr_throttled={throttled}" : string.Empty;
                Report.Line(output, $"launch_run_{i + 1}: {(limits ? "quota" : "unconstrained")} launch_to_running_ms={latency.TotalMilliseconds:F1} executor_cpu_ms={Report.Milliseconds(cpu):F3}{extra}");
            }
        }

        double free = Report.Median(unconstrained);
        Report.Line(output, $"launch_to_running_ms_median_unconstrained={free:F1}");
        if (quota)
        {
            double constrained = Report.Median(limited);
            Report.Line(output, $"launch_to_running_ms_median_quota={constrained:F1}");
            Report.Line(output, $"launch_to_running_quota_ratio={constrained / free:F2}");
        }
    }

    private static async Task<(TimeSpan Latency, long Throttled, long CpuNanoseconds)> LaunchOnceAsync(FootprintSettings settings, bool limits)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using MeasuredExecutor executor = await MeasuredExecutor.StartAsync(settings, limits, cancellationToken: timeout.Token);
        using CancellationTokenRegistration dump = timeout.Token.Register(() => executor.DumpLog("the launch timed out"));
        _ = await executor.WaitForSubscribeAsync(timeout.Token);
        TaskInfo task = FootprintTasks.Sleeping($"launch-{settings.RunId}-{Guid.NewGuid().ToString("N")[..6]}", executor.Agent.Options.AgentId, settings.Image);
        TimeSpan latency = await executor.LaunchAsync(task, timeout.Token);
        long cpu = executor.CpuNanoseconds();
        await executor.StopAsync(task.TaskId, timeout.Token);
        return (latency, executor.Cgroup?.Throttling().Throttled ?? 0, cpu);
    }
}
