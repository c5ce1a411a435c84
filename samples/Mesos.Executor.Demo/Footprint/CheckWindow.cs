using System;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Testing;
using Mesos.V1;
using Mesos.V1.Executor;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Executor.Demo.Footprint;

/// <summary>What one executor did during a measured window.</summary>
/// <param name="CpuNanoseconds">The executor's CPU in the window (<c>cpuacct.usage</c> at its end minus at its start).</param>
/// <param name="Elapsed">The window's length as measured.</param>
/// <param name="Probes">TCP connections the container accepted in the window: one per HTTP or TCP probe.</param>
/// <param name="Updates">Status updates the agent received in the window.</param>
internal sealed record CheckWindowResult(long CpuNanoseconds, TimeSpan Elapsed, long Probes, long Updates);

/// <summary>
/// Runs one executor with one task and measures a window of its life once the task is ready:
/// the CPU (<c>cpuacct.usage</c>), the probes (the container's accepted TCP connections,
/// <c>PassiveOpens</c> in /proc/&lt;container init&gt;/net/snmp; only the probes connect) and the
/// status updates the agent received.
/// </summary>
internal static class CheckWindow
{
    /// <summary>Runs the executor, launches the task, waits until it is ready, measures, then kills the task and shuts the executor down.</summary>
    /// <param name="settings">The run's settings.</param>
    /// <param name="name">Names the run in messages.</param>
    /// <param name="createTask">Creates the task from its id and the agent's id.</param>
    /// <param name="ready">An update that makes the task ready to measure; <see langword="null"/> to wait 1.5 s after TASK_RUNNING instead.</param>
    /// <param name="window">How long to measure.</param>
    /// <returns>The figures.</returns>
    public static async Task<CheckWindowResult> MeasureAsync(
        FootprintSettings settings, string name, Func<string, string, TaskInfo> createTask, Func<TaskStatus, bool>? ready, TimeSpan window)
    {
        using var timeout = new CancellationTokenSource(window + TimeSpan.FromSeconds(90));
        await using MeasuredExecutor executor = await MeasuredExecutor.StartAsync(settings, settings.Limits, cancellationToken: timeout.Token);
        using CancellationTokenRegistration dump = timeout.Token.Register(() => executor.DumpLog($"the {name} run timed out"));
        _ = await executor.WaitForSubscribeAsync(timeout.Token);
        TaskInfo task = createTask($"{name}-{settings.RunId}-{Guid.NewGuid().ToString("N")[..6]}", executor.Agent.Options.AgentId);
        _ = await executor.LaunchAsync(task, timeout.Token);
        if (ready != null)
        {
            _ = await executor.Agent.WaitForCallAsync(r => IsUpdate(r) && ready(r.Call!.Update.Status), timeout.Token);
        }
        else
        {
            // Where the checked runs are by now: past their checks' 1 s delay.
            await Task.Delay(TimeSpan.FromSeconds(1.5), TimeProvider.System, timeout.Token);
        }

        int container = await DockerCli.ContainerPidAsync(executor.ContainerName, timeout.Token);
        long probes = ProcessStats.TcpPassiveOpens(container) ?? 0;
        int updates = executor.Agent.StatusUpdates.Count;
        long cpu = executor.CpuNanoseconds();
        long started = TimeProvider.System.GetTimestamp();
        await Task.Delay(window, TimeProvider.System, timeout.Token);
        long cpuAfter = executor.CpuNanoseconds();
        TimeSpan elapsed = TimeProvider.System.GetElapsedTime(started);
        int updatesAfter = executor.Agent.StatusUpdates.Count;
        long probesAfter = ProcessStats.TcpPassiveOpens(container) ?? 0;
        await executor.StopAsync(task.TaskId, timeout.Token);
        return new CheckWindowResult(cpuAfter - cpu, elapsed, probesAfter - probes, updatesAfter - updates);
    }

    private static bool IsUpdate(RecordedRequest request) => request.Call?.Type == Call.Types.Type.Update;
}
