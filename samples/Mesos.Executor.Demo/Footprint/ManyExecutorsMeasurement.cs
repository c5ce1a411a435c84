using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Mesos.V1;

namespace Mesos.Executor.Demo.Footprint;

/// <summary>
/// N executors on one host, as an agent runs one per Docker task: started at once, each with its
/// own agent, cgroup and one sleeping Docker task (no health check). When all run, the harness
/// waits the settle time, then reads each executor's /proc/PID/smaps_rollup (Pss, Pss_Anon,
/// Pss_File, Rss, Anonymous), its thread count, the memory charged to its cgroup and the CPU it
/// used while settling; per executor, the median and the total. Then every task is killed and
/// every executor shut down.
/// </summary>
internal static class ManyExecutorsMeasurement
{
    private static readonly (string Key, string Field)[] Figures =
    [
        ("pss_kib", "Pss"), ("pss_anon_kib", "Pss_Anon"), ("pss_file_kib", "Pss_File"), ("rss_kib", "Rss"), ("anonymous_kib", "Anonymous"),
    ];

    /// <summary>Runs the measurement.</summary>
    /// <param name="settings">The run's settings.</param>
    /// <param name="count">How many executors.</param>
    /// <param name="settle">How long they run before they are measured.</param>
    /// <param name="output">The report.</param>
    /// <returns>A task that completes when done.</returns>
    public static async Task RunAsync(FootprintSettings settings, int count, TimeSpan settle, TextWriter output)
    {
        using var timeout = new CancellationTokenSource(settle + TimeSpan.FromSeconds(60 + (15 * count)));
        var executors = new MeasuredExecutor?[count];
        var tasks = new TaskInfo?[count];
        try
        {
            await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
            {
                MeasuredExecutor executor = executors[i] = await MeasuredExecutor.StartAsync(settings, settings.Limits, cancellationToken: timeout.Token);
                using CancellationTokenRegistration dump = timeout.Token.Register(() => executor.DumpLog("the N-executor run timed out"));
                _ = await executor.WaitForSubscribeAsync(timeout.Token);
                TaskInfo task = tasks[i] = FootprintTasks.Sleeping($"many-{settings.RunId}-{i + 1}", executor.Agent.Options.AgentId, settings.Image);
                _ = await executor.LaunchAsync(task, timeout.Token);
            }));

            long[] cpuAtRunning = [.. executors.Select(e => e!.CpuNanoseconds())];
            await Task.Delay(settle, TimeProvider.System, timeout.Token);

            var values = new Dictionary<string, List<double>>(StringComparer.Ordinal);
            for (int i = 0; i < count; i++)
            {
                MeasuredExecutor executor = executors[i]!;
                Dictionary<string, long> rollup = ProcessStats.Rollup(executor.Pid);
                var row = new List<(string Key, double Value)>();
                foreach ((string key, string field) in Figures)
                {
                    row.Add((key, rollup.GetValueOrDefault(field)));
                }

                row.Add(("threads", ProcessStats.Threads(executor.Pid)));
                if (executor.Cgroup is { } cgroup)
                {
                    (long usage, _, long failures) = cgroup.Memory();
                    row.Add(("cgroup_memory_kib", usage / 1024));
                    row.Add(("cgroup_memory_failcnt", failures));
                    row.Add(("settle_cpu_ms", Report.Milliseconds(executor.CpuNanoseconds() - cpuAtRunning[i])));
                    if (cgroup.Limits)
                    {
                        row.Add(("nr_throttled", cgroup.Throttling().Throttled));
                    }
                }

                Report.Line(output, $"executor_{i + 1}: pid={executor.Pid} {string.Join(' ', row.Select(r => FormattableString.Invariant($"{r.Key}={r.Value:0.###}")))}");
                foreach ((string key, double value) in row)
                {
                    if (!values.TryGetValue(key, out List<double>? list))
                    {
                        values[key] = list = [];
                    }

                    list.Add(value);
                }
            }

            Report.Line(output, $"executors={count} settle_s={settle.TotalSeconds:F0} limits={(settings.Limits ? "on" : "off")}");
            foreach ((string key, List<double> list) in values)
            {
                Report.Line(output, $"executors_{key}_median={Report.Median(list):0.###} executors_{key}_total={list.Sum():0.###}");
            }

            await Task.WhenAll(Enumerable.Range(0, count).Select(i => executors[i]!.StopAsync(tasks[i]!.TaskId, timeout.Token)));
        }
        finally
        {
            foreach (MeasuredExecutor? executor in executors)
            {
                if (executor != null)
                {
                    await executor.DisposeAsync();
                }
            }
        }
    }
}
