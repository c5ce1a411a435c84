using System;
using Microsoft.Extensions.Logging;

namespace Mesos.Executor.Core;

/// <summary>Log events of health checks and generalized checks (ids 1500-1799).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1500, EventName = "CheckRunnerStarted", Level = LogLevel.Debug,
        Message = "Checks of task {TaskId} started (health check: {HealthCheckType}, check: {CheckType})")]
    public static partial void CheckRunnerStarted(ILogger logger, string taskId, string healthCheckType, string checkType);

    [LoggerMessage(EventId = 1501, EventName = "CheckRunnerStopped", Level = LogLevel.Debug,
        Message = "Checks of task {TaskId} stopped")]
    public static partial void CheckRunnerStopped(ILogger logger, string taskId);

    [LoggerMessage(EventId = 1510, EventName = "HealthCheckPassed", Level = LogLevel.Debug,
        Message = "{CheckType} health check of task {TaskId} passed")]
    public static partial void HealthCheckPassed(ILogger logger, string taskId, string checkType);

    [LoggerMessage(EventId = 1511, EventName = "HealthCheckHealthy", Level = LogLevel.Information,
        Message = "Task {TaskId} is healthy ({CheckType} health check passed)")]
    public static partial void HealthCheckHealthy(ILogger logger, string taskId, string checkType);

    [LoggerMessage(EventId = 1512, EventName = "HealthCheckFailed", Level = LogLevel.Warning,
        Message = "{CheckType} health check of task {TaskId} failed {ConsecutiveFailures} times consecutively: {Reason}")]
    public static partial void HealthCheckFailed(ILogger logger, string taskId, string checkType, int consecutiveFailures, string reason);

    [LoggerMessage(EventId = 1513, EventName = "HealthCheckFailureInGracePeriod", Level = LogLevel.Information,
        Message = "Ignoring failure of the {CheckType} health check of task {TaskId}: still in its grace period ({Reason})")]
    public static partial void HealthCheckFailureInGracePeriod(ILogger logger, string taskId, string checkType, string reason);

    [LoggerMessage(EventId = 1514, EventName = "HealthCheckKillingTask", Level = LogLevel.Warning,
        Message = "Task {TaskId} failed its health check {ConsecutiveFailures} times consecutively: it will be killed")]
    public static partial void HealthCheckKillingTask(ILogger logger, string taskId, int consecutiveFailures);

    [LoggerMessage(EventId = 1520, EventName = "CheckStatusChanged", Level = LogLevel.Information,
        Message = "{CheckType} check of task {TaskId} returned {Status}")]
    public static partial void CheckStatusChanged(ILogger logger, string taskId, string checkType, string status);

    [LoggerMessage(EventId = 1521, EventName = "CheckNotAvailable", Level = LogLevel.Warning,
        Message = "{CheckType} check of task {TaskId} gave no result: {Reason}")]
    public static partial void CheckNotAvailable(ILogger logger, string taskId, string checkType, string reason);

    [LoggerMessage(EventId = 1530, EventName = "CheckProbeThrew", Level = LogLevel.Warning,
        Message = "The probe of the {CheckType} check of task {TaskId} threw")]
    public static partial void CheckProbeThrew(ILogger logger, Exception exception, string taskId, string checkType);

    [LoggerMessage(EventId = 1531, EventName = "CheckNotifyFailed", Level = LogLevel.Error,
        Message = "Delivering a check notification for task {TaskId} failed")]
    public static partial void CheckNotifyFailed(ILogger logger, Exception exception, string taskId);

    [LoggerMessage(EventId = 1540, EventName = "HealthCheckProbeTimedOut", Level = LogLevel.Debug,
        Message = "{Kind} probe of container {ContainerId} timed out after {Timeout}")]
    private static partial void HealthCheckProbeTimedOutCore(ILogger logger, string containerId, ProbeKind kind, TimeSpan timeout);

    [LoggerMessage(EventId = 1541, EventName = "HealthCheckRedirectNotFollowed", Level = LogLevel.Debug,
        Message = "HTTP probe of container {ContainerId}: redirect to {Host} (not loopback) not followed; its status counts")]
    private static partial void HealthCheckRedirectNotFollowedCore(ILogger logger, string containerId, string host);

    public static void HealthCheckProbeTimedOut(ILogger logger, string containerId, ProbeKind kind, TimeSpan timeout)
    {
        if (logger.IsEnabled(LogLevel.Debug))
        {
            HealthCheckProbeTimedOutCore(logger, CheckContainerId(containerId), kind, timeout);
        }
    }

    public static void HealthCheckRedirectNotFollowed(ILogger logger, string containerId, string host)
    {
        if (logger.IsEnabled(LogLevel.Debug))
        {
            HealthCheckRedirectNotFollowedCore(logger, CheckContainerId(containerId), host);
        }
    }

    // Container ids are logged with their first 12 characters, as Docker shows them.
    private static string CheckContainerId(string containerId) => containerId.Length > 12 ? containerId[..12] : containerId;
}
