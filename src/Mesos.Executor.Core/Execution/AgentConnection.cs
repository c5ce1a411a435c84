using System;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core.Agent;
using Mesos.V1.Executor;
using Microsoft.Extensions.Logging;

namespace Mesos.Executor.Core.Execution;

/// <summary>Where the executor stands with the agent.</summary>
internal enum ConnectionState
{
    /// <summary>No subscription, none being attempted.</summary>
    Disconnected,

    /// <summary>SUBSCRIBE sent, SUBSCRIBED not yet received.</summary>
    Connecting,

    /// <summary>SUBSCRIBED received on the current stream.</summary>
    Subscribed,
}

/// <summary>
/// The executor's connection to the agent: SUBSCRIBE and the event stream, what happens when the
/// agent answers 503 (still recovering) or another status, disconnection and recovery with its
/// timeout and random backoff, and HEARTBEAT calls. Used from the executor loop's thread only;
/// the stream's events reach the loop through its inbox.
/// </summary>
/// <remarks>
/// Follows the reference executor library (src/executor/executor.cpp): without checkpointing a
/// lost connection means shutting down; with it, one recovery timer of
/// <c>MESOS_RECOVERY_TIMEOUT</c> starts at the first disconnection, and SUBSCRIBE is retried at
/// once, then after random waits in [0, <c>MESOS_SUBSCRIPTION_BACKOFF_MAX</c>].
/// </remarks>
internal sealed class AgentConnection : IDisposable
{
    /// <summary>
    /// Wait before re-sending SUBSCRIBE that the agent answered with 503 or 404 (still recovering):
    /// the reference executors re-send SUBSCRIBE every second until subscribed.
    /// </summary>
    internal static readonly TimeSpan SubscribeRetryInterval = TimeSpan.FromSeconds(1);

    private readonly ExecutorSettings _settings;
    private readonly IAgentTransport _transport;
    private readonly LoopInbox _inbox;
    private readonly LoopFlows _flows;
    private readonly Func<double> _random;
    private readonly Func<Call.Types.Subscribe> _subscribeBody;
    private readonly ILogger _logger;

    private long _generation;
    private CancellationTokenSource? _subscriptionCts;
    private bool _attemptSawEvent;
    private bool _agentReachable;
    private LoopTimer? _recoveryTimer;
    private LoopTimer? _reconnectTimer;
    private LoopTimer? _heartbeatTimer;

    /// <param name="settings">Ids, checkpointing, recovery timeout, backoff bound, heartbeat interval.</param>
    /// <param name="transport">The agent's API.</param>
    /// <param name="inbox">Where the stream's events go.</param>
    /// <param name="flows">Tracks the stream, the heartbeats and the timers.</param>
    /// <param name="random">The jitter source, in [0, 1).</param>
    /// <param name="subscribeBody">What each SUBSCRIBE carries (the update ledger's unacknowledged updates and tasks).</param>
    /// <param name="logger">The executor's logger.</param>
    public AgentConnection(
        ExecutorSettings settings,
        IAgentTransport transport,
        LoopInbox inbox,
        LoopFlows flows,
        Func<double> random,
        Func<Call.Types.Subscribe> subscribeBody,
        ILogger logger)
    {
        _settings = settings;
        _transport = transport;
        _inbox = inbox;
        _flows = flows;
        _random = random;
        _subscribeBody = subscribeBody;
        _logger = logger;
    }

    /// <summary>The connection state.</summary>
    public ConnectionState State { get; private set; } = ConnectionState.Disconnected;

    /// <summary>Whether SUBSCRIBED was received on the current stream.</summary>
    public bool IsSubscribed => State == ConnectionState.Subscribed;

    /// <summary>Whether the executor stopped trying to reach the agent.</summary>
    public bool GaveUp { get; private set; }

    /// <summary>Whether pending updates may still reach the agent: subscribed, or still trying.</summary>
    public bool CanDeliver => State == ConnectionState.Subscribed || (!GaveUp && (State == ConnectionState.Connecting || _reconnectTimer != null));

    /// <summary>Sends SUBSCRIBE on a new stream.</summary>
    public void Subscribe()
    {
        _generation++;
        State = ConnectionState.Connecting;
        _attemptSawEvent = false;
        _subscriptionCts?.Dispose();
        _subscriptionCts = CancellationTokenSource.CreateLinkedTokenSource(_flows.Stopping);

        Call.Types.Subscribe subscribe = _subscribeBody();
        var call = new Call
        {
            Type = Call.Types.Type.Subscribe,
            ExecutorId = _settings.ExecutorId,
            FrameworkId = _settings.FrameworkId,
            Subscribe = subscribe,
        };

        Log.Subscribing(_logger, subscribe.UnacknowledgedUpdates.Count, subscribe.UnacknowledgedTasks.Count);
        _flows.Track(ReadSubscriptionAsync(_generation, call, _subscriptionCts.Token));
    }

