using System;
using Microsoft.Extensions.Logging;

namespace Mesos.Executor.Docker;

// The Docker containerizer's log messages (event ids 2000-2999). Never log task environment values.
internal static partial class Log
{
    /// <summary>The 12-character form of a container id used in messages.</summary>
    public static string ShortId(string containerId) => containerId.Length > 12 ? containerId[..12] : containerId;

    [LoggerMessage(EventId = 2000, EventName = "DockerApiVersionNegotiated", Level = LogLevel.Debug,
        Message = "Docker engine at {Endpoint} speaks API {ServerApiVersion}; using {ApiVersion}")]
    public static partial void ApiVersionNegotiated(ILogger logger, string endpoint, string serverApiVersion, string apiVersion);

    [LoggerMessage(EventId = 2090, EventName = "DockerEngineIsPodman", Level = LogLevel.Information,
        Message = "The engine at {Endpoint} is Podman (its Docker-compatible API); its differences from Docker are evened out")]
    public static partial void EngineIsPodman(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 2001, EventName = "DockerContainerCreated", Level = LogLevel.Information,
        Message = "Created container {ContainerId} ({ContainerName}) for task {TaskId} from image {Image}")]
    public static partial void ContainerCreated(ILogger logger, string containerId, string containerName, string taskId, string image);

    [LoggerMessage(EventId = 2002, EventName = "DockerContainerCreateWarning", Level = LogLevel.Warning,
        Message = "Docker warned while creating container {ContainerId}: {Warning}")]
    public static partial void ContainerCreateWarning(ILogger logger, string containerId, string warning);

    [LoggerMessage(EventId = 2003, EventName = "DockerContainerStarted", Level = LogLevel.Information,
        Message = "Started container {ContainerId}")]
    public static partial void ContainerStarted(ILogger logger, string containerId);

    [LoggerMessage(EventId = 2004, EventName = "DockerContainerNameTaken", Level = LogLevel.Information,
        Message = "Container name {ContainerName} belongs to an earlier task of this executor; task {TaskId} gets {NewName}")]
    public static partial void ContainerNameTaken(ILogger logger, string containerName, string taskId, string newName);

    [LoggerMessage(EventId = 2010, EventName = "DockerImagePulling", Level = LogLevel.Information,
        Message = "Pulling image {Image}")]
    public static partial void ImagePulling(ILogger logger, string image);

    [LoggerMessage(EventId = 2011, EventName = "DockerImagePullProgress", Level = LogLevel.Debug,
        Message = "Pulling image {Image}: {Layer} {Status}")]
    public static partial void ImagePullProgress(ILogger logger, string image, string layer, string status);

    [LoggerMessage(EventId = 2012, EventName = "DockerImagePulled", Level = LogLevel.Information,
        Message = "Pulled image {Image} in {Elapsed}")]
    public static partial void ImagePulled(ILogger logger, string image, TimeSpan elapsed);

    [LoggerMessage(EventId = 2013, EventName = "DockerImagePullCredentials", Level = LogLevel.Information,
        Message = "Pulling image {Image} with the credentials of {Key} from {Source}")]
    public static partial void ImagePullCredentials(ILogger logger, string image, string key, string source);

    [LoggerMessage(EventId = 2014, EventName = "DockerCredentialHelperUnsupported", Level = LogLevel.Warning,
        Message = "{Source} names the credential helper {Helper} for registry {Registry}; the executor runs no credential helpers and pulls without credentials")]
    public static partial void CredentialHelperUnsupported(ILogger logger, string source, string helper, string registry);

    [LoggerMessage(EventId = 2015, EventName = "DockerImagePullLeftToAgent", Level = LogLevel.Debug,
        Message = "Image {Image} is present: force_pull_image was honoured by the agent, which pulled it before starting the executor")]
    public static partial void ImagePullLeftToAgent(ILogger logger, string image);

    [LoggerMessage(EventId = 2020, EventName = "DockerContainerExited", Level = LogLevel.Information,
        Message = "Container {ContainerId} exited with code {ExitCode} (OOM killed: {OomKilled})")]
    public static partial void ContainerExited(ILogger logger, string containerId, int exitCode, bool oomKilled);

    [LoggerMessage(EventId = 2021, EventName = "DockerConnectionLost", Level = LogLevel.Warning,
        Message = "Lost the connection to the Docker engine while waiting for container {ContainerId} ({Reason}); reconnecting for up to {Timeout}")]
    public static partial void ConnectionLost(ILogger logger, string containerId, string reason, TimeSpan timeout);

    [LoggerMessage(EventId = 2022, EventName = "DockerConnectionRestored", Level = LogLevel.Information,
        Message = "Reconnected to the Docker engine; container {ContainerId} is still running")]
    public static partial void ConnectionRestored(ILogger logger, string containerId);

    [LoggerMessage(EventId = 2030, EventName = "DockerContainerStopping", Level = LogLevel.Information,
        Message = "Stopping container {ContainerId} with {Signal}, SIGKILL after {GracePeriod}")]
    public static partial void ContainerStopping(ILogger logger, string containerId, string signal, TimeSpan gracePeriod);

    [LoggerMessage(EventId = 2031, EventName = "DockerContainerGraceExpired", Level = LogLevel.Warning,
        Message = "Container {ContainerId} did not stop within {GracePeriod}; sending SIGKILL")]
    public static partial void ContainerGraceExpired(ILogger logger, string containerId, TimeSpan gracePeriod);

    [LoggerMessage(EventId = 2032, EventName = "DockerContainerNotRunning", Level = LogLevel.Debug,
        Message = "Container {ContainerId} is not running; nothing to stop")]
    public static partial void ContainerNotRunning(ILogger logger, string containerId);

    [LoggerMessage(EventId = 2033, EventName = "DockerContainerRemoved", Level = LogLevel.Information,
        Message = "Removed container {ContainerId}")]
    public static partial void ContainerRemoved(ILogger logger, string containerId);

    [LoggerMessage(EventId = 2040, EventName = "DockerExecTimedOut", Level = LogLevel.Warning,
        Message = "Command in container {ContainerId} timed out after {Timeout}; killing its process {Pid}")]
    public static partial void ExecTimedOut(ILogger logger, string containerId, TimeSpan timeout, long pid);

    [LoggerMessage(EventId = 2041, EventName = "DockerExecKillFailed", Level = LogLevel.Warning,
        Message = "Could not kill the timed-out command's process {Pid} in container {ContainerId}: {Reason}")]
    public static partial void ExecKillFailed(ILogger logger, string containerId, long pid, string reason);

    [LoggerMessage(EventId = 2050, EventName = "DockerLogStreamBroken", Level = LogLevel.Warning,
        Message = "The output stream of container {ContainerId} broke ({Reason}); reconnecting")]
    public static partial void LogStreamBroken(ILogger logger, string containerId, string reason);

    [LoggerMessage(EventId = 2051, EventName = "DockerLogStreamResumed", Level = LogLevel.Information,
        Message = "Resumed the output stream of container {ContainerId}")]
    public static partial void LogStreamResumed(ILogger logger, string containerId);

    [LoggerMessage(EventId = 2052, EventName = "DockerLogStreamUnavailable", Level = LogLevel.Warning,
        Message = "Cannot stream the output of container {ContainerId}: {Reason}")]
    public static partial void LogStreamUnavailable(ILogger logger, string containerId, string reason);

    [LoggerMessage(EventId = 2053, EventName = "DockerLogStreamAbandoned", Level = LogLevel.Warning,
        Message = "Gave up streaming the output of container {ContainerId} after {Timeout} without the engine")]
    public static partial void LogStreamAbandoned(ILogger logger, string containerId, TimeSpan timeout);

    // 2054 (DockerLogFileWriteFailed) is retired: the output no longer goes to sandbox files.
    [LoggerMessage(EventId = 2060, EventName = "DockerOutputWriteFailed", Level = LogLevel.Warning,
        Message = "Cannot write the output of container {ContainerId} to the executor's stdout/stderr, stopped forwarding it: {Reason}")]
    public static partial void OutputWriteFailed(ILogger logger, string containerId, string reason);
}
