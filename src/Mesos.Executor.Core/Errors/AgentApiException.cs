using System;
using System.Net;

namespace Mesos.Executor.Core;

/// <summary>A call to the agent's executor API failed.</summary>
public sealed class AgentApiException : MesosExecutorException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong, including the agent's text body when there was one.</param>
    /// <param name="statusCode">The HTTP status, or <see langword="null"/> when no response arrived.</param>
    /// <param name="isTransient">Whether retrying later may succeed (503, connection errors).</param>
    /// <param name="isSubscriptionLost">Whether an established subscription ended.</param>
    /// <param name="innerException">The cause, if any.</param>
    public AgentApiException(string message, HttpStatusCode? statusCode, bool isTransient, bool isSubscriptionLost = false, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        IsTransient = isTransient;
        IsSubscriptionLost = isSubscriptionLost;
    }

    /// <summary>The HTTP status the agent answered, or <see langword="null"/> when no response arrived.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>Whether retrying later may succeed: 503 (agent recovering) and connection errors.</summary>
    public bool IsTransient { get; }

    /// <summary>Whether an established SUBSCRIBE stream ended (the agent went away).</summary>
    public bool IsSubscriptionLost { get; }
}
