using System;
using System.Threading;
using System.Threading.Tasks;
using Google.Protobuf;
using Mesos.Executor.Testing.Internal;
using Mesos.V1;
using Mesos.V1.Executor;

namespace Mesos.Executor.Testing;

// The events a test streams to the executor: each builds one event and writes it on the newest
// SUBSCRIBE stream. The agent itself (its HTTP endpoint, state, acknowledgements, waits and
// lifecycle) is in FakeAgent.cs.
public sealed partial class FakeAgent
{
    /// <summary>Sends any event on the open SUBSCRIBE stream.</summary>
    /// <remarks>
    /// Like every sending member (<see cref="AcknowledgeAsync"/>, <see cref="SendLaunchAsync"/>,
    /// ...), it writes on the newest SUBSCRIBE stream: after <see cref="WaitForSubscribeAsync"/>
    /// with <c>n</c> has returned, that is the <c>n</c>-th stream, after its SUBSCRIBED, or a newer
    /// one if the executor has subscribed again since. It does not wait for a stream: if the newest
    /// one has closed (the executor dropped it, <see cref="DropSubscriptionAsync"/>,
    /// <see cref="StopAsync"/>), it throws, so a test sees an executor that lost its stream instead
    /// of hanging; wait for the next SUBSCRIBE with <see cref="WaitForSubscribeAsync"/> first.
    /// </remarks>
    /// <param name="event">The event.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the event is written.</returns>
    /// <exception cref="InvalidOperationException">No SUBSCRIBE stream is open.</exception>
    public Task SendEventAsync(Event @event, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(@event);
        return RequireSubscription().WriteEventAsync(@event, cancellationToken);
    }

    /// <summary>Sends (another) SUBSCRIBED event, as configured in the options.</summary>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the event is written.</returns>
    /// <exception cref="InvalidOperationException">No SUBSCRIBE stream is open.</exception>
    public Task SendSubscribedAsync(CancellationToken cancellationToken = default) =>
        SendEventAsync(AgentEvents.Subscribed(_options, Port), cancellationToken);

    /// <summary>Sends LAUNCH for one task.</summary>
    /// <param name="task">The task to launch.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the event is written.</returns>
    /// <exception cref="InvalidOperationException">No SUBSCRIBE stream is open.</exception>
    public Task SendLaunchAsync(TaskInfo task, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        return SendEventAsync(
            new Event { Type = Event.Types.Type.Launch, Launch = new Event.Types.Launch { Task = task } },
            cancellationToken);
    }

    /// <summary>Sends LAUNCH_GROUP for a task group.</summary>
    /// <param name="taskGroup">The tasks to launch together.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the event is written.</returns>
    /// <exception cref="InvalidOperationException">No SUBSCRIBE stream is open.</exception>
    public Task SendLaunchGroupAsync(TaskGroupInfo taskGroup, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(taskGroup);
        return SendEventAsync(
            new Event { Type = Event.Types.Type.LaunchGroup, LaunchGroup = new Event.Types.LaunchGroup { TaskGroup = taskGroup } },
            cancellationToken);
    }

    /// <summary>Sends KILL for a task.</summary>
    /// <param name="taskId">The task to kill.</param>
    /// <param name="killPolicy">Overrides the task's kill policy, if given.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the event is written.</returns>
    /// <exception cref="InvalidOperationException">No SUBSCRIBE stream is open.</exception>
    public Task SendKillAsync(TaskID taskId, KillPolicy? killPolicy = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(taskId);
        var kill = new Event.Types.Kill { TaskId = taskId };
        if (killPolicy != null)
        {
            kill.KillPolicy = killPolicy;
        }

        return SendEventAsync(new Event { Type = Event.Types.Type.Kill, Kill = kill }, cancellationToken);
    }

    /// <summary>Sends a framework MESSAGE.</summary>
    /// <param name="data">The message's bytes.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the event is written.</returns>
    /// <exception cref="InvalidOperationException">No SUBSCRIBE stream is open.</exception>
    public Task SendMessageAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) =>
        SendEventAsync(
            new Event { Type = Event.Types.Type.Message, Message = new Event.Types.Message { Data = ByteString.CopyFrom(data.Span) } },
            cancellationToken);

    /// <summary>Sends a HEARTBEAT event.</summary>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the event is written.</returns>
    /// <exception cref="InvalidOperationException">No SUBSCRIBE stream is open.</exception>
    public Task SendHeartbeatAsync(CancellationToken cancellationToken = default) =>
        SendEventAsync(new Event { Type = Event.Types.Type.Heartbeat }, cancellationToken);

    /// <summary>Sends SHUTDOWN: the executor must kill every task and exit.</summary>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the event is written.</returns>
    /// <exception cref="InvalidOperationException">No SUBSCRIBE stream is open.</exception>
    public Task SendShutdownAsync(CancellationToken cancellationToken = default) =>
        SendEventAsync(new Event { Type = Event.Types.Type.Shutdown }, cancellationToken);

    /// <summary>Sends an ERROR event.</summary>
    /// <param name="message">The error text.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the event is written.</returns>
    /// <exception cref="InvalidOperationException">No SUBSCRIBE stream is open.</exception>
    public Task SendErrorAsync(string message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return SendEventAsync(
            new Event { Type = Event.Types.Type.Error, Error = new Event.Types.Error { Message = message } },
            cancellationToken);
    }

    /// <summary>Sends an ACKNOWLEDGED event for any task and uuid, pending or not (see <see cref="AcknowledgeAsync"/> for the usual case).</summary>
    /// <param name="taskId">The task.</param>
    /// <param name="uuid">The update's uuid.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the event is written.</returns>
    /// <exception cref="InvalidOperationException">No SUBSCRIBE stream is open.</exception>
    public Task SendAcknowledgedAsync(TaskID taskId, ByteString uuid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(taskId);
        ArgumentNullException.ThrowIfNull(uuid);
        return SendEventAsync(AgentEvents.Acknowledged(taskId, uuid), cancellationToken);
    }

    /// <summary>Writes raw bytes into the SUBSCRIBE stream's body, without RecordIO framing: for testing how an executor copes with a malformed stream.</summary>
    /// <param name="data">The bytes; sent as one HTTP chunk.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the bytes are written.</returns>
    /// <exception cref="InvalidOperationException">No SUBSCRIBE stream is open.</exception>
    public Task SendRawAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) =>
        RequireSubscription().WriteChunkAsync(data, cancellationToken);
}
