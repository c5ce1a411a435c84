using System.Collections.Generic;
using System.Net;
using Mesos.Executor.Core;
using Mesos.V1.Executor;

namespace Mesos.Executor.Testing.Internal;

/// <summary>The agent's answer to one request, as <see cref="ExecutorApiRules"/> decides it.</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Text">The text body (empty for 200 and 202).</param>
internal sealed record AgentDecision(HttpStatusCode Status, string Text)
{
    /// <summary>The decoded call, when decoding got that far.</summary>
    public Call? Call { get; init; }

    /// <summary>The call's encoding, when its <c>Content-Type</c> was one the agent speaks.</summary>
    public AgentContentType? ContentType { get; init; }

    /// <summary>For an accepted SUBSCRIBE: the encoding of the event stream.</summary>
    public AgentContentType? SubscribeEventType { get; init; }

    /// <summary>Extra response headers (<c>Allow</c>, <c>WWW-Authenticate</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];
}
