using System;
using System.Collections.Generic;
using Google.Protobuf;
using Mesos.V1;
using Mesos.V1.Executor;

namespace Mesos.Executor.Core.Execution;

/// <summary>Why a task is being killed.</summary>
internal enum KillCause
{
    /// <summary>A KILL event from the framework.</summary>
    Framework,

    /// <summary>SHUTDOWN, a cancelled RunAsync, or the executor giving up on the agent.</summary>
    Shutdown,

    /// <summary>Its health check failed <c>consecutive_failures</c> times.</summary>
    HealthCheck,

    /// <summary>Another task of its task group failed or was killed.</summary>
    TaskGroup,

    /// <summary>It ran longer than its <c>max_completion_time</c>.</summary>
    MaxCompletionTime,

    /// <summary>The executor failed handling something about it; it ends TASK_FAILED.</summary>
    ExecutorFailure,
}

/// <summary>The tasks launched together by one LAUNCH_GROUP.</summary>
internal sealed class TaskGroup
{
    /// <summary>The group's tasks, in launch order.</summary>
    public List<TrackedTask> Tasks { get; } = [];

    /// <summary>Whether the group is being killed because one of its tasks failed or was killed.</summary>
    public bool Killing { get; set; }
}

/// <summary>A status update not yet acknowledged by the agent.</summary>
internal sealed class PendingUpdate
{
    public PendingUpdate(TrackedTask task, Call.Types.Update update)
    {
        Task = task;
        Update = update;
    }

    /// <summary>The task it is about.</summary>
    public TrackedTask Task { get; }

    /// <summary>The update as sent in UPDATE and in SUBSCRIBE's <c>unacknowledged_updates</c>.</summary>
    public Call.Types.Update Update { get; }

    /// <summary>The update's uuid, which the agent's ACKNOWLEDGED echoes.</summary>
    public ByteString Uuid => Update.Status.Uuid;

    /// <summary>The update's state.</summary>
    public TaskState State => Update.Status.State;
}

/// <summary>Everything the executor loop knows about one task. Owned by the loop alone.</summary>
internal sealed class TrackedTask
{
    public TrackedTask(TaskInfo launched, TaskGroup? group)
    {
        Launched = launched;
        CheckedTask = launched;
        Group = group;
        LogScope = new TaskLogScope(launched.TaskId?.Value ?? string.Empty);
    }

    /// <summary>The task as the agent sent it (SUBSCRIBE's <c>unacknowledged_tasks</c> repeats it).</summary>
    public TaskInfo Launched { get; }

    /// <summary>The task with the kinds of check that are switched off removed.</summary>
    public TaskInfo CheckedTask { get; set; }

    /// <summary>The task's id.</summary>
    public TaskID Id => Launched.TaskId;

    /// <summary>The task's id as a dictionary key.</summary>
    public string Key => Launched.TaskId.Value;

    /// <summary>The task's logging scope; with the container's id once it runs.</summary>
    public TaskLogScope LogScope { get; set; }

    /// <summary>The task's group, when it came in a LAUNCH_GROUP.</summary>
    public TaskGroup? Group { get; }

    /// <summary>The task's runner, once its launch started.</summary>
    public TaskRunner? Runner { get; set; }

    /// <summary>Whether the container runs (TaskStarted arrived).</summary>
    public bool Started { get; set; }

    /// <summary>The container's id once it runs.</summary>
    public string? ContainerId { get; set; }

    /// <summary>Whether the runner reported the container's end (or a failed launch).</summary>
    public bool ExitReported { get; set; }

    /// <summary>Why the executor failed the task after an exception, if it did.</summary>
    public string? ExecutorFailure { get; set; }

    /// <summary>Whether the terminal update was created.</summary>
    public bool Terminal { get; set; }

    /// <summary>Whether the runner finished (post-stop hooks ran), or there never was one.</summary>
    public bool RunnerCompleted { get; set; }

    /// <summary>Whether a kill started.</summary>
    public bool Killing { get; set; }

    /// <summary>Why the first kill started.</summary>
    public KillCause KillCause { get; set; }

    /// <summary>When the first kill started.</summary>
    public DateTimeOffset KillStart { get; set; }

    /// <summary>When SIGKILL is due: a later KILL may only bring it forward.</summary>
    public DateTimeOffset KillDeadline { get; set; }

    /// <summary>Whether the ready hooks were handed to the runner (once per task).</summary>
    public bool Ready { get; set; }

    /// <summary>The latest health verdict reported; <see langword="null"/> before the first.</summary>
    public bool? Healthy { get; set; }

    /// <summary>The consecutive failures that made the health check kill the task.</summary>
    public int HealthCheckFailures { get; set; }

    /// <summary>Whether any of the task's updates was acknowledged.</summary>
    public bool Acknowledged { get; set; }

    /// <summary>How many of the task's updates are not acknowledged yet.</summary>
    public int UnacknowledgedCount { get; set; }

    /// <summary>The last status created for the task; health and check updates repeat it.</summary>
    public TaskStatus? LastStatus { get; set; }

    /// <summary>The latest <c>check_status</c>, carried in every update; <see langword="null"/> when the task has no check.</summary>
    public CheckStatusInfo? CheckStatus { get; set; }

    /// <summary>The task's running checks.</summary>
    public ITaskChecks? Checks { get; set; }

    /// <summary>The <c>max_completion_time</c> timer.</summary>
    public LoopTimer? MaxCompletionTimer { get; set; }

    /// <summary>Updates waiting for the previous UPDATE call of this task to return.</summary>
    public Queue<PendingUpdate> Outbox { get; } = new();

    /// <summary>Whether an UPDATE call of this task is in flight.</summary>
    public bool CallInFlight { get; set; }

    /// <summary>Whether the task is neither terminal nor done cleaning up.</summary>
    public bool IsLive => !(Terminal && RunnerCompleted);
}
