using Microsoft.Extensions.Logging;

namespace Mesos.Executor.Reference;

/// <summary>The reference executor's log events (ids 4000-4999).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4000, EventName = "ReferenceExecutorStarting", Level = LogLevel.Information,
        Message = "mesos-executor {Version} starting (pid {ProcessId}, configuration: {ConfigFile})")]
    public static partial void ExecutorStarting(ILogger logger, string version, int processId, string configFile);

    [LoggerMessage(EventId = 4001, EventName = "ReferenceFlagWarning", Level = LogLevel.Warning,
        Message = "Command line: {Problem}")]
    public static partial void FlagWarning(ILogger logger, string problem);

    [LoggerMessage(EventId = 4002, EventName = "ReferenceFlagIgnored", Level = LogLevel.Debug,
        Message = "Flag --{Flag} is accepted for compatibility with mesos-docker-executor and has no effect here")]
    public static partial void FlagIgnored(ILogger logger, string flag);

    [LoggerMessage(EventId = 4003, EventName = "ReferenceSignalReceived", Level = LogLevel.Information,
        Message = "Received {Signal}: shutting down gracefully")]
    public static partial void SignalReceived(ILogger logger, string signal);

    [LoggerMessage(EventId = 4004, EventName = "ReferenceExecutorExiting", Level = LogLevel.Information,
        Message = "mesos-executor exiting with code {ExitCode}")]
    public static partial void ExecutorExiting(ILogger logger, int exitCode);

    [LoggerMessage(EventId = 4005, EventName = "ReferenceHooksEnabled", Level = LogLevel.Information,
        Message = "Hooks enabled: {Hooks}")]
    public static partial void HooksEnabled(ILogger logger, string hooks);

    [LoggerMessage(EventId = 4006, EventName = "ReferenceUnhandledException", Level = LogLevel.Critical,
        Message = "The executor failed")]
    public static partial void UnhandledException(ILogger logger, System.Exception exception);

    [LoggerMessage(EventId = 4007, EventName = "ReferenceDockerEndpoint", Level = LogLevel.Debug,
        Message = "Docker engine at {Endpoint} (API version {ApiVersion}, pull policy {PullPolicy})")]
    public static partial void DockerEndpoint(ILogger logger, string endpoint, string apiVersion, string pullPolicy);

    [LoggerMessage(EventId = 4008, EventName = "ReferencePagesReleased", Level = LogLevel.Debug,
        Message = "Released {KiB} KiB of clean file-backed pages (memory.release_file_pages)")]
    public static partial void PagesReleased(ILogger logger, long kiB);

    [LoggerMessage(EventId = 4009, EventName = "ReferenceEnvironmentVariableIgnored", Level = LogLevel.Warning,
        Message = "Environment variable {Variable} is ignored: the configuration file's environment_overrides does not allow its key")]
    public static partial void EnvironmentVariableIgnored(ILogger logger, string variable);

    [LoggerMessage(EventId = 4010, EventName = "ReferenceEnvironmentVariableApplied", Level = LogLevel.Information,
        Message = "Configuration from environment variable {Variable} (allowed by environment_overrides)")]
    public static partial void EnvironmentVariableApplied(ILogger logger, string variable);

    [LoggerMessage(EventId = 4011, EventName = "ReferenceTaskVariableRefused", Level = LogLevel.Warning,
        Message = "Environment variable {Variable} came from the task (ExecutorInfo.command.environment): a task cannot configure the executor")]
    public static partial void TaskVariableRefused(ILogger logger, string variable);
}
