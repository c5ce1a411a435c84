using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Mesos.V1;
using Mesos.V1.Executor;

namespace Mesos.Executor.Demo.Footprint;

/// <summary>
/// The CPU of a whole executor life: start, SUBSCRIBE, one Docker task with an HTTP health check
/// every second, until the first healthy update, KILL, SHUTDOWN, exit. The figure is the
/// <c>cpuacct.usage</c> of the executor's cgroup after the process has exited: every thread of it,
/// from its first instruction to its last.
/// </summary>
internal static class WholeRunMeasurement
{
    /// <summary>Runs the measurement.</summary>
    /// <param name="settings">The run's settings.</param>
    /// <param name="runs">How many lives.</param>
    /// <param name="output">The report.</param>
    /// <returns>A task that completes when done.</returns>
    public static async Task RunAsync(FootprintSettings settings, int runs, TextWriter output)
    {
        if (settings.Cgroups == null)
        {
            Report.Line(output, $"whole_run: skipped (the CPU of an exited process needs its cgroup's cpuacct.usage)");
            return;
        }

        var cpu = new List<double>();
        for (int i = 0; i < runs; i++)
        {
            (long total, TimeSpan wall, int updates, long throttled) = await RunOnceAsync(settings);
            cpu.Add(Report.Milliseconds(total));
            string quota = settings.Limits ? $" nr_throttled={throttled}" : string.Empty;
            Report.Line(output, $"whole_run_{i + 1}: cpu_ms={Report.Milliseconds(total):F3} wall_ms={wall.TotalMilliseconds:F0} status_updates={updates}{quota}");
        }

        Report.Line(output, $"whole_run_cpu_ms={Report.Median(cpu):F3} (median of {runs})");
    }

    private static async Task<(long CpuNanoseconds, TimeSpan Wall, int Updates, long Throttled)> RunOnceAsync(FootprintSettings settings)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        long started = TimeProvider.System.GetTimestamp();
        await using MeasuredExecutor executor = await MeasuredExecutor.StartAsync(settings, settings.Limits, cancellationToken: timeout.Token);
        using CancellationTokenRegistration dump = timeout.Token.Register(() => executor.DumpLog("the whole run timed out"));
        _ = await executor.WaitForSubscribeAsync(timeout.Token);
        TaskInfo task = FootprintTasks.Http($"whole-{settings.RunId}-{Guid.NewGuid().ToString("N")[..6]}", executor.Agent.Options.AgentId, settings.Image, interval: 1);
        _ = await executor.LaunchAsync(task, timeout.Token);
        _ = await executor.Agent.WaitForCallAsync(
            r => r.Call?.Type == Call.Types.Type.Update && r.Call.Update.Status.HasHealthy && r.Call.Update.Status.Healthy,
            timeout.Token);
        await executor.StopAsync(task.TaskId, timeout.Token);
        TimeSpan wall = TimeProvider.System.GetElapsedTime(started);
        return (executor.Cgroup!.CpuNanoseconds(), wall, executor.Agent.StatusUpdates.Count, executor.Cgroup.Throttling().Throttled);
    }
}
