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
}
