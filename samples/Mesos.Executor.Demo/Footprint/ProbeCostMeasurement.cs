using System;
using System.IO;
using System.Threading.Tasks;

namespace Mesos.Executor.Demo.Footprint;

/// <summary>
/// CPU per health-check probe. Three executors one after the other, each running busybox httpd:
/// without a health check (the idle rate), with an HTTP and with a TCP health check every
/// <c>interval</c>; each measured over a window of D seconds once the task is healthy (the idle
/// one: 1.5 s after it runs), see <see cref="CheckWindow"/>. Per probe: (ΔCPU − idle rate ×
/// window) / probes, the gross figure (idle not subtracted) beside it. Probes are counted by the
/// container's kernel, not from the executor's log: it logs passed probes only at Debug, which
/// would itself cost CPU.
/// </summary>
internal static class ProbeCostMeasurement
{
    /// <summary>Runs the measurement.</summary>
    /// <param name="settings">The run's settings.</param>
    /// <param name="window">The measured window.</param>
    /// <param name="interval">Seconds between probes.</param>
    /// <param name="output">The report.</param>
    /// <returns>A task that completes when done.</returns>
    public static async Task RunAsync(FootprintSettings settings, TimeSpan window, double interval, TextWriter output)
    {
        CheckWindowResult idle = await CheckWindow.MeasureAsync(
            settings, "probe-idle", (id, agent) => FootprintTasks.Http(id, agent, settings.Image, interval: 0), ready: null, window);
        double idleRate = idle.CpuNanoseconds / idle.Elapsed.TotalSeconds;
        Report.Line(output, $"probe_idle: window_s={idle.Elapsed.TotalSeconds:F2} cpu_ms={Report.Milliseconds(idle.CpuNanoseconds):F3} connections={idle.Probes}");
        Report.Line(output, $"idle_cpu_us_per_s={idleRate / 1e3:F1} (same task, no health check)");
        foreach (string kind in new[] { "http", "tcp" })
        {
            CheckWindowResult run = await CheckWindow.MeasureAsync(
                settings,
                "probe-" + kind,
                (id, agent) => kind == "http" ? FootprintTasks.Http(id, agent, settings.Image, interval) : FootprintTasks.Tcp(id, agent, settings.Image, interval),
                status => status.HasHealthy && status.Healthy,
                window);
            double gross = run.Probes == 0 ? 0 : run.CpuNanoseconds / 1e3 / run.Probes;
            double net = run.Probes == 0 ? 0 : (run.CpuNanoseconds - (idleRate * run.Elapsed.TotalSeconds)) / 1e3 / run.Probes;
            Report.Line(output, $"probe_{kind}: window_s={run.Elapsed.TotalSeconds:F2} interval_s={interval} probes={run.Probes} (at the interval: {run.Elapsed.TotalSeconds / interval:F0}) status_updates={run.Updates} cpu_ms={Report.Milliseconds(run.CpuNanoseconds):F3}");
            Report.Line(output, $"cpu_us_per_{kind}_probe={net:F1} cpu_us_per_{kind}_probe_gross={gross:F1}");
        }
    }
}
