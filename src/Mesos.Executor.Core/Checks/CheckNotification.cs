using Mesos.V1;

namespace Mesos.Executor.Core.Checks;

/// <summary>
/// What a task's check runner tells the executor loop. The loop (which alone owns task state)
/// turns these into status updates. Contract between the checks and the state machine.
/// </summary>
/// <param name="TaskId">The task the notification is about.</param>
internal abstract record CheckNotification(TaskID TaskId);

/// <summary>
/// The task's health changed or a failure was counted: send TASK_RUNNING with <c>healthy</c> =
/// <paramref name="Healthy"/> and reason REASON_TASK_HEALTH_CHECK_STATUS_UPDATED. When
/// <paramref name="KillTask"/> is set, consecutive_failures was reached: the loop kills the task
/// through the normal kill path (its kill policy applies) and the terminal TASK_KILLED carries
/// healthy=false and a message saying the health check failed <paramref name="ConsecutiveFailures"/> times.
/// </summary>
internal sealed record HealthNotification(TaskID TaskId, bool Healthy, int ConsecutiveFailures, bool KillTask, string? Message)
    : CheckNotification(TaskId);

/// <summary>
/// The generalized check's result changed: send TASK_RUNNING with reason
/// REASON_TASK_CHECK_STATUS_UPDATED and this <c>check_status</c>, and carry it in every later update.
/// </summary>
internal sealed record CheckStatusNotification(TaskID TaskId, CheckStatusInfo Status)
    : CheckNotification(TaskId);
