namespace Mesos.Executor.Core;

/// <summary>The points of a task's container life at which hooks run.</summary>
public enum HookPhase
{
    /// <summary>Before the container is created (<c>pre-create</c>).</summary>
    PreCreate,

    /// <summary>After creation, before start (<c>pre-run</c>).</summary>
    PreRun,

    /// <summary>After start, before TASK_RUNNING (<c>post-run</c>).</summary>
    PostRun,

    /// <summary>Before the container is stopped (<c>pre-stop</c>).</summary>
    PreStop,

    /// <summary>After the container stopped (<c>post-stop</c>).</summary>
    PostStop,

    /// <summary>
    /// Once, when the task is first ready for work (<c>ready</c>): its health check's first
    /// success, or right after TASK_RUNNING when it has no health check.
    /// </summary>
    Ready,

    /// <summary>
    /// Each time the health verdict the executor reports changes, or the generalized check's
    /// result changes (<c>health-changed</c>); <see cref="HookContext.Healthy"/> and
    /// <see cref="HookContext.CheckStatus"/> hold the new result.
    /// </summary>
    HealthChanged,

    /// <summary>
    /// When a running task is about to be stopped (<c>draining</c>): after TASK_KILLING, before the
    /// drain delay and the pre-stop hooks.
    /// </summary>
    Draining,
}
