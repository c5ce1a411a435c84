using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Mesos.V1;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Executor.Demo.Footprint;

/// <summary>
/// One Docker task with an HTTP health check for a while: the executor's peak RSS (<c>VmHWM</c>
/// sampled every second), mean RSS and CPU, optionally under <c>/usr/bin/time -v</c>; with cgroups
/// also the memory charged to its group (peak and limit hits) and, under the limits, throttling.
/// </summary>
internal static class SteadyStateMeasurement
{
    /// <summary>Runs the measurement.</summary>
    /// <param name="settings">The run's settings.</param>
    /// <param name="duration">How long the task runs.</param>
    /// <param name="interval">Seconds between health checks.</param>
    /// <param name="timeOutput">Where <c>/usr/bin/time -v</c> writes, or <see langword="null"/> to run without it.</param>
    /// <param name="output">The report.</param>
    /// <returns>0 when the executor exited cleanly and the task became healthy.</returns>
    public static async Task<int> RunAsync(FootprintSettings settings, TimeSpan duration, double interval, string? timeOutput, TextWriter output)
    {
        using var timeout = new CancellationTokenSource(duration + TimeSpan.FromSeconds(120));
        await using MeasuredExecutor executor = await MeasuredExecutor.StartAsync(settings, settings.Limits, timeOutput, timeout.Token);
        using CancellationTokenRegistration dump = timeout.Token.Register(() => executor.DumpLog("the steady-state run timed out"));
        _ = await executor.WaitForSubscribeAsync(timeout.Token);
        int pid = executor.Pid;
        long cpuAtSubscribe = executor.CpuNanoseconds();
        TaskInfo task = FootprintTasks.Http("footprint-" + settings.RunId, executor.Agent.Options.AgentId, settings.Image, interval);
        _ = await executor.LaunchAsync(task, timeout.Token);

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
        foreach (TaskStatus status in executor.Agent.StatusUpdates)
        {
            if (status.HasHealthy)
            {
                _ = status.Healthy ? healthy++ : unhealthy++;
            }
        }

        long cpuAtEnd = executor.CpuNanoseconds();
        await executor.StopAsync(task.TaskId, timeout.Token);

        Report.Line(output, $"steady_duration_s={duration.TotalSeconds:F0}");
        Report.Line(output, $"health_updates: healthy={healthy} unhealthy={unhealthy}");
        Report.Line(output, $"peak_rss_kib_vmhwm={peak}");
        Report.Line(output, $"mean_rss_kib={(samples == 0 ? 0 : rssSum / samples)}");
        Report.Line(output, $"cpu_s_while_running={(cpuAtEnd - cpuAtSubscribe) / 1e9:F2}");
        Report.Line(output, $"cpu_ms_while_running={Report.Milliseconds(cpuAtEnd - cpuAtSubscribe):F3}");
        if (executor.Cgroup is { } cgroup)
        {
            (_, long maxUsage, long failures) = cgroup.Memory();
            Report.Line(output, $"cgroup_memory_max_usage_kib={maxUsage / 1024} cgroup_memory_failcnt={failures}");
            Report.Line(output, $"whole_process_cpu_ms={Report.Milliseconds(cgroup.CpuNanoseconds()):F3}");
            if (cgroup.Limits)
            {
                (long periods, long throttled, TimeSpan throttledTime) = cgroup.Throttling();
                Report.Line(output, $"cpu_nr_periods={periods} cpu_nr_throttled={throttled} cpu_throttled_ms={throttledTime.TotalMilliseconds:F1}");
            }
        }

        Report.Line(output, $"executor_exit_code={executor.Process.ExitCode}");
        return executor.Process.ExitCode == 0 && healthy > 0 ? 0 : 1;
    }
}
