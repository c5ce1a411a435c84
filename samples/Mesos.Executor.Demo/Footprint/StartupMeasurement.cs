using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Mesos.Executor.Demo.Footprint;

/// <summary>
/// Process start to SUBSCRIBE: wall time (from just before the harness starts the process to the
/// agent receiving the call) and CPU (the executor's <c>cpuacct.usage</c> read by the agent as it
/// records the call), and the RSS once subscribed; median of N cold starts.
/// </summary>
internal static class StartupMeasurement
{
    /// <summary>Runs the measurement.</summary>
    /// <param name="settings">The run's settings.</param>
    /// <param name="runs">How many cold starts are timed.</param>
    /// <param name="output">The report.</param>
    /// <returns>A task that completes when done.</returns>
    public static async Task RunAsync(FootprintSettings settings, int runs, TextWriter output)
    {
        // Not counted: the harness runs under the JIT, and compiling its own request handling
        // on the first SUBSCRIBE would be timed as the executor's start-up.
        _ = await MeasureOnceAsync(settings);

        var wall = new List<double>();
        var cpu = new List<double>();
        for (int i = 0; i < runs; i++)
        {
            (TimeSpan w, long c, long rss, long throttled) = await MeasureOnceAsync(settings);
            wall.Add(w.TotalMilliseconds);
            cpu.Add(Report.Milliseconds(c));
            string quota = settings.Limits ? $" nr_throttled={throttled}" : string.Empty;
            Report.Line(output, $"startup_run_{i + 1}: wall_ms={w.TotalMilliseconds:F1} cpu_ms={Report.Milliseconds(c):F3} rss_kib_when_subscribed={rss}{quota}");
        }

        Report.Line(output, $"startup_to_subscribe_wall_ms_median={Report.Median(wall):F1}");
        Report.Line(output, $"startup_to_subscribe_cpu_ms_median={Report.Median(cpu):F3}");
        if (settings.Cgroups != null)
        {
            var wrapper = new List<double>();
            for (int i = 0; i < 3; i++)
            {
                wrapper.Add(Report.Milliseconds(await WrapperCpuAsync(settings)));
            }

            // An upper bound of what the cgroup wrapper adds to the figures above: it includes
            // exec'ing and running /bin/true, where the executor's own exec is counted anyway.
            Report.Line(output, $"wrapper_cpu_ms_median={Report.Median(wrapper):F3} (the shell that enters the cgroup, then execs /bin/true: an upper bound of what it adds)");
        }
    }

    private static async Task<(TimeSpan Wall, long CpuNanoseconds, long RssKiB, long Throttled)> MeasureOnceAsync(FootprintSettings settings)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using MeasuredExecutor executor = await MeasuredExecutor.StartAsync(settings, settings.Limits, cancellationToken: timeout.Token);
        using CancellationTokenRegistration dump = timeout.Token.Register(() => executor.DumpLog("start-up timed out"));
        (TimeSpan wall, long cpu) = await executor.WaitForSubscribeAsync(timeout.Token);
        (_, long rss) = ProcessStats.Memory(executor.Pid);
        await executor.StopAsync(null, timeout.Token);
        return (wall, cpu, rss, executor.Cgroup?.Throttling().Throttled ?? 0);
    }

    private static async Task<long> WrapperCpuAsync(FootprintSettings settings)
    {
        ExecutorCgroup cgroup = ExecutorCgroup.Create(settings.Cgroups!, settings.NextName(), limits: false);
        try
        {
            var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
            foreach (string argument in (string[])["-c", MeasuredExecutor.EnterCgroupScript, "sh", .. cgroup.ProcsFiles, "--", "/bin/true"])
            {
                start.ArgumentList.Add(argument);
            }

            using Process process = Process.Start(start)!;
            await process.WaitForExitAsync();
            return cgroup.CpuNanoseconds();
        }
        finally
        {
            await cgroup.RemoveAsync();
        }
    }
}