    /// <summary>Whether an event belongs to the current stream; stale events are logged and dropped.</summary>
    public bool Accept(AgentEventReceived received)
    {
        if (received.Generation != _generation)
        {
            Log.StaleEventIgnored(_logger, received.Event.Type);
            return false;
        }

        _attemptSawEvent = true;
        return true;
    }

    /// <summary>SUBSCRIBED arrived: recovery is over, heartbeats start.</summary>
    public void OnSubscribed()
    {
        State = ConnectionState.Subscribed;
        _agentReachable = true;
        Cancel(ref _recoveryTimer);
        Cancel(ref _reconnectTimer);
        Cancel(ref _heartbeatTimer);
        _heartbeatTimer = _flows.StartTimer(LoopTimerKind.Heartbeat, _settings.Options.HeartbeatInterval);
    }

    /// <summary>
    /// A call other than SUBSCRIBE (an UPDATE) could not reach the agent: no answer, the connection
    /// refused or broken. The reference library drops both of its connections when the one for
    /// calls is interrupted and subscribes again, and the unacknowledged updates travel in that
    /// SUBSCRIBE; with the event stream still open nothing else would ever resend them.
    /// </summary>
    /// <param name="error">Why the call failed.</param>
    /// <param name="exiting">Whether the executor already decided to exit.</param>
    /// <returns>The exit code to shut down with, or <see langword="null"/> to carry on.</returns>
    public int? OnCallInterrupted(Exception error, bool exiting)
    {
        if (State != ConnectionState.Subscribed)
        {
            // Not subscribed: the next SUBSCRIBE is coming anyway.
            return null;
        }

        long generation = _generation;
        _subscriptionCts?.Cancel();
        var lost = new AgentApiException(
            $"A call could not reach the agent, so the subscription is renewed ({error.Message}).", statusCode: null, isTransient: true, isSubscriptionLost: true, innerException: error);
        return OnSubscriptionEnded(new SubscriptionEnded(generation, lost), exiting);
    }

    /// <summary>The stream ended: retry, recover, or give up.</summary>
    /// <param name="ended">The end of a stream.</param>
    /// <param name="exiting">Whether the executor already decided to exit: then nothing is retried.</param>
    /// <returns>The exit code to shut down with, or <see langword="null"/> to carry on.</returns>
    public int? OnSubscriptionEnded(SubscriptionEnded ended, bool exiting)
    {
        if (ended.Generation != _generation || State == ConnectionState.Disconnected)
        {
            return null;
        }

        bool sawEvents = _attemptSawEvent;
        State = ConnectionState.Disconnected;
        Cancel(ref _heartbeatTimer);
        if (exiting)
        {
            return null;
        }

        Exception error = ended.Error;
        if (error is AgentApiException { StatusCode: { } status, IsSubscriptionLost: false } rejected)
        {
            // The agent answered, so the connection itself works (the reference library cancels
            // its recovery timer as soon as it connects).
            _agentReachable = true;
            Cancel(ref _recoveryTimer);
            if (rejected.IsTransient || status == HttpStatusCode.NotFound)
            {
                // The agent is still recovering (503, or 502/504 from a proxy while it restarts) or
                // not yet serving the API (404): SUBSCRIBE again, as the reference executors do.
                Log.SubscribeDeferred(_logger, (int)status, SubscribeRetryInterval, rejected.Message);
                if (!GaveUp)
                {
                    _reconnectTimer = _flows.StartTimer(LoopTimerKind.Reconnect, SubscribeRetryInterval);
                }

                return null;
            }

            // 400/401/403/415...: retrying the same SUBSCRIBE cannot succeed.
            Log.SubscribeRejected(_logger, (int)status, rejected.Message);
            GaveUp = true;
            return ExecutorExitCodes.AgentError;
        }

        bool wasConnected = sawEvents || error is AgentApiException { IsSubscriptionLost: true } || _agentReachable;
        _agentReachable = false;
        Log.Disconnected(_logger, error.Message);
        if (GaveUp)
        {
            return null;
        }

        if (_recoveryTimer != null)
        {
            // Already recovering: one recovery timer per disconnection, keep backing off.
            ScheduleReconnect();
            return null;
        }

        if (_settings.Checkpoint && wasConnected)
        {
            Log.RecoveryStarted(_logger, _settings.RecoveryTimeout);
            _recoveryTimer = _flows.StartTimer(LoopTimerKind.Recovery, _settings.RecoveryTimeout);

            // As the reference library: try again at once, then after random waits.
            Subscribe();
            return null;
        }

        // The framework does not checkpoint, or the agent was never reached: like the reference
        // library, shut down (kill the tasks and exit).
        Log.DisconnectedShuttingDown(_logger, _settings.Checkpoint);
        GaveUp = true;
        return ExecutorExitCodes.Disconnected;
    }

