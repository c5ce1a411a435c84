using System;
using Mesos.Executor.Core.Execution;
using Mesos.V1;
using Mesos.V1.Executor;
using Microsoft.Extensions.Logging;

namespace Mesos.Executor.Core;

// The executor state machine's log messages (event ids 1200-1499).
internal static partial class Log
{
    /// <summary>The first 12 characters of a container id, as <c>docker ps</c> shows it.</summary>
    public static string ShortId(string? containerId) =>
        containerId == null ? string.Empty : containerId.Length <= 12 ? containerId : containerId[..12];

    // Executor lifecycle and connection: 1200-1249.

    [LoggerMessage(EventId = 1200, EventName = "ExecutorStarting", Level = LogLevel.Information,
        Message = "Executor {ExecutorId} of framework {FrameworkId} starting (checkpoint: {Checkpoint})")]
    public static partial void ExecutorStarting(ILogger logger, string executorId, string frameworkId, bool checkpoint);

    [LoggerMessage(EventId = 1201, EventName = "Subscribing", Level = LogLevel.Information,
        Message = "Subscribing to the agent with {UnacknowledgedUpdates} unacknowledged updates and {UnacknowledgedTasks} unacknowledged tasks")]
    public static partial void Subscribing(ILogger logger, int unacknowledgedUpdates, int unacknowledgedTasks);

    [LoggerMessage(EventId = 1202, EventName = "Subscribed", Level = LogLevel.Information,
        Message = "Subscribed on agent {AgentHostname} (agent {AgentId}, executor container {ContainerId})")]
    public static partial void Subscribed(ILogger logger, string agentHostname, string agentId, string containerId);

    [LoggerMessage(EventId = 1203, EventName = "SubscribeDeferred", Level = LogLevel.Warning,
        Message = "The agent answered SUBSCRIBE with {StatusCode}; subscribing again in {Delay}: {Reason}")]
    public static partial void SubscribeDeferred(ILogger logger, int statusCode, TimeSpan delay, string reason);

    [LoggerMessage(EventId = 1204, EventName = "SubscribeRejected", Level = LogLevel.Error,
        Message = "The agent rejected SUBSCRIBE with {StatusCode}: {Reason}; shutting down")]
    public static partial void SubscribeRejected(ILogger logger, int statusCode, string reason);

    [LoggerMessage(EventId = 1205, EventName = "Disconnected", Level = LogLevel.Warning,
        Message = "No connection to the agent: {Reason}")]
    public static partial void Disconnected(ILogger logger, string reason);

    [LoggerMessage(EventId = 1206, EventName = "DisconnectedShuttingDown", Level = LogLevel.Error,
        Message = "Lost the agent and cannot wait for it (checkpoint: {Checkpoint}, or it was never reached); killing the tasks and exiting")]
    public static partial void DisconnectedShuttingDown(ILogger logger, bool checkpoint);

    [LoggerMessage(EventId = 1207, EventName = "RecoveryStarted", Level = LogLevel.Warning,
        Message = "Waiting up to {RecoveryTimeout} for the agent to come back")]
    public static partial void RecoveryStarted(ILogger logger, TimeSpan recoveryTimeout);

    [LoggerMessage(EventId = 1208, EventName = "Reconnecting", Level = LogLevel.Warning,
        Message = "Subscribing again in {Delay}")]
    public static partial void Reconnecting(ILogger logger, TimeSpan delay);

    [LoggerMessage(EventId = 1209, EventName = "RecoveryTimedOut", Level = LogLevel.Error,
        Message = "The agent did not come back within {RecoveryTimeout}; killing the tasks and exiting")]
    public static partial void RecoveryTimedOut(ILogger logger, TimeSpan recoveryTimeout);

    [LoggerMessage(EventId = 1210, EventName = "ShutdownReceived", Level = LogLevel.Information,
        Message = "Received SHUTDOWN from the agent")]
    public static partial void ShutdownReceived(ILogger logger);

    [LoggerMessage(EventId = 1211, EventName = "ShutdownRequested", Level = LogLevel.Information,
        Message = "Shutdown requested by the process (SIGTERM/SIGINT or cancellation)")]
    public static partial void ShutdownRequested(ILogger logger);

    [LoggerMessage(EventId = 1212, EventName = "ShuttingDown", Level = LogLevel.Information,
        Message = "Shutting down: killing {TaskCount} tasks with a grace period of {GracePeriod} (shutdown grace period {ShutdownGracePeriod})")]
    public static partial void ShuttingDown(ILogger logger, int taskCount, TimeSpan gracePeriod, TimeSpan shutdownGracePeriod);

