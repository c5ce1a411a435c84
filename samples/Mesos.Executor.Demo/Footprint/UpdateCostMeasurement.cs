using System;
using System.IO;
using System.Threading.Tasks;

namespace Mesos.Executor.Demo.Footprint;

/// <summary>
/// CPU per status update. Two executors one after the other, each with a generalized HTTP check
/// (<c>TaskInfo.check</c>) every <c>interval</c> against a CGI script of busybox httpd: one answers
/// 200 every time (no update after the first), the other alternates 200 and 503, so every probe
/// changes the check's status and the executor sends a TASK_RUNNING update, which the agent
/// acknowledges. Per update: (ΔCPU of the alternating run − its probes × the steady run's CPU per
/// probe) / its updates, each over a window of D seconds (see <see cref="CheckWindow"/>).
/// </summary>
internal static class UpdateCostMeasurement
{
    /// <summary>Runs the measurement.</summary>
    /// <param name="settings">The run's settings.</param>
    /// <param name="window">The measured window.</param>
    /// <param name="interval">Seconds between probes.</param>
    /// <param name="output">The report.</param>
    /// <returns>A task that completes when done.</returns>
    public static async Task RunAsync(FootprintSettings settings, TimeSpan window, double interval, TextWriter output)
    {
        CheckWindowResult steady = await MeasureAsync(settings, "updates-steady", FootprintTasks.SteadyCgi, window, interval, output);
        CheckWindowResult flipping = await MeasureAsync(settings, "updates-flipping", FootprintTasks.FlippingCgi, window, interval, output);
        if (steady.Probes == 0 || flipping.Updates == 0)
        {
            Report.Line(output, $"cpu_us_per_status_update=n/a (no probes or no updates in the window)");
            return;
        }

        double perProbe = (double)steady.CpuNanoseconds / steady.Probes;
        double perUpdate = (flipping.CpuNanoseconds - (flipping.Probes * perProbe)) / flipping.Updates;
        Report.Line(output, $"cpu_us_per_status_update={perUpdate / 1e3:F1} (acknowledgement included; steady check: {perProbe / 1e3:F1} us per probe)");
    }

    private static async Task<CheckWindowResult> MeasureAsync(FootprintSettings settings, string name, string path, TimeSpan window, double interval, TextWriter output)
    {
        CheckWindowResult run = await CheckWindow.MeasureAsync(
            settings, name, (id, agent) => FootprintTasks.Checked(id, agent, settings.Image, path, interval), status => status.CheckStatus?.Http?.HasStatusCode == true, window);
        Report.Line(output, $"{name.Replace('-', '_')}: window_s={run.Elapsed.TotalSeconds:F2} probes={run.Probes} status_updates={run.Updates} cpu_ms={Report.Milliseconds(run.CpuNanoseconds):F3}");
        return run;
    }
}
