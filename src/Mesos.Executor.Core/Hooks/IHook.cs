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
/// and the remaining hooks still run, so teardown always happens.
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
}