    [LoggerMessage(EventId = 1213, EventName = "AgentErrorEvent", Level = LogLevel.Error,
        Message = "The agent sent ERROR: {Message}; shutting down")]
    public static partial void AgentErrorEvent(ILogger logger, string message);

    [LoggerMessage(EventId = 1214, EventName = "HeartbeatEventReceived", Level = LogLevel.Debug,
        Message = "Received HEARTBEAT from the agent")]
    public static partial void HeartbeatEventReceived(ILogger logger);

    [LoggerMessage(EventId = 1215, EventName = "UnknownEventIgnored", Level = LogLevel.Debug,
        Message = "Ignoring an event of unknown type {EventType}")]
    public static partial void UnknownEventIgnored(ILogger logger, int eventType);

    [LoggerMessage(EventId = 1216, EventName = "HeartbeatSent", Level = LogLevel.Debug,
        Message = "Sent HEARTBEAT to the agent")]
    public static partial void HeartbeatSent(ILogger logger);

    [LoggerMessage(EventId = 1217, EventName = "HeartbeatFailed", Level = LogLevel.Warning,
        Message = "HEARTBEAT call failed: {Reason}")]
    public static partial void HeartbeatFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 1218, EventName = "ExecutorExited", Level = LogLevel.Information,
        Message = "Executor exiting with code {ExitCode}")]
    public static partial void ExecutorExited(ILogger logger, int exitCode);

    [LoggerMessage(EventId = 1219, EventName = "ExitingWithUnacknowledgedUpdates", Level = LogLevel.Warning,
        Message = "Exiting with {Count} unacknowledged status updates: the agent cannot be reached any more")]
    public static partial void ExitingWithUnacknowledgedUpdates(ILogger logger, int count);

    [LoggerMessage(EventId = 1220, EventName = "WaitingForAcknowledgements", Level = LogLevel.Information,
        Message = "Every task ended; waiting up to {Timeout} for the agent to acknowledge {Count} status updates")]
    public static partial void WaitingForAcknowledgements(ILogger logger, int count, TimeSpan timeout);

    [LoggerMessage(EventId = 1221, EventName = "AcknowledgementTimeout", Level = LogLevel.Error,
        Message = "The agent did not acknowledge {Count} status updates within {Timeout}; exiting anyway")]
    public static partial void AcknowledgementTimeout(ILogger logger, int count, TimeSpan timeout);

    [LoggerMessage(EventId = 1222, EventName = "ShutdownGraceExpired", Level = LogLevel.Error,
        Message = "The shutdown grace period of {GracePeriod} is over with {LiveTasks} tasks not ended and {Unacknowledged} updates unacknowledged; exiting")]
    public static partial void ShutdownGraceExpired(ILogger logger, TimeSpan gracePeriod, int liveTasks, int unacknowledged);

    [LoggerMessage(EventId = 1223, EventName = "EventReceived", Level = LogLevel.Debug,
        Message = "Handling {EventType} event")]
    public static partial void EventReceived(ILogger logger, Event.Types.Type eventType);

    [LoggerMessage(EventId = 1224, EventName = "StaleEventIgnored", Level = LogLevel.Debug,
        Message = "Ignoring {EventType} event from an earlier subscription")]
    public static partial void StaleEventIgnored(ILogger logger, Event.Types.Type eventType);

    [LoggerMessage(EventId = 1225, EventName = "LoopMessageFailed", Level = LogLevel.Error,
        Message = "Unexpected failure while handling {MessageType}")]
    public static partial void LoopMessageFailed(ILogger logger, string messageType, Exception exception);

    [LoggerMessage(EventId = 1226, EventName = "FrameworkMessageReceived", Level = LogLevel.Debug,
        Message = "Received a framework message of {Bytes} bytes")]
    public static partial void FrameworkMessageReceived(ILogger logger, int bytes);

    [LoggerMessage(EventId = 1227, EventName = "FrameworkMessageHandlerFailed", Level = LogLevel.Error,
        Message = "The framework message handler failed")]
    public static partial void FrameworkMessageHandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1228, EventName = "FrameworkMessageDropped", Level = LogLevel.Debug,
        Message = "Dropping a framework message of {Bytes} bytes: no handler is registered")]
    public static partial void FrameworkMessageDropped(ILogger logger, int bytes);

    [LoggerMessage(EventId = 1229, EventName = "MessageSendFailed", Level = LogLevel.Warning,
        Message = "MESSAGE call failed: {Reason}")]
    public static partial void MessageSendFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 1230, EventName = "ExecutorFailed", Level = LogLevel.Critical,
        Message = "The executor failed")]
    public static partial void ExecutorFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1231, EventName = "FlowFailed", Level = LogLevel.Warning,
        Message = "A background operation failed while the executor stopped")]
    public static partial void FlowFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1232, EventName = "TasksRefused", Level = LogLevel.Error,
        Message = "The executor refuses to run tasks: {Reason}")]
    public static partial void TasksRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 1233, EventName = "TaskRefused", Level = LogLevel.Error,
        Message = "Task {TaskId} refused: the executor's SUBSCRIBED check failed")]
    public static partial void TaskRefused(ILogger logger, string taskId);

    // Tasks: 1250-1299.

    [LoggerMessage(EventId = 1250, EventName = "TaskLaunching", Level = LogLevel.Information,
        Message = "Launching task {TaskId}")]
    public static partial void TaskLaunching(ILogger logger, string taskId);

    [LoggerMessage(EventId = 1251, EventName = "DuplicateLaunch", Level = LogLevel.Error,
        Message = "Ignoring the launch of task {TaskId}: a task with this id is already known")]
    public static partial void DuplicateLaunch(ILogger logger, string taskId);

    [LoggerMessage(EventId = 1290, EventName = "StatusCallbackFailed", Level = LogLevel.Error,
        Message = "The status callback failed for an update of task {TaskId} ({State}); the update is sent without its additions")]
    public static partial void StatusCallbackFailed(ILogger logger, string taskId, string state, Exception exception);

    [LoggerMessage(EventId = 1252, EventName = "TaskInvalid", Level = LogLevel.Error,
        Message = "Task {TaskId} is invalid: {Reason}")]
    public static partial void TaskInvalid(ILogger logger, string taskId, string reason);

    [LoggerMessage(EventId = 1253, EventName = "TaskRunning", Level = LogLevel.Information,
        Message = "Task {TaskId} runs in container {ContainerId}")]
    public static partial void TaskRunning(ILogger logger, string taskId, string containerId);

    [LoggerMessage(EventId = 1254, EventName = "TaskEnded", Level = LogLevel.Information,
        Message = "Task {TaskId} ended in {State}: {Message}")]
    public static partial void TaskEnded(ILogger logger, string taskId, string state, string message);

    [LoggerMessage(EventId = 1255, EventName = "TaskFailed", Level = LogLevel.Error,
        Message = "Task {TaskId} failed: {Message}")]
    public static partial void TaskFailed(ILogger logger, string taskId, string message);

    [LoggerMessage(EventId = 1256, EventName = "KillingTask", Level = LogLevel.Information,
        Message = "Killing task {TaskId} with a grace period of {GracePeriod} ({Cause})")]
    public static partial void KillingTask(ILogger logger, string taskId, TimeSpan gracePeriod, KillCause cause);

    [LoggerMessage(EventId = 1257, EventName = "KillUnknownTask", Level = LogLevel.Warning,
        Message = "Ignoring the kill of task {TaskId}: no such live task")]
    public static partial void KillUnknownTask(ILogger logger, string taskId);

    [LoggerMessage(EventId = 1258, EventName = "KillAlreadyInProgress", Level = LogLevel.Information,
        Message = "Task {TaskId} is already being killed with a grace period that is not longer")]
    public static partial void KillAlreadyInProgress(ILogger logger, string taskId);

    [LoggerMessage(EventId = 1259, EventName = "KillGraceShortened", Level = LogLevel.Information,
        Message = "Shortening the kill of task {TaskId}: SIGKILL in {Remaining}")]
    public static partial void KillGraceShortened(ILogger logger, string taskId, TimeSpan remaining);

    [LoggerMessage(EventId = 1260, EventName = "KillingTaskGroup", Level = LogLevel.Information,
        Message = "Task {TaskId} ended in {State}: killing the rest of its task group")]
    public static partial void KillingTaskGroup(ILogger logger, string taskId, string state);

    [LoggerMessage(EventId = 1261, EventName = "LaunchWhileShuttingDown", Level = LogLevel.Warning,
        Message = "Not launching task {TaskId}: the executor is shutting down")]
    public static partial void LaunchWhileShuttingDown(ILogger logger, string taskId);

    [LoggerMessage(EventId = 1262, EventName = "MaxCompletionTimeReached", Level = LogLevel.Information,
        Message = "Task {TaskId} exceeded its max_completion_time of {MaxCompletionTime}")]
    public static partial void MaxCompletionTimeReached(ILogger logger, string taskId, TimeSpan maxCompletionTime);

    [LoggerMessage(EventId = 1263, EventName = "TaskHealthUpdated", Level = LogLevel.Information,
        Message = "Task {TaskId} health: healthy={Healthy} (consecutive failures: {ConsecutiveFailures})")]
    public static partial void TaskHealthUpdated(ILogger logger, string taskId, bool healthy, int consecutiveFailures);

    [LoggerMessage(EventId = 1264, EventName = "TaskKilledByHealthCheck", Level = LogLevel.Warning,
        Message = "Killing task {TaskId}: its health check failed {ConsecutiveFailures} consecutive times")]
    public static partial void TaskKilledByHealthCheck(ILogger logger, string taskId, int consecutiveFailures);

    [LoggerMessage(EventId = 1265, EventName = "TaskCheckUpdated", Level = LogLevel.Information,
        Message = "Task {TaskId} check status changed")]
    public static partial void TaskCheckUpdated(ILogger logger, string taskId);

    [LoggerMessage(EventId = 1266, EventName = "CheckNotificationIgnored", Level = LogLevel.Debug,
        Message = "Ignoring a check result of task {TaskId}: it is being killed or has ended")]
    public static partial void CheckNotificationIgnored(ILogger logger, string taskId);

    [LoggerMessage(EventId = 1267, EventName = "ChecksStartFailed", Level = LogLevel.Error,
        Message = "Could not start the checks of task {TaskId}; the task is failed")]
    public static partial void ChecksStartFailed(ILogger logger, string taskId, Exception exception);

    [LoggerMessage(EventId = 1268, EventName = "ChecksStopFailed", Level = LogLevel.Warning,
        Message = "Stopping the checks of task {TaskId} failed")]
    public static partial void ChecksStopFailed(ILogger logger, string taskId, Exception exception);

    [LoggerMessage(EventId = 1269, EventName = "TaskHandlingFailed", Level = LogLevel.Error,
        Message = "Task {TaskId}: {Reason}")]
    public static partial void TaskHandlingFailed(ILogger logger, string taskId, string reason, Exception exception);

    [LoggerMessage(EventId = 1270, EventName = "TaskFailureNotReported", Level = LogLevel.Critical,
        Message = "Task {TaskId} could not be reported as failed; the executor gives it up")]
    public static partial void TaskFailureNotReported(ILogger logger, string taskId, Exception exception);

    // Status updates: 1300-1349.

    [LoggerMessage(EventId = 1300, EventName = "StatusUpdateQueued", Level = LogLevel.Debug,
        Message = "Status update {State} for task {TaskId} ({Uuid})")]
    public static partial void StatusUpdateQueued(ILogger logger, string taskId, string state, string uuid);

    [LoggerMessage(EventId = 1301, EventName = "StatusUpdateSent", Level = LogLevel.Debug,
        Message = "The agent accepted status update {State} for task {TaskId} ({Uuid})")]
    public static partial void StatusUpdateSent(ILogger logger, string taskId, string state, string uuid);

    [LoggerMessage(EventId = 1302, EventName = "StatusUpdateDeferred", Level = LogLevel.Warning,
        Message = "Status update {State} for task {TaskId} ({Uuid}) was not accepted ({Reason}); it stays pending for the next SUBSCRIBE")]
    public static partial void StatusUpdateDeferred(ILogger logger, string taskId, string state, string uuid, string reason);

    [LoggerMessage(EventId = 1303, EventName = "StatusUpdateRejected", Level = LogLevel.Error,
        Message = "The agent rejected status update {State} for task {TaskId} ({Uuid}): {Reason}")]
    public static partial void StatusUpdateRejected(ILogger logger, string taskId, string state, string uuid, string reason);

    [LoggerMessage(EventId = 1304, EventName = "StatusUpdateAcknowledged", Level = LogLevel.Debug,
        Message = "The agent acknowledged status update {State} for task {TaskId} ({Uuid})")]
    public static partial void StatusUpdateAcknowledged(ILogger logger, string taskId, string state, string uuid);

    [LoggerMessage(EventId = 1305, EventName = "UnknownAcknowledgement", Level = LogLevel.Warning,
        Message = "Ignoring an acknowledgement of an unknown status update for task {TaskId} ({Uuid})")]
    public static partial void UnknownAcknowledgement(ILogger logger, string taskId, string uuid);

    // Task runners: 1350-1399.

    [LoggerMessage(EventId = 1350, EventName = "LaunchStepFailed", Level = LogLevel.Error,
        Message = "Launching task {TaskId} failed: {Reason}")]
    public static partial void LaunchStepFailed(ILogger logger, string taskId, string reason, Exception? exception);

    [LoggerMessage(EventId = 1351, EventName = "LaunchAbortedByKill", Level = LogLevel.Information,
        Message = "The launch of task {TaskId} was aborted by a kill")]
    public static partial void LaunchAbortedByKill(ILogger logger, string taskId);

    [LoggerMessage(EventId = 1352, EventName = "RunningHook", Level = LogLevel.Debug,
        Message = "Running {Phase} hook {HookName} for task {TaskId}")]
    public static partial void RunningHook(ILogger logger, string taskId, string phase, string hookName);

    [LoggerMessage(EventId = 1353, EventName = "StopHookFailed", Level = LogLevel.Error,
        Message = "The {Phase} hook {HookName} failed for task {TaskId}; the remaining hooks still run")]
    public static partial void StopHookFailed(ILogger logger, string taskId, string phase, string hookName, Exception exception);

    [LoggerMessage(EventId = 1354, EventName = "StoppingContainer", Level = LogLevel.Information,
        Message = "Stopping container {ContainerId} of task {TaskId} with a grace period of {GracePeriod}")]
    public static partial void StoppingContainer(ILogger logger, string taskId, string containerId, TimeSpan gracePeriod);

    [LoggerMessage(EventId = 1355, EventName = "StopContainerFailed", Level = LogLevel.Error,
        Message = "Stopping container {ContainerId} of task {TaskId} failed (retry in {RetryIn})")]
    public static partial void StopContainerFailed(ILogger logger, string taskId, string containerId, TimeSpan retryIn, Exception exception);

    [LoggerMessage(EventId = 1356, EventName = "ContainerExited", Level = LogLevel.Information,
        Message = "Container {ContainerId} of task {TaskId} exited with status {ExitCode} (OOM killed: {OomKilled})")]
    public static partial void ContainerExited(ILogger logger, string taskId, string containerId, int exitCode, bool oomKilled);

    [LoggerMessage(EventId = 1357, EventName = "WaitFailed", Level = LogLevel.Error,
        Message = "Waiting for container {ContainerId} of task {TaskId} failed")]
    public static partial void WaitFailed(ILogger logger, string taskId, string containerId, Exception exception);

    [LoggerMessage(EventId = 1358, EventName = "RunnerFailed", Level = LogLevel.Error,
        Message = "The runner of task {TaskId} failed unexpectedly")]
    public static partial void RunnerFailed(ILogger logger, string taskId, Exception exception);

    [LoggerMessage(EventId = 1359, EventName = "HookFailedTaskGoesOn", Level = LogLevel.Warning,
        Message = "The {Phase} hook {HookName} failed for task {TaskId}; the task goes on")]
    public static partial void HookFailedTaskGoesOn(ILogger logger, string taskId, string phase, string hookName, Exception exception);

    [LoggerMessage(EventId = 1360, EventName = "TaskReady", Level = LogLevel.Information,
        Message = "Task {TaskId} is ready ({Why})")]
    public static partial void TaskReady(ILogger logger, string taskId, string why);

    [LoggerMessage(EventId = 1361, EventName = "DrainingTask", Level = LogLevel.Information,
        Message = "Draining task {TaskId} for {DrainDelay} before stopping it")]
    public static partial void DrainingTask(ILogger logger, string taskId, TimeSpan drainDelay);

    [LoggerMessage(EventId = 1362, EventName = "DrainLabelInvalid", Level = LogLevel.Warning,
        Message = "Task {TaskId}: label {LabelName} is not a Mesos duration ('{Value}'); the default drain delay applies")]
    public static partial void DrainLabelInvalid(ILogger logger, string taskId, string labelName, string value);

    [LoggerMessage(EventId = 1363, EventName = "DrainLabelCapped", Level = LogLevel.Warning,
        Message = "Task {TaskId}: label {LabelName} asks for a drain delay of {Requested}; capped at {Max}")]
    public static partial void DrainLabelCapped(ILogger logger, string taskId, string labelName, TimeSpan requested, TimeSpan max);
}
