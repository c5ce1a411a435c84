using System;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Google.Protobuf;
using Mesos.Executor.Core.Agent;
using Mesos.V1;
using Mesos.V1.Executor;
using Microsoft.Extensions.Logging;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Executor.Core.Execution;

/// <summary>
/// Every status update until the agent acknowledges it: the unacknowledged updates, each task's
/// outbox (one UPDATE call in flight per task, so a task's updates arrive in order), the send pump,
/// the answers to UPDATE calls, ACKNOWLEDGED events, and what a re-SUBSCRIBE carries. Used from the
/// executor loop's thread only.
/// </summary>
/// <remarks>
/// As the reference executor library (src/executor/executor.cpp): an update stays unacknowledged
/// until ACKNOWLEDGED names its uuid; an UPDATE call that fails (503, 403, a broken connection)
/// leaves it pending, and the next SUBSCRIBE carries it in <c>unacknowledged_updates</c>; only a
/// 400 (the agent will never take it) drops it.
/// </remarks>
internal sealed class UpdateLedger
{
    private readonly OrderedDictionary<ByteString, PendingUpdate> _unacknowledged = new();
    private readonly ExecutorSettings _settings;
    private readonly IAgentTransport _transport;
    private readonly LoopInbox _inbox;
    private readonly LoopFlows _flows;
    private readonly ILogger _logger;

    public UpdateLedger(ExecutorSettings settings, IAgentTransport transport, LoopInbox inbox, LoopFlows flows, ILogger logger)
    {
        _settings = settings;
        _transport = transport;
        _inbox = inbox;
        _flows = flows;
        _logger = logger;
    }

    /// <summary>How many updates wait for their acknowledgement.</summary>
    public int Count => _unacknowledged.Count;

    /// <summary>Records <paramref name="status"/> as the task's latest update and queues it in the task's outbox.</summary>
    public PendingUpdate Add(TrackedTask task, TaskStatus status)
    {
        var pending = new PendingUpdate(task, new Call.Types.Update { Status = status });
        _unacknowledged.Add(pending.Uuid, pending);
        task.UnacknowledgedCount++;
        task.LastStatus = status;
        task.Outbox.Enqueue(pending);
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            // Only then: the uuid as text is a new string per update.
            Log.StatusUpdateQueued(_logger, task.Key, MesosNames.Of(status.State), UuidText(pending.Uuid));
        }

        return pending;
    }

    /// <summary>
    /// Sends the task's next update when its previous UPDATE call returned. Call it only while
    /// subscribed; the call's flow keeps the caller's logging scope.
    /// </summary>
    /// <returns>Whether a call was started.</returns>
    public bool Pump(TrackedTask task)
    {
        if (task.CallInFlight)
        {
            return false;
        }

        while (task.Outbox.TryDequeue(out PendingUpdate? next))
        {
            if (!_unacknowledged.ContainsKey(next.Uuid))
            {
                continue;
            }

            task.CallInFlight = true;
            _flows.Track(SendAsync(next));
            return true;
        }

        return false;
    }

    /// <summary>Records the agent's answer to an UPDATE call.</summary>
    public void Completed(UpdateCallCompleted completed)
    {
        PendingUpdate update = completed.Update;
        TrackedTask task = update.Task;
        task.CallInFlight = false;
        switch (completed.Error)
        {
            case null:
                if (_logger.IsEnabled(LogLevel.Debug))
                {
                    Log.StatusUpdateSent(_logger, task.Key, MesosNames.Of(update.State), UuidText(update.Uuid));
                }

                break;
            case AgentApiException { StatusCode: HttpStatusCode.BadRequest } rejected:
                // The agent will never take this update: keeping it would only make the next
                // SUBSCRIBE fail too.
                Log.StatusUpdateRejected(_logger, task.Key, MesosNames.Of(update.State), UuidText(update.Uuid), rejected.Message);
                if (_unacknowledged.Remove(update.Uuid))
                {
                    task.UnacknowledgedCount--;
                }

                break;
            default:
                // 503, 403, a timeout or a broken connection: it stays pending and travels in
                // the next SUBSCRIBE, as in the reference library (which, when the connection is
                // what failed, subscribes again at once: AgentConnection.OnCallInterrupted).
                Log.StatusUpdateDeferred(_logger, task.Key, MesosNames.Of(update.State), UuidText(update.Uuid), completed.Error.Message);
                break;
        }
    }

    /// <summary>Records an ACKNOWLEDGED event.</summary>
    /// <returns>The acknowledged update, or <see langword="null"/> when no such update is pending.</returns>
    public PendingUpdate? Acknowledge(Event.Types.Acknowledged acknowledged)
    {
        string key = acknowledged.TaskId?.Value ?? string.Empty;
        ByteString uuid = acknowledged.Uuid ?? ByteString.Empty;
        if (!_unacknowledged.TryGetValue(uuid, out PendingUpdate? update) || update.Task.Key != key)
        {
            Log.UnknownAcknowledgement(_logger, key, UuidText(uuid));
            return null;
        }

        _unacknowledged.Remove(uuid);
        TrackedTask task = update.Task;
        task.UnacknowledgedCount--;
        task.Acknowledged = true;
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            Log.StatusUpdateAcknowledged(_logger, key, MesosNames.Of(update.State), UuidText(uuid));
        }

        return update;
    }

    /// <summary>
    /// What a SUBSCRIBE carries: every unacknowledged update, and every task with no acknowledged
    /// update. Empties the outboxes: the reference executors never re-send those as UPDATE calls.
    /// </summary>
    public Call.Types.Subscribe BuildSubscribe(IEnumerable<TrackedTask> tasks)
    {
        var subscribe = new Call.Types.Subscribe();
        foreach (TrackedTask task in tasks)
        {
            // A task the agent has no acknowledged update of must be listed, or the agent takes
            // it for lost and sends TASK_DROPPED / TASK_LOST (src/slave/slave.cpp, subscribe).
            if (!task.Acknowledged)
            {
                subscribe.UnacknowledgedTasks.Add(task.Launched);
            }

            task.Outbox.Clear();
        }

        foreach (PendingUpdate update in _unacknowledged.Values)
        {
            subscribe.UnacknowledgedUpdates.Add(update.Update);
        }

        return subscribe;
    }

    /// <summary>The uuid as text, for logs.</summary>
    internal static string UuidText(ByteString uuid) =>
        uuid.Length == 16 ? new Guid(uuid.Span, bigEndian: true).ToString() : Convert.ToHexString(uuid.Span);

    private async Task SendAsync(PendingUpdate update)
    {
        var call = new Call
        {
            Type = Call.Types.Type.Update,
            ExecutorId = _settings.ExecutorId,
            FrameworkId = _settings.FrameworkId,
            Update = update.Update,
        };

        Exception? error = null;
        try
        {
            await _transport.SendAsync(call, _flows.Stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_flows.IsStopping)
        {
            return;
        }
        catch (Exception ex)
        {
            error = ex;
        }

        await _inbox.PostAsync(new UpdateCallCompleted(update, error), CancellationToken.None).ConfigureAwait(false);
    }
}
