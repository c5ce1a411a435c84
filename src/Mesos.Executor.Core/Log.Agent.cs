using Mesos.V1.Executor;
using Microsoft.Extensions.Logging;

namespace Mesos.Executor.Core;

// The agent transport's log messages (event ids 1000-1199).
internal static partial class Log
{
    [LoggerMessage(EventId = 1000, EventName = "AgentSubscribing", Level = LogLevel.Debug,
        Message = "Subscribing to the agent at {Endpoint} ({MediaType})")]
    public static partial void AgentSubscribing(ILogger logger, string endpoint, string mediaType);

    [LoggerMessage(EventId = 1001, EventName = "AgentSubscriptionOpened", Level = LogLevel.Information,
        Message = "Subscription stream to the agent at {Endpoint} is open ({MediaType})")]
    public static partial void AgentSubscriptionOpened(ILogger logger, string endpoint, string mediaType);

    [LoggerMessage(EventId = 1002, EventName = "AgentEventReceived", Level = LogLevel.Debug,
        Message = "Received {EventType} event ({Bytes} bytes)")]
    public static partial void AgentEventReceived(ILogger logger, Event.Types.Type eventType, int bytes);

    [LoggerMessage(EventId = 1003, EventName = "AgentCallSending", Level = LogLevel.Debug,
        Message = "Sending {CallType} call ({Bytes} bytes)")]
    public static partial void AgentCallSending(ILogger logger, Call.Types.Type callType, int bytes);

    [LoggerMessage(EventId = 1004, EventName = "AgentCallAccepted", Level = LogLevel.Debug,
        Message = "The agent accepted the {CallType} call")]
    public static partial void AgentCallAccepted(ILogger logger, Call.Types.Type callType);
}
