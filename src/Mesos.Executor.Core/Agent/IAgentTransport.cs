using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Mesos.V1.Executor;

namespace Mesos.Executor.Core.Agent;

/// <summary>
/// The executor's connection to the agent's <c>/api/v1/executor</c> endpoint. Contract between the
/// HTTP transport and the state machine; the state machine's unit tests replace it in memory.
/// </summary>
internal interface IAgentTransport
{
    /// <summary>
    /// Sends SUBSCRIBE on its own long-lived connection and yields the agent's events as they
    /// arrive. Ends by throwing <see cref="AgentApiException"/> (IsSubscriptionLost when the stream
    /// ended or broke after 200 OK; IsTransient for 503 / connection refused) or
    /// <see cref="RecordIOFormatException"/> for a malformed stream.
    /// </summary>
    IAsyncEnumerable<Event> SubscribeAsync(Call subscribe, CancellationToken cancellationToken);

    /// <summary>Sends UPDATE / MESSAGE / HEARTBEAT on another connection; completes on 202 Accepted, throws <see cref="AgentApiException"/> otherwise.</summary>
    Task SendAsync(Call call, CancellationToken cancellationToken);
}