    /// <summary>Handles the connection's timers (reconnect, recovery, heartbeat).</summary>
    /// <returns>The exit code to shut down with when the recovery timed out, else <see langword="null"/>.</returns>
    public int? OnTimer(LoopTimer timer)
    {
        switch (timer.Kind)
        {
            case LoopTimerKind.Reconnect when ReferenceEquals(timer, _reconnectTimer):
                _reconnectTimer = null;
                if (!GaveUp && State == ConnectionState.Disconnected)
                {
                    Subscribe();
                }

                break;
            case LoopTimerKind.Recovery when ReferenceEquals(timer, _recoveryTimer):
                _recoveryTimer = null;
                if (State != ConnectionState.Subscribed)
                {
                    Log.RecoveryTimedOut(_logger, _settings.RecoveryTimeout);
                    GaveUp = true;
                    Cancel(ref _reconnectTimer);
                    if (State == ConnectionState.Connecting)
                    {
                        // Abandon the attempt in flight; its end is stale now.
                        _subscriptionCts?.Cancel();
                        _generation++;
                        State = ConnectionState.Disconnected;
                    }

                    return ExecutorExitCodes.RecoveryTimeout;
                }

                break;
            case LoopTimerKind.Heartbeat when ReferenceEquals(timer, _heartbeatTimer):
                _heartbeatTimer = null;
                if (State == ConnectionState.Subscribed)
                {
                    _flows.Track(SendHeartbeatAsync());
                    _heartbeatTimer = _flows.StartTimer(LoopTimerKind.Heartbeat, _settings.Options.HeartbeatInterval);
                }

                break;
        }

        return null;
    }

    /// <summary>Cancels the timers; the stream itself ends with the executor's stopping token.</summary>
    public void Stop()
    {
        Cancel(ref _recoveryTimer);
        Cancel(ref _reconnectTimer);
        Cancel(ref _heartbeatTimer);
    }

    /// <summary>Releases the current stream's token source, once every flow ended.</summary>
    public void Dispose() => _subscriptionCts?.Dispose();

    private void ScheduleReconnect()
    {
        // src/executor/executor.cpp: a random duration between 0 and MESOS_SUBSCRIPTION_BACKOFF_MAX.
        double factor = Math.Clamp(_random(), 0.0, 1.0);
        TimeSpan wait = _settings.SubscriptionBackoffMax * factor;
        Log.Reconnecting(_logger, wait);
        Cancel(ref _reconnectTimer);
        _reconnectTimer = _flows.StartTimer(LoopTimerKind.Reconnect, wait);
    }

    private async Task ReadSubscriptionAsync(long generation, Call subscribe, CancellationToken cancellationToken)
    {
        Exception error;
        try
        {
            await foreach (Event e in _transport.SubscribeAsync(subscribe, cancellationToken).ConfigureAwait(false))
            {
                if (!await _inbox.PostAsync(new AgentEventReceived(generation, e), cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }

            error = new AgentApiException("The agent closed the event stream.", statusCode: null, isTransient: true, isSubscriptionLost: true);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex)
        {
            error = ex;
        }

        await _inbox.PostAsync(new SubscriptionEnded(generation, error), CancellationToken.None).ConfigureAwait(false);
    }

    private async Task SendHeartbeatAsync()
    {
        var call = new Call { Type = Call.Types.Type.Heartbeat, ExecutorId = _settings.ExecutorId, FrameworkId = _settings.FrameworkId };
        try
        {
            await _transport.SendAsync(call, _flows.Stopping).ConfigureAwait(false);
            Log.HeartbeatSent(_logger);
        }
        catch (OperationCanceledException) when (_flows.IsStopping)
        {
        }
        catch (Exception ex)
        {
            Log.HeartbeatFailed(_logger, ex.Message);
        }
    }

    private static void Cancel(ref LoopTimer? timer)
    {
        timer?.Cancel();
        timer = null;
    }
}
