using System.Threading;
using System.Threading.Tasks;

namespace Mesos.Executor.Core;

/// <summary>
/// Code that runs at fixed points of a task's container life. Implement only the phases you need:
/// the others do nothing.
/// </summary>
/// <remarks>
/// Hooks run in <see cref="Priority"/> order, highest first; equal priorities keep registration
/// order. An exception from <see cref="PreCreateAsync"/>, <see cref="PreRunAsync"/> or
/// <see cref="PostRunAsync"/> aborts the launch with TASK_FAILED naming the hook (the stop phases
/// still run). An exception from <see cref="PreStopAsync"/> or <see cref="PostStopAsync"/> is logged
/// and the remaining hooks still run, so teardown always happens. So is an exception from
/// <see cref="ReadyAsync"/>, <see cref="HealthChangedAsync"/> or <see cref="DrainingAsync"/>: the
/// task goes on. These three run in the task's own flow, never in the executor's loop, one at a
/// time and in order; a slow one delays the next one of the same task, never the task's status updates.
/// </remarks>
public interface IHook
{
    /// <summary>The hook's name, as operators enable it in configuration (e.g. <c>acl</c>).</summary>
    string Name { get; }

    /// <summary>Higher runs first.</summary>
    int Priority { get; }

    /// <summary>Before the container is created; may change <see cref="HookContext.Spec"/>.</summary>
    /// <param name="context">The task and its container.</param>
    /// <param name="cancellationToken">Cancels the hook.</param>
    /// <returns>A task that completes when the hook is done.</returns>
    Task PreCreateAsync(HookContext context, CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>After the container is created, before it starts.</summary>
    /// <param name="context">The task and its container.</param>
    /// <param name="cancellationToken">Cancels the hook.</param>
    /// <returns>A task that completes when the hook is done.</returns>
    Task PreRunAsync(HookContext context, CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>After the container started, before TASK_RUNNING is sent.</summary>
    /// <param name="context">The task and its container.</param>
    /// <param name="cancellationToken">Cancels the hook.</param>
    /// <returns>A task that completes when the hook is done.</returns>
    Task PostRunAsync(HookContext context, CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>Before the container is stopped (kill, shutdown, or after a failed launch).</summary>
    /// <param name="context">The task and its container.</param>
    /// <param name="cancellationToken">Cancels the hook.</param>
    /// <returns>A task that completes when the hook is done.</returns>
    Task PreStopAsync(HookContext context, CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>After the container stopped (for any reason).</summary>
    /// <param name="context">The task and its container.</param>
    /// <param name="cancellationToken">Cancels the hook.</param>
    /// <returns>A task that completes when the hook is done.</returns>
    Task PostStopAsync(HookContext context, CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>
    /// Once, when the task is first ready: its health check's first success, or right after
    /// TASK_RUNNING when it has no health check. The place to register the task somewhere
    /// (<see cref="HookContext.Container"/> has its IPs and port mappings).
    /// </summary>
    /// <param name="context">The task and its container.</param>
    /// <param name="cancellationToken">Cancels the hook.</param>
    /// <returns>A task that completes when the hook is done.</returns>
    Task ReadyAsync(HookContext context, CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>
    /// Each time the reported health verdict (<see cref="HookContext.Healthy"/>) changes, the
    /// first verdict included, and each time the generalized check's result
    /// (<see cref="HookContext.CheckStatus"/>) changes.
    /// </summary>
    /// <param name="context">The task, its container and the new result.</param>
    /// <param name="cancellationToken">Cancels the hook.</param>
    /// <returns>A task that completes when the hook is done.</returns>
    Task HealthChangedAsync(HookContext context, CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>
    /// When a running task is about to be stopped (KILL, shutdown, failed health check): after
    /// TASK_KILLING, before the drain delay, the pre-stop hooks and the stop signal. The place to
    /// take the task out of rotation.
    /// </summary>
    /// <param name="context">The task and its container.</param>
    /// <param name="cancellationToken">Cancels the hook.</param>
    /// <returns>A task that completes when the hook is done.</returns>
    Task DrainingAsync(HookContext context, CancellationToken cancellationToken = default) => Task.CompletedTask;
}
