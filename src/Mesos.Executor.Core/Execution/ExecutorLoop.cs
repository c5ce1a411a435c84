using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Google.Protobuf;
using Mesos.Executor.Core.Agent;
using Mesos.Executor.Core.Checks;
using Mesos.V1;
using Mesos.V1.Executor;
using Microsoft.Extensions.Logging;
using TaskStatus = Mesos.V1.TaskStatus;

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
/// The executor's state machine. One loop reads a bounded single-reader channel of
/// <see cref="LoopMessage"/>s (agent events, task-runner reports, check notifications, timers,
/// user requests) and alone owns every piece of state: no locks. Everything slow (HTTP calls,
/// containers, hooks, checks, timers) runs in owned async flows that post back to the loop and
/// are awaited before <see cref="RunAsync"/> returns.
/// </summary>
/// <remarks>
/// Protocol behaviour follows Apache Mesos: the reference executor library
/// (src/executor/executor.cpp) for connection, recovery and backoff; its Docker executor
/// (src/docker/executor.cpp) and HTTP command executor (src/launcher/executor.cpp) for kill, grace
/// periods, TASK_KILLING and the terminal-acknowledgement fail-safe; its default executor
/// (src/launcher/default_executor.cpp) for task groups and exiting once every task ended.
/// </remarks>
internal sealed class ExecutorLoop
{
    /// <summary>Capacity of the loop's channel; writers wait when it is full.</summary>
    internal const int InboxCapacity = 1024;

    /// <summary>
    /// Wait before re-sending SUBSCRIBE that the agent answered with 503 or 404 (still recovering):
    /// the reference executors re-send SUBSCRIBE every second until subscribed.
    /// </summary>
    internal static readonly TimeSpan SubscribeRetryInterval = TimeSpan.FromSeconds(1);

    private readonly ExecutorSettings _settings;
    private readonly ExecutorServices _services;
    private readonly ExecutorOptions _options;
    private readonly IAgentTransport _transport;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ILogger _runnerLogger;
    private readonly ILogger _hookLogger;
    private readonly ILogger _checkLogger;
    private readonly Channel<LoopMessage> _inbox = Channel.CreateBounded<LoopMessage>(new BoundedChannelOptions(InboxCapacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly Channel<byte[]> _frameworkMessages = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly OrderedDictionary<string, TrackedTask> _tasks = new(StringComparer.Ordinal);
    private readonly OrderedDictionary<ByteString, PendingUpdate> _unacknowledged = new();
    private readonly List<Task> _flows = [];
    private int _pruneFlowsAt = 64;

    private ConnectionState _state = ConnectionState.Disconnected;
    private long _generation;
    private CancellationTokenSource? _subscriptionCts;
    private bool _attemptSawEvent;
    private bool _agentReachable;
    private bool _giveUpConnecting;

    private FrameworkInfo? _framework;
    private ExecutorInfo? _executorInfo;
    private AgentInfo? _agentInfo;
    private AgentID? _agentId;
    private ContainerID? _containerId;

    private LoopTimer? _recoveryTimer;
    private LoopTimer? _reconnectTimer;
    private LoopTimer? _heartbeatTimer;
    private LoopTimer? _failsafeTimer;
    private LoopTimer? _deadlineTimer;

    private TaskLogScope? _scopeState;
    private IDisposable? _scopeHandle;

    private bool _anyTaskLaunched;
    private string? _refusal;
    private bool _shuttingDown;
    private int _shutdownExitCode;
    private int? _exitCode;
    private int _shutdownRequested;
    private int _started;

    public ExecutorLoop(ExecutorSettings settings, ExecutorServices services, IAgentTransport transport)
    {
        _settings = settings;
        _services = services;
        _options = settings.Options;
        _transport = transport;
        _time = services.TimeProvider;
        _logger = services.LoggerFactory.CreateLogger<MesosExecutor>();
        _runnerLogger = services.LoggerFactory.CreateLogger<TaskRunner>();
        _hookLogger = services.LoggerFactory.CreateLogger("Mesos.Executor.Hooks");
        _checkLogger = services.LoggerFactory.CreateLogger("Mesos.Executor.Checks");
        _agentId = settings.AgentId;
    }

    /// <summary>The connection state (for tests; read it only from a barrier).</summary>
    internal ConnectionState State => _state;

    /// <summary>Whether <see cref="RunAsync"/> is running.</summary>
    internal bool IsRunning => Volatile.Read(ref _started) == 1 && !_stopping.IsCancellationRequested;

    /// <summary>Runs the executor until it exits.</summary>
    /// <param name="cancellationToken">Cancellation means SIGTERM/SIGINT: shut down as on SHUTDOWN.</param>
    /// <returns>The exit code (<see cref="ExecutorExitCodes"/>).</returns>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("The executor runs only once.");
        }

        using CancellationTokenRegistration registration = cancellationToken.UnsafeRegister(
            static state => ((ExecutorLoop)state!).RequestShutdown(), this);
        Log.ExecutorStarting(_logger, _settings.ExecutorId.Value, _settings.FrameworkId.Value, _settings.Checkpoint);
        if (_services.MessageHandler != null)
        {
            Track(DispatchFrameworkMessagesAsync(_services.MessageHandler));
        }

        try
        {
            Subscribe();
            while (_exitCode == null)
            {
                if (!_inbox.Reader.TryRead(out LoopMessage? message))
                {
                    await _inbox.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false);
                    continue;
                }

                try
                {
                    Handle(message);
                }
                catch (Exception ex)
                {
                    // Every exception that concerns a task ends that task with TASK_FAILED; the
                    // loop itself, and every other task, carries on.
                    Log.LoopMessageFailed(_logger, message.GetType().Name, ex);
                    FailConcernedTasks(message, ex);
                }

                if (Volatile.Read(ref _shutdownRequested) == 1 && !_shuttingDown && _exitCode == null)
                {
                    Log.ShutdownRequested(_logger);
                    BeginShutdown(ExecutorExitCodes.Success);
                }
            }
        }
        catch (Exception ex)
        {
            Log.ExecutorFailed(_logger, ex);
            _exitCode = ExecutorExitCodes.Fatal;
        }
        finally
        {
            await StopAsync().ConfigureAwait(false);
        }

        Log.ExecutorExited(_logger, _exitCode.Value);
        return _exitCode.Value;
    }

    /// <summary>Sends a MESSAGE call to the framework through the loop.</summary>
    public async Task SendMessageAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (!IsRunning)
        {
            throw new InvalidOperationException("The executor is not running.");
        }

        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!await PostAsync(new SendMessageRequested(data.ToArray(), completion), cancellationToken).ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw new InvalidOperationException("The executor is not running.");
        }

        await completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Completes once every message posted before it was handled (tests).</summary>
    internal async Task BarrierAsync(CancellationToken cancellationToken)
    {
        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (await PostAsync(new Barrier(completion), cancellationToken).ConfigureAwait(false))
        {
            await completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private void RequestShutdown()
    {
        Volatile.Write(ref _shutdownRequested, 1);

        // If the channel is full the flag is still seen after the next message.
        _inbox.Writer.TryWrite(new ShutdownRequested());
    }

    /// <summary>Posts to the loop; returns <see langword="false"/> when the loop has ended or <paramref name="cancellationToken"/> fired. Never throws.</summary>
    private async ValueTask<bool> PostAsync(LoopMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await _inbox.Writer.WriteAsync(message, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ChannelClosedException)
        {
            return false;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private ValueTask PostFromFlowAsync(LoopMessage message, CancellationToken cancellationToken)
    {
        ValueTask<bool> posted = PostAsync(message, cancellationToken);
        return posted.IsCompletedSuccessfully ? ValueTask.CompletedTask : new ValueTask(posted.AsTask());
    }

    private void Track(Task flow)
    {
        if (flow.IsCompleted)
        {
            return;
        }

        if (_flows.Count >= _pruneFlowsAt)
        {
            // Amortized: prune only when the list doubled since the last pruning.
            _flows.RemoveAll(static f => f.IsCompleted);
            _pruneFlowsAt = Math.Max(64, _flows.Count * 2);
        }

        _flows.Add(flow);
    }

    private LoopTimer StartTimer(LoopTimerKind kind, TimeSpan due, object? state = null)
    {
        LoopTimer timer = LoopTimer.Start(kind, due, state, _time, PostFromFlowAsync);
        Track(timer.Completion);
        return timer;
    }

    /// <summary>
    /// Makes <paramref name="task"/>'s logging scope the loop's current one until the result is
    /// disposed: lines logged meanwhile, and flows started meanwhile (UPDATE calls, checks), carry
    /// its ids. Use it only around synchronous work, with <see langword="using"/>.
    /// </summary>
    /// <remarks>
    /// The loop holds at most one task scope at a time, in one slot: entering the scope of the task
    /// already current costs nothing, and entering another task's (killing the rest of a group)
    /// closes the current one first and reopens it afterwards, so a line is never attributed to two
    /// tasks. Every scope is closed before the handler returns: the loop's own lines and the flows
    /// it starts for no task carry no task id.
    /// </remarks>
    private TaskScopeSwitch EnterTask(TrackedTask task)
    {
        TaskLogScope? previous = _scopeState;
        SwitchScope(task.LogScope);
        return new TaskScopeSwitch(this, previous);
    }

    private void SwitchScope(TaskLogScope? state)
    {
        if (ReferenceEquals(state, _scopeState))
        {
            return;
        }

        // The handle pops back to the loop's own context: scopes are only ever pushed here.
        _scopeHandle?.Dispose();
        _scopeHandle = null;
        _scopeState = state;
        if (state != null)
        {
            _scopeHandle = _logger.BeginScope(state);
        }
    }

    /// <summary>Restores the loop's previous task scope (usually none) when disposed.</summary>
    private readonly struct TaskScopeSwitch : IDisposable
    {
        private readonly ExecutorLoop _loop;
        private readonly TaskLogScope? _previous;

        public TaskScopeSwitch(ExecutorLoop loop, TaskLogScope? previous)
        {
            _loop = loop;
            _previous = previous;
        }

        public void Dispose() => _loop?.SwitchScope(_previous);
    }

    // ------------------------------------------------------------------------------------------
    // Dispatch.
    // ------------------------------------------------------------------------------------------

    private void Handle(LoopMessage message)
    {
        switch (message)
        {
            case AgentEventReceived received:
                if (received.Generation == _generation)
                {
                    _attemptSawEvent = true;
                    HandleEvent(received.Event);
                }
                else
                {
                    Log.StaleEventIgnored(_logger, received.Event.Type);
                }

                break;
            case SubscriptionEnded ended:
                HandleSubscriptionEnded(ended);
                break;
            case UpdateCallCompleted completed:
                HandleUpdateCallCompleted(completed);
                break;
            case TaskStarted started:
                HandleTaskStarted(started);
                break;
            case TaskExited exited:
                HandleTaskExited(exited);
                break;
            case TaskRunnerCompleted completed:
                HandleRunnerCompleted(completed);
                break;
            case CheckNotified notified:
                HandleCheckNotification(notified.Notification);
                break;
            case TimerFired fired:
                HandleTimer(fired.Timer);
                break;
            case SendMessageRequested send:
                HandleSendMessage(send);
                break;
            case ShutdownRequested:
                if (!_shuttingDown)
                {
                    Log.ShutdownRequested(_logger);
                    BeginShutdown(ExecutorExitCodes.Success);
                }

                break;
            case Barrier barrier:
                barrier.Completion.TrySetResult();
                break;
        }
    }

    private void HandleEvent(Event e)
    {
        Log.EventReceived(_logger, e.Type);
        switch (e.Type)
        {
            case Event.Types.Type.Subscribed:
                HandleSubscribed(e.Subscribed);
                break;
            case Event.Types.Type.Launch:
                HandleLaunch([e.Launch.Task], group: null);
                break;
            case Event.Types.Type.LaunchGroup:
                HandleLaunch(e.LaunchGroup.TaskGroup.Tasks, new TaskGroup());
                break;
            case Event.Types.Type.Kill:
                HandleKill(e.Kill);
                break;
            case Event.Types.Type.Acknowledged:
                HandleAcknowledged(e.Acknowledged);
                break;
            case Event.Types.Type.Message:
                HandleFrameworkMessage(e.Message);
                break;
            case Event.Types.Type.Error:
                Log.AgentErrorEvent(_logger, e.Error?.Message ?? string.Empty);
                BeginShutdown(ExecutorExitCodes.AgentError);
                break;
            case Event.Types.Type.Shutdown:
                Log.ShutdownReceived(_logger);
                BeginShutdown(ExecutorExitCodes.Success);
                break;
            case Event.Types.Type.Heartbeat:
                Log.HeartbeatEventReceived(_logger);
                break;
            default:
                // docs/executor-http-api.md: executors must ignore event types they do not know.
                Log.UnknownEventIgnored(_logger, (int)e.Type);
                break;
        }
    }

    // ------------------------------------------------------------------------------------------
    // Failures.
    // ------------------------------------------------------------------------------------------

    /// <summary>
    /// Ends every task that <paramref name="message"/> concerns with TASK_FAILED after its handler
    /// threw: a task whose container may run is stopped first (its terminal update follows the
    /// container's end), any other gets its TASK_FAILED at once.
    /// </summary>
    private void FailConcernedTasks(LoopMessage message, Exception exception)
    {
        (List<TrackedTask> tasks, string doing) = Concerned(message);
        foreach (TrackedTask task in tasks)
        {
            if (!task.Terminal)
            {
                FailTask(task, $"The executor failed {doing}: {exception.GetType().Name}: {exception.Message}", exception);
            }
        }
    }

    private (List<TrackedTask> Tasks, string Doing) Concerned(LoopMessage message)
    {
        var tasks = new List<TrackedTask>();
        void AddKey(string? key)
        {
            if (key != null && _tasks.TryGetValue(key, out TrackedTask? task))
            {
                tasks.Add(task);
            }
        }

        void AddLaunched(IEnumerable<TaskInfo> infos)
        {
            // Only the tasks this LAUNCH created: a live task with a duplicate id is not its concern.
            foreach (TaskInfo info in infos)
            {
                if (info.TaskId != null && _tasks.TryGetValue(info.TaskId.Value, out TrackedTask? task) && ReferenceEquals(task.Launched, info))
                {
                    tasks.Add(task);
                }
            }
        }

        void AddRunner(TaskRunner runner)
        {
            if (Find(runner) is { } task)
            {
                tasks.Add(task);
            }
        }

        string doing;
        switch (message)
        {
            case AgentEventReceived { Event: { Type: Event.Types.Type.Launch } e }:
                AddLaunched([e.Launch.Task]);
                doing = "to launch the task";
                break;
            case AgentEventReceived { Event: { Type: Event.Types.Type.LaunchGroup } e }:
                AddLaunched(e.LaunchGroup.TaskGroup.Tasks);
                doing = "to launch the task group";
                break;
            case AgentEventReceived { Event: { Type: Event.Types.Type.Kill } e }:
                AddKey(e.Kill.TaskId?.Value);
                doing = "to kill the task";
                break;
            case TaskStarted started:
                AddRunner(started.Runner);
                doing = "to report the running task";
                break;
            case TaskExited exited:
                AddRunner(exited.Runner);
                doing = "to report the task's end";
                break;
            case TaskRunnerCompleted completed:
                AddRunner(completed.Runner);
                doing = "to clean up after the task";
                break;
            case CheckNotified notified:
                AddKey(notified.Notification.TaskId?.Value);
                doing = "to handle a check result";
                break;
            case TimerFired { Timer: { Kind: LoopTimerKind.MaxCompletion, State: TrackedTask task } }:
                tasks.Add(task);
                doing = "to enforce max_completion_time";
                break;
            default:
                doing = string.Empty;
                break;
        }

        return (tasks, doing);
    }

    /// <summary>Ends <paramref name="task"/> with TASK_FAILED and <paramref name="message"/>; never throws.</summary>
    private void FailTask(TrackedTask task, string message, Exception exception, bool logged = false)
    {
        try
        {
            if (!logged)
            {
                using (EnterTask(task))
                {
                    Log.TaskHandlingFailed(_logger, task.Key, message, exception);
                }
            }

            task.ExecutorFailure ??= message;
            if (task.Runner != null && !task.ExitReported)
            {
                // The container may run: stop it; its end is reported as TASK_FAILED with the message.
                Kill(task, KillGracePeriod(task, null), KillCause.ExecutorFailure);
                return;
            }

            task.RunnerCompleted |= task.Runner == null;
            Terminate(task, NewStatus(task, TaskState.TaskFailed, message));
        }
        catch (Exception ex)
        {
            // Last resort: the task is given up so that the executor can still finish.
            Log.TaskFailureNotReported(_logger, task.Key, ex);
            task.Terminal = true;
            task.RunnerCompleted |= task.Runner == null || task.ExitReported;
            CheckCompletion();
        }
    }

    // ------------------------------------------------------------------------------------------
    // Connection.
    // ------------------------------------------------------------------------------------------

    private void Subscribe()
    {
        _generation++;
        _state = ConnectionState.Connecting;
        _attemptSawEvent = false;
        _subscriptionCts?.Dispose();
        _subscriptionCts = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);

        var subscribe = new Call.Types.Subscribe();
        foreach (TrackedTask task in _tasks.Values)
        {
            // A task the agent has no acknowledged update of must be listed, or the agent takes
            // it for lost and sends TASK_DROPPED / TASK_LOST (src/slave/slave.cpp, subscribe).
            if (!task.Acknowledged)
            {
                subscribe.UnacknowledgedTasks.Add(task.Launched);
            }

            // Whatever waits for an UPDATE call travels in the SUBSCRIBE instead: the reference
            // executors never re-send those as UPDATE calls after subscribing.
            task.Outbox.Clear();
        }

        foreach (PendingUpdate update in _unacknowledged.Values)
        {
            subscribe.UnacknowledgedUpdates.Add(update.Update);
        }

        var call = new Call
        {
            Type = Call.Types.Type.Subscribe,
            ExecutorId = _settings.ExecutorId,
            FrameworkId = _settings.FrameworkId,
            Subscribe = subscribe,
        };

        Log.Subscribing(_logger, subscribe.UnacknowledgedUpdates.Count, subscribe.UnacknowledgedTasks.Count);
        Track(ReadSubscriptionAsync(_generation, call, _subscriptionCts.Token));
    }

    private async Task ReadSubscriptionAsync(long generation, Call subscribe, CancellationToken cancellationToken)
    {
        Exception error;
        try
        {
            await foreach (Event e in _transport.SubscribeAsync(subscribe, cancellationToken).ConfigureAwait(false))
            {
                if (!await PostAsync(new AgentEventReceived(generation, e), cancellationToken).ConfigureAwait(false))
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

        await PostAsync(new SubscriptionEnded(generation, error), CancellationToken.None).ConfigureAwait(false);
    }

    private void HandleSubscribed(Event.Types.Subscribed subscribed)
    {
        _state = ConnectionState.Subscribed;
        _agentReachable = true;
        CancelTimer(ref _recoveryTimer);
        CancelTimer(ref _reconnectTimer);

        _framework = subscribed.FrameworkInfo;
        _executorInfo = subscribed.ExecutorInfo;
        _agentInfo = subscribed.AgentInfo;
        _agentId = subscribed.AgentInfo?.Id ?? _agentId;
        _containerId = subscribed.ContainerId;
        Log.Subscribed(_logger, _agentInfo?.Hostname ?? string.Empty, _agentId?.Value ?? string.Empty, _containerId?.Value ?? string.Empty);
        InspectSubscription(subscribed);

        CancelTimer(ref _heartbeatTimer);
        _heartbeatTimer = StartTimer(LoopTimerKind.Heartbeat, _options.HeartbeatInterval);

        // Updates created after the SUBSCRIBE call was built were not in it: send them now.
        foreach (TrackedTask task in _tasks.Values.ToList())
        {
            Pump(task);
        }

        CheckCompletion();
    }

    /// <summary>
    /// Runs the user's SUBSCRIBED handler (see <see cref="MesosExecutorBuilder.OnSubscribed"/>).
    /// A throw makes the executor refuse every task from now on; the refusal is never lifted.
    /// </summary>
    private void InspectSubscription(Event.Types.Subscribed subscribed)
    {
        if (_services.SubscribedHandler is not { } handler || _refusal != null)
        {
            return;
        }

        try
        {
            handler(subscribed);
        }
        catch (ExecutorConfigurationException ex)
        {
            _refusal = ex.Message;
        }
        catch (Exception ex)
        {
            _refusal = $"The executor's SUBSCRIBED handler failed: {ex.GetType().Name}: {ex.Message}";
        }

        if (_refusal != null)
        {
            Log.TasksRefused(_logger, _refusal);
        }
    }

    private void HandleSubscriptionEnded(SubscriptionEnded ended)
    {
        if (ended.Generation != _generation || _state == ConnectionState.Disconnected)
        {
            return;
        }

        bool sawEvents = _attemptSawEvent;
        _state = ConnectionState.Disconnected;
        CancelTimer(ref _heartbeatTimer);
        if (_exitCode != null)
        {
            return;
        }

        Exception error = ended.Error;
        if (error is AgentApiException { StatusCode: { } status, IsSubscriptionLost: false } rejected)
        {
            // The agent answered, so the connection itself works (the reference library cancels
            // its recovery timer as soon as it connects).
            _agentReachable = true;
            CancelTimer(ref _recoveryTimer);
            if (rejected.IsTransient || status == HttpStatusCode.NotFound)
            {
                // The agent is still recovering (503, or 502/504 from a proxy while it restarts) or
                // not yet serving the API (404): SUBSCRIBE again, as the reference executors do.
                Log.SubscribeDeferred(_logger, (int)status, SubscribeRetryInterval, rejected.Message);
                if (!_giveUpConnecting)
                {
                    _reconnectTimer = StartTimer(LoopTimerKind.Reconnect, SubscribeRetryInterval);
                }
                else
                {
                    CheckCompletion();
                }

                return;
            }

            // 400/401/403/415...: retrying the same SUBSCRIBE cannot succeed.
            Log.SubscribeRejected(_logger, (int)status, rejected.Message);
            _giveUpConnecting = true;
            BeginShutdown(ExecutorExitCodes.AgentError);
            CheckCompletion();
            return;
        }

        bool wasConnected = sawEvents || error is AgentApiException { IsSubscriptionLost: true } || _agentReachable;
        _agentReachable = false;
        Log.Disconnected(_logger, error.Message);
        if (_giveUpConnecting)
        {
            CheckCompletion();
            return;
        }

        if (_recoveryTimer != null)
        {
            // Already recovering: one recovery timer per disconnection, keep backing off.
            ScheduleReconnect();
            return;
        }

        if (_settings.Checkpoint && wasConnected)
        {
            Log.RecoveryStarted(_logger, _settings.RecoveryTimeout);
            _recoveryTimer = StartTimer(LoopTimerKind.Recovery, _settings.RecoveryTimeout);

            // As the reference library: try again at once, then after random waits.
            Subscribe();
            return;
        }

        // The framework does not checkpoint, or the agent was never reached: like the reference
        // library, shut down (kill the tasks and exit).
        Log.DisconnectedShuttingDown(_logger, _settings.Checkpoint);
        _giveUpConnecting = true;
        BeginShutdown(ExecutorExitCodes.Disconnected);
        CheckCompletion();
    }

    private void ScheduleReconnect()
    {
        // src/executor/executor.cpp: a random duration between 0 and MESOS_SUBSCRIPTION_BACKOFF_MAX.
        double factor = Math.Clamp(_services.Random(), 0.0, 1.0);
        TimeSpan wait = _settings.SubscriptionBackoffMax * factor;
        Log.Reconnecting(_logger, wait);
        CancelTimer(ref _reconnectTimer);
        _reconnectTimer = StartTimer(LoopTimerKind.Reconnect, wait);
    }

    private void HandleTimer(LoopTimer timer)
    {
        switch (timer.Kind)
        {
            case LoopTimerKind.Reconnect when ReferenceEquals(timer, _reconnectTimer):
                _reconnectTimer = null;
                if (!_giveUpConnecting && _state == ConnectionState.Disconnected)
                {
                    Subscribe();
                }

                break;
            case LoopTimerKind.Recovery when ReferenceEquals(timer, _recoveryTimer):
                _recoveryTimer = null;
                if (_state != ConnectionState.Subscribed)
                {
                    Log.RecoveryTimedOut(_logger, _settings.RecoveryTimeout);
                    _giveUpConnecting = true;
                    CancelTimer(ref _reconnectTimer);
                    if (_state == ConnectionState.Connecting)
                    {
                        // Abandon the attempt in flight; its end is stale now.
                        _subscriptionCts?.Cancel();
                        _generation++;
                        _state = ConnectionState.Disconnected;
                    }

                    BeginShutdown(ExecutorExitCodes.RecoveryTimeout);
                    CheckCompletion();
                }

                break;
            case LoopTimerKind.Heartbeat when ReferenceEquals(timer, _heartbeatTimer):
                _heartbeatTimer = null;
                if (_state == ConnectionState.Subscribed)
                {
                    Track(SendHeartbeatAsync());
                    _heartbeatTimer = StartTimer(LoopTimerKind.Heartbeat, _options.HeartbeatInterval);
                }

                break;
            case LoopTimerKind.AcknowledgementFailsafe when ReferenceEquals(timer, _failsafeTimer):
                _failsafeTimer = null;
                Log.AcknowledgementTimeout(_logger, _unacknowledged.Count, _options.TerminalAcknowledgementTimeout);
                Exit(_shuttingDown && _shutdownExitCode != ExecutorExitCodes.Success ? _shutdownExitCode : ExecutorExitCodes.AcknowledgementTimeout);
                break;
            case LoopTimerKind.ShutdownDeadline when ReferenceEquals(timer, _deadlineTimer):
                _deadlineTimer = null;
                Log.ShutdownGraceExpired(_logger, _settings.ShutdownGracePeriod, _tasks.Values.Count(static t => t.IsLive), _unacknowledged.Count);
                Exit(_shutdownExitCode != ExecutorExitCodes.Success ? _shutdownExitCode : ExecutorExitCodes.ShutdownTimeout);
                break;
            case LoopTimerKind.MaxCompletion when timer.State is TrackedTask task && ReferenceEquals(timer, task.MaxCompletionTimer):
                task.MaxCompletionTimer = null;
                if (!task.Terminal && !task.Killing)
                {
                    using (EnterTask(task))
                    {
                        Log.MaxCompletionTimeReached(_logger, task.Key, Duration(task.Launched.MaxCompletionTime));
                        Kill(task, TimeSpan.Zero, KillCause.MaxCompletionTime);
                    }
                }

                break;
        }
    }

    private async Task SendHeartbeatAsync()
    {
        var call = new Call { Type = Call.Types.Type.Heartbeat, ExecutorId = _settings.ExecutorId, FrameworkId = _settings.FrameworkId };
        try
        {
            await _transport.SendAsync(call, _stopping.Token).ConfigureAwait(false);
            Log.HeartbeatSent(_logger);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Log.HeartbeatFailed(_logger, ex.Message);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Tasks.
    // ------------------------------------------------------------------------------------------

    private void HandleLaunch(IList<TaskInfo> tasks, TaskGroup? group)
    {
        var launched = new List<(TrackedTask Task, string? Invalid)>();
        foreach (TaskInfo info in tasks)
        {
            string key = info.TaskId?.Value ?? string.Empty;
            if (_tasks.TryGetValue(key, out TrackedTask? existing))
            {
                // The live task stays undisturbed, and no update is sent for the duplicate.
                using (EnterTask(existing))
                {
                    Log.DuplicateLaunch(_logger, key);
                }

                continue;
            }

            // Tracked before anything that may throw: a failure from here on ends in its TASK_FAILED.
            var task = new TrackedTask(info, group);
            _tasks.Add(key, task);
            group?.Tasks.Add(task);
            _anyTaskLaunched = true;
            launched.Add((task, null));
        }

        if (launched.Count == 0)
        {
            return;
        }

        for (int i = 0; i < launched.Count && !_shuttingDown; i++)
        {
            TrackedTask task = launched[i].Task;
            task.CheckedTask = WithEnabledChecks(task.Launched);
            string? invalid = _services.Checks.Validate(task.CheckedTask);
            if (invalid == null && task.CheckedTask.Check != null)
            {
                // A task with a check carries check_status in every update, empty until the first result.
                task.CheckStatus = _services.Checks.EmptyStatus(task.CheckedTask.Check);
            }

            launched[i] = (task, invalid);
        }

        if (_shuttingDown)
        {
            // The default executor drops what arrives while it shuts down; tell the agent so.
            TaskState dropped = FrameworkHas(FrameworkInfo.Types.Capability.Types.Type.PartitionAware) ? TaskState.TaskDropped : TaskState.TaskLost;
            foreach ((TrackedTask task, _) in launched)
            {
                using (EnterTask(task))
                {
                    Log.LaunchWhileShuttingDown(_logger, task.Key);
                    task.RunnerCompleted = true;
                    task.Terminal = true;
                    Send(task, NewStatus(task, dropped, "The executor is shutting down"));
                }
            }

            CheckCompletion();
            return;
        }

        if (_refusal != null)
        {
            // OnSubscribed refused to run tasks (e.g. the task's environment tried to configure
            // the executor): tell the framework why; the executor exits once this is acknowledged.
            foreach ((TrackedTask task, _) in launched)
            {
                using (EnterTask(task))
                {
                    Log.TaskRefused(_logger, task.Key);
                    task.RunnerCompleted = true;
                    task.Terminal = true;
                    Send(task, NewStatus(task, TaskState.TaskFailed, _refusal, TaskStatus.Types.Reason.ContainerLaunchFailed));
                }
            }

            CheckCompletion();
            return;
        }

        // A live task again: the executor is not about to exit any more.
        CancelTimer(ref _failsafeTimer);
        foreach ((TrackedTask task, _) in launched)
        {
            using (EnterTask(task))
            {
                Log.TaskLaunching(_logger, task.Key);
                Send(task, NewStatus(task, TaskState.TaskStarting));
            }
        }

        foreach ((TrackedTask task, string? invalid) in launched)
        {
            if (invalid != null)
            {
                using (EnterTask(task))
                {
                    Log.TaskInvalid(_logger, task.Key, invalid);
                }

                task.RunnerCompleted = true;
                Terminate(task, NewStatus(task, TaskState.TaskFailed, invalid, TaskStatus.Types.Reason.TaskInvalid));
                continue;
            }

            if (task.Killing)
            {
                // Its group is already being killed (a sibling was invalid): never start it.
                task.RunnerCompleted = true;
                Terminate(task, NewStatus(task, TaskState.TaskKilled, "Task killed during launch", TaskStatus.Types.Reason.TaskKilledDuringLaunch));
                continue;
            }

            if (task.Launched.MaxCompletionTime is { Nanoseconds: > 0 } maxCompletion)
            {
                task.MaxCompletionTimer = StartTimer(LoopTimerKind.MaxCompletion, Duration(maxCompletion), task);
            }

            var spec = new ContainerSpec
            {
                Task = task.Launched.Clone(),
                Framework = _framework?.Clone() ?? new FrameworkInfo { Id = _settings.FrameworkId.Clone(), User = string.Empty, Name = string.Empty },
                Executor = _executorInfo?.Clone() ?? new ExecutorInfo { ExecutorId = _settings.ExecutorId.Clone(), FrameworkId = _settings.FrameworkId.Clone() },
                Agent = _agentInfo?.Clone(),
                SandboxDirectory = _settings.SandboxDirectory,
            };

            // Started outside any task scope: the runner opens its task's scope in its own flow.
            var runner = new TaskRunner(task.Id, task.LogScope, spec, _services, _runnerLogger, _hookLogger, PostFromFlowAsync, KillGracePeriod(task, null), _stopping.Token);
            task.Runner = runner;
            runner.Start();
            Track(runner.Completion);
        }
    }

    private TaskInfo WithEnabledChecks(TaskInfo task)
    {
        if ((_options.HealthChecksEnabled || task.HealthCheck == null) && (_options.ChecksEnabled || task.Check == null))
        {
            return task;
        }

        TaskInfo copy = task.Clone();
        if (!_options.HealthChecksEnabled)
        {
            copy.HealthCheck = null;
        }

        if (!_options.ChecksEnabled)
        {
            copy.Check = null;
        }

        return copy;
    }

    private TrackedTask? Find(TaskRunner runner) =>
        _tasks.TryGetValue(runner.TaskId.Value, out TrackedTask? task) && ReferenceEquals(task.Runner, runner) ? task : null;

    private void HandleTaskStarted(TaskStarted started)
    {
        TrackedTask? task = Find(started.Runner);
        if (task == null || task.Terminal)
        {
            return;
        }

        task.Started = true;
        task.ContainerId = started.ContainerId;
        task.LogScope = task.LogScope.WithContainer(started.ContainerId);
        using (EnterTask(task))
        {
            Log.TaskRunning(_logger, task.Key, Log.ShortId(started.ContainerId));

            // Mesos's Docker executor sends no TASK_RUNNING once the task is being killed.
            if (task.Killing)
            {
                return;
            }

            Send(task, RunningStatus(task, started.Details));

            // The checks' flows start here, inside the task's scope, and keep it.
            StartChecks(task, started.Details);
        }
    }

    private void HandleTaskExited(TaskExited exited)
    {
        TrackedTask? task = Find(exited.Runner);
        if (task == null || task.Terminal)
        {
            return;
        }

        task.ExitReported = true;
        TaskState state;
        TaskStatus.Types.Reason? reason = null;
        string message;
        ContainerExit? exit = exited.Exit;
        string exitText = exit == null
            ? string.Empty
            : $"Container exited with status {exit.ExitCode}" + (string.IsNullOrEmpty(exit.Error) ? string.Empty : ": " + exit.Error);

        if (task.ExecutorFailure != null)
        {
            state = TaskState.TaskFailed;
            message = task.ExecutorFailure + (exit == null && exited.Failure == null ? string.Empty : "; " + (exited.Failure ?? exitText));
        }
        else if (task.Killing && task.KillCause == KillCause.MaxCompletionTime)
        {
            state = TaskState.TaskFailed;
            reason = TaskStatus.Types.Reason.MaxCompletionTimeReached;
            message = $"Task exceeded its max_completion_time of {Duration(task.Launched.MaxCompletionTime)}" + (exit == null ? string.Empty : "; " + exitText);
        }
        else if (exit is { OomKilled: true })
        {
            // The runtime knows more than we do: a memory limit ended it, even during a kill.
            state = TaskState.TaskFailed;
            reason = TaskStatus.Types.Reason.ContainerLimitationMemory;
            message = exitText + " (out of memory: the container's memory limit was reached)";
        }
        else if (task.Killing)
        {
            state = TaskState.TaskKilled;
            if (!task.Started && exit == null && exited.Failure == null)
            {
                reason = TaskStatus.Types.Reason.TaskKilledDuringLaunch;
                message = "Task killed during launch";
            }
            else
            {
                message = exited.Failure ?? exitText;
            }

            if (task.KillCause == KillCause.HealthCheck)
            {
                message = $"Task killed because its health check failed {task.HealthCheckFailures} consecutive times" + (message.Length == 0 ? string.Empty : "; " + message);
            }
        }
        else if (exited.Failure != null)
        {
            state = TaskState.TaskFailed;
            message = exited.Failure;
            if (exited.LaunchFailed)
            {
                reason = TaskStatus.Types.Reason.ContainerLaunchFailed;
            }
        }
        else if (exit == null)
        {
            state = TaskState.TaskFailed;
            message = "Failed to get the exit status of the container";
        }
        else if (exit.ExitCode == 0)
        {
            state = TaskState.TaskFinished;
            message = exitText;
        }
        else
        {
            state = TaskState.TaskFailed;
            message = exitText;
        }

        bool? healthy = task.KillCause == KillCause.HealthCheck && task.Killing ? false : null;
        TaskStatus status = NewStatus(task, state, message, reason, healthy);
        using (EnterTask(task))
        {
            if (state == TaskState.TaskFailed)
            {
                Log.TaskFailed(_logger, task.Key, message);
            }
            else
            {
                Log.TaskEnded(_logger, task.Key, MesosNames.Of(state), message);
            }
        }

        Terminate(task, status);
    }

    private void Terminate(TrackedTask task, TaskStatus terminal)
    {
        using (EnterTask(task))
        {
            task.Terminal = true;
            StopChecks(task);
            CancelTimer(task);
            Send(task, terminal);
        }

        // src/launcher/default_executor.cpp: when a task of a group fails or is killed, the rest
        // of the group is killed (unless the executor is shutting down anyway).
        if (task.Group is { Killing: false } group && !_shuttingDown &&
            terminal.State is TaskState.TaskFailed or TaskState.TaskKilled)
        {
            group.Killing = true;
            using (EnterTask(task))
            {
                Log.KillingTaskGroup(_logger, task.Key, MesosNames.Of(terminal.State));
            }

            // Each sibling's kill logs in the sibling's own scope.
            foreach (TrackedTask sibling in group.Tasks)
            {
                if (!ReferenceEquals(sibling, task) && !sibling.Terminal && !sibling.Killing)
                {
                    Kill(sibling, KillGracePeriod(sibling, null), KillCause.TaskGroup);
                }
            }
        }

        CheckCompletion();
    }

    private void HandleRunnerCompleted(TaskRunnerCompleted completed)
    {
        TrackedTask? task = Find(completed.Runner);
        if (task == null)
        {
            return;
        }

        task.RunnerCompleted = true;
        Forget(task);
        CheckCompletion();
    }

    private void HandleKill(Event.Types.Kill kill)
    {
        string key = kill.TaskId?.Value ?? string.Empty;
        if (!_tasks.TryGetValue(key, out TrackedTask? task) || task.Terminal)
        {
            Log.KillUnknownTask(_logger, key);
            return;
        }

        Kill(task, KillGracePeriod(task, kill.KillPolicy), KillCause.Framework);
    }

    /// <summary>The grace period of a kill: the KILL's kill policy, else the task's, else the default.</summary>
    private TimeSpan KillGracePeriod(TrackedTask task, KillPolicy? killPolicy)
    {
        if (killPolicy?.GracePeriod != null)
        {
            return Duration(killPolicy.GracePeriod);
        }

        if (task.Launched.KillPolicy?.GracePeriod != null)
        {
            return Duration(task.Launched.KillPolicy.GracePeriod);
        }

        return _options.DefaultKillGracePeriod;
    }

    private void Kill(TrackedTask task, TimeSpan gracePeriod, KillCause cause)
    {
        if (task.Terminal)
        {
            return;
        }

        using TaskScopeSwitch scope = EnterTask(task);
        DateTimeOffset now = _time.GetUtcNow();
        if (!task.Killing)
        {
            task.Killing = true;
            task.KillCause = cause;
            task.KillStart = now;
            task.KillDeadline = now + gracePeriod;
            if (cause != KillCause.MaxCompletionTime)
            {
                CancelTimer(task);
            }

            Log.KillingTask(_logger, task.Key, gracePeriod, cause);

            // TASK_KILLING only when the framework can handle it; never for a kill caused by
            // max_completion_time (src/docker/executor.cpp), nor for the executor's own failure.
            if (cause is not (KillCause.MaxCompletionTime or KillCause.ExecutorFailure) && FrameworkHas(FrameworkInfo.Types.Capability.Types.Type.TaskKillingState))
            {
                Send(task, NewStatus(task, TaskState.TaskKilling));
            }

            StopChecks(task);
            task.Runner?.Kill(task.KillDeadline);
            return;
        }

        // A kill in progress: the grace period may only get shorter, counted from the first kill
        // (src/launcher/executor.cpp). Retries with the same or a longer one change nothing.
        DateTimeOffset deadline = task.KillStart + gracePeriod;
        if (deadline >= task.KillDeadline)
        {
            Log.KillAlreadyInProgress(_logger, task.Key);
            return;
        }

        task.KillDeadline = deadline;
        TimeSpan remaining = deadline > now ? deadline - now : TimeSpan.Zero;
        Log.KillGraceShortened(_logger, task.Key, remaining);
        task.Runner?.Kill(deadline);
    }

    private static void CancelTimer(TrackedTask task)
    {
        task.MaxCompletionTimer?.Cancel();
        task.MaxCompletionTimer = null;
    }

    // ------------------------------------------------------------------------------------------
    // Checks.
    // ------------------------------------------------------------------------------------------

    private void StartChecks(TrackedTask task, ContainerDetails details)
    {
        try
        {
            task.Checks = _services.Checks.Create(
                task.CheckedTask,
                details,
                _checkLogger,
                (notification, cancellationToken) => PostFromFlowAsync(new CheckNotified(notification), cancellationToken));
            task.Checks?.Start();
        }
        catch (Exception ex)
        {
            // Mesos's Docker executor runs such a task unchecked (with a TODO to fail it), its
            // default executor shuts down: the task is failed, so the framework learns why.
            Log.ChecksStartFailed(_logger, task.Key, ex);
            StopChecks(task);
            FailTask(task, $"Failed to set up the task's checks: {ex.Message}", ex, logged: true);
        }
    }

    private void StopChecks(TrackedTask task)
    {
        if (task.Checks is { } checks)
        {
            using TaskScopeSwitch scope = EnterTask(task);
            task.Checks = null;

            // Not awaited here: a check flow may be waiting to post to this very loop.
            Track(DisposeChecksAsync(task.Key, checks));
        }
    }

    private async Task DisposeChecksAsync(string taskId, ITaskChecks checks)
    {
        try
        {
            await checks.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.ChecksStopFailed(_logger, taskId, ex);
        }
    }

    private void HandleCheckNotification(CheckNotification notification)
    {
        string key = notification.TaskId?.Value ?? string.Empty;
        if (!_tasks.TryGetValue(key, out TrackedTask? task) || task.Terminal || task.Killing || task.Checks == null || task.LastStatus == null)
        {
            // Nothing after a kill started or the task ended (src/docker/executor.cpp).
            Log.CheckNotificationIgnored(_logger, key);
            return;
        }

        using TaskScopeSwitch scope = EnterTask(task);
        switch (notification)
        {
            case HealthNotification health:
                Log.TaskHealthUpdated(_logger, task.Key, health.Healthy, health.ConsecutiveFailures);
                Send(task, DerivedStatus(task, TaskStatus.Types.Reason.TaskHealthCheckStatusUpdated, health.Healthy, checkStatus: null));
                if (health.KillTask)
                {
                    Log.TaskKilledByHealthCheck(_logger, task.Key, health.ConsecutiveFailures);
                    task.HealthCheckFailures = health.ConsecutiveFailures;
                    Kill(task, KillGracePeriod(task, null), KillCause.HealthCheck);
                }

                break;
            case CheckStatusNotification check:
                Log.TaskCheckUpdated(_logger, task.Key);
                task.CheckStatus = check.Status;
                Send(task, DerivedStatus(task, TaskStatus.Types.Reason.TaskCheckStatusUpdated, healthy: null, check.Status));
                break;
        }
    }

    // ------------------------------------------------------------------------------------------
    // Status updates.
    // ------------------------------------------------------------------------------------------

    private TaskStatus NewStatus(TrackedTask task, TaskState state, string? message = null, TaskStatus.Types.Reason? reason = null, bool? healthy = null)
    {
        var status = new TaskStatus
        {
            TaskId = task.Id.Clone(),
            State = state,
            Uuid = NewUuid(),
            Timestamp = Timestamp(),
            Source = TaskStatus.Types.Source.Executor,
            ExecutorId = _settings.ExecutorId.Clone(),
        };

        if (_agentId != null)
        {
            status.AgentId = _agentId.Clone();
        }

        if (!string.IsNullOrEmpty(message))
        {
            status.Message = message;
        }

        if (reason is { } r)
        {
            status.Reason = r;
        }

        if (healthy is { } h)
        {
            status.Healthy = h;
        }

        if (task.CheckStatus != null)
        {
            status.CheckStatus = task.CheckStatus.Clone();
        }

        return status;
    }

    private TaskStatus RunningStatus(TrackedTask task, ContainerDetails details)
    {
        TaskStatus status = NewStatus(task, TaskState.TaskRunning);
        var containerStatus = new ContainerStatus();
        if (_containerId != null)
        {
            containerStatus.ContainerId = _containerId.Clone();
        }

        if (details.IPAddresses.Count > 0)
        {
            // As Mesos's Docker executor: the task's own NetworkInfo (a Docker container has at
            // most one) with the container's addresses; IPv4 is the protocol's default.
            NetworkInfo networkInfo = task.Launched.Container?.NetworkInfos.Count > 0
                ? task.Launched.Container.NetworkInfos[0].Clone()
                : new NetworkInfo();
            networkInfo.IpAddresses.Clear();
            foreach (IPAddress address in details.IPAddresses)
            {
                var ip = new NetworkInfo.Types.IPAddress { IpAddress = address.ToString() };
                if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
                {
                    ip.Protocol = NetworkInfo.Types.Protocol.Ipv6;
                }

                networkInfo.IpAddresses.Add(ip);
            }

            containerStatus.NetworkInfos.Add(networkInfo);
        }

        if (containerStatus.ContainerId != null || containerStatus.NetworkInfos.Count > 0)
        {
            status.ContainerStatus = containerStatus;
        }

        if (details.RawData != null)
        {
            status.Data = ByteString.CopyFrom(details.RawData);
        }

        return status;
    }

    /// <summary>
    /// A fresh TASK_RUNNING for a health or check result: the reason, <c>healthy</c> (this result's,
    /// else the last one sent), <c>check_status</c> and the last <c>container_status</c> (container
    /// id, network addresses), but not the last status's <c>data</c>: Mesos's Docker executor sends
    /// the inspect output once, with TASK_RUNNING (src/docker/executor.cpp <c>taskHealthUpdated</c>).
    /// </summary>
    private TaskStatus DerivedStatus(TrackedTask task, TaskStatus.Types.Reason reason, bool? healthy, CheckStatusInfo? checkStatus)
    {
        TaskStatus last = task.LastStatus!;
        TaskStatus status = NewStatus(task, TaskState.TaskRunning, reason: reason, healthy: healthy ?? (last.HasHealthy ? last.Healthy : null));
        if (last.ContainerStatus != null)
        {
            status.ContainerStatus = last.ContainerStatus.Clone();
        }

        if (checkStatus != null)
        {
            status.CheckStatus = checkStatus.Clone();
        }
        else if (task.CheckStatus != null)
        {
            status.CheckStatus = task.CheckStatus.Clone();
        }

        return status;
    }

    /// <summary>16 random bytes in RFC 4122 order (version 4), as the agent's UUID parser expects.</summary>
    internal static ByteString NewUuid() => ByteString.CopyFrom(Guid.NewGuid().ToByteArray(bigEndian: true));

    private double Timestamp() => (_time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / (double)TimeSpan.TicksPerSecond;

    private void Send(TrackedTask task, TaskStatus status)
    {
        using TaskScopeSwitch scope = EnterTask(task);
        var pending = new PendingUpdate(task, new Call.Types.Update { Status = status });
        _unacknowledged.Add(pending.Uuid, pending);
        task.UnacknowledgedCount++;
        task.LastStatus = status;
        task.Outbox.Enqueue(pending);
        Log.StatusUpdateQueued(_logger, task.Key, MesosNames.Of(status.State), UuidText(pending.Uuid));
        Pump(task);
    }

    /// <summary>Sends the task's next update when subscribed and its previous UPDATE call returned: a task's updates go out in order.</summary>
    private void Pump(TrackedTask task)
    {
        if (_state != ConnectionState.Subscribed || task.CallInFlight)
        {
            return;
        }

        while (task.Outbox.TryDequeue(out PendingUpdate? next))
        {
            if (!_unacknowledged.ContainsKey(next.Uuid))
            {
                continue;
            }

            task.CallInFlight = true;

            // The UPDATE call's flow keeps the task's scope: the transport's lines carry its ids.
            using (EnterTask(task))
            {
                Track(SendUpdateAsync(next));
            }

            return;
        }
    }

    private async Task SendUpdateAsync(PendingUpdate update)
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
            await _transport.SendAsync(call, _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex)
        {
            error = ex;
        }

        await PostAsync(new UpdateCallCompleted(update, error), CancellationToken.None).ConfigureAwait(false);
    }

    private void HandleUpdateCallCompleted(UpdateCallCompleted completed)
    {
        PendingUpdate update = completed.Update;
        TrackedTask task = update.Task;
        task.CallInFlight = false;
        string uuid = UuidText(update.Uuid);
        using (EnterTask(task))
        {
            switch (completed.Error)
            {
                case null:
                    Log.StatusUpdateSent(_logger, task.Key, MesosNames.Of(update.State), uuid);
                    break;
                case AgentApiException { StatusCode: HttpStatusCode.BadRequest } rejected:
                    // The agent will never take this update: keeping it would only make the next
                    // SUBSCRIBE fail too.
                    Log.StatusUpdateRejected(_logger, task.Key, MesosNames.Of(update.State), uuid, rejected.Message);
                    if (_unacknowledged.Remove(update.Uuid))
                    {
                        task.UnacknowledgedCount--;
                    }

                    Forget(task);
                    break;
                default:
                    // 503, 403, a timeout or a broken connection: it stays pending and travels in
                    // the next SUBSCRIBE, as in the reference library.
                    Log.StatusUpdateDeferred(_logger, task.Key, MesosNames.Of(update.State), uuid, completed.Error.Message);
                    break;
            }
        }

        if (_tasks.TryGetValue(task.Key, out TrackedTask? current) && ReferenceEquals(current, task))
        {
            Pump(task);
        }

        CheckCompletion();
    }

    private void HandleAcknowledged(Event.Types.Acknowledged acknowledged)
    {
        string key = acknowledged.TaskId?.Value ?? string.Empty;
        ByteString uuid = acknowledged.Uuid ?? ByteString.Empty;
        if (!_unacknowledged.TryGetValue(uuid, out PendingUpdate? update) || update.Task.Key != key)
        {
            Log.UnknownAcknowledgement(_logger, key, UuidText(uuid));
            return;
        }

        _unacknowledged.Remove(uuid);
        TrackedTask task = update.Task;
        task.UnacknowledgedCount--;
        task.Acknowledged = true;
        using (EnterTask(task))
        {
            Log.StatusUpdateAcknowledged(_logger, key, MesosNames.Of(update.State), UuidText(uuid));
        }

        Forget(task);
        CheckCompletion();
    }

    /// <summary>Drops a task that ended, cleaned up and has nothing unacknowledged.</summary>
    private void Forget(TrackedTask task)
    {
        if (task.Terminal && task.RunnerCompleted && task.UnacknowledgedCount == 0 &&
            _tasks.TryGetValue(task.Key, out TrackedTask? current) && ReferenceEquals(current, task))
        {
            _tasks.Remove(task.Key);
        }
    }

    private static string UuidText(ByteString uuid) =>
        uuid.Length == 16 ? new Guid(uuid.Span, bigEndian: true).ToString() : Convert.ToHexString(uuid.Span);

    // ------------------------------------------------------------------------------------------
    // Framework messages.
    // ------------------------------------------------------------------------------------------

    private void HandleFrameworkMessage(Event.Types.Message message)
    {
        if (_services.MessageHandler == null)
        {
            Log.FrameworkMessageDropped(_logger, message.Data?.Length ?? 0);
            return;
        }

        Log.FrameworkMessageReceived(_logger, message.Data?.Length ?? 0);
        _frameworkMessages.Writer.TryWrite(message.Data?.ToByteArray() ?? []);
    }

    private async Task DispatchFrameworkMessagesAsync(Func<ReadOnlyMemory<byte>, CancellationToken, Task> handler)
    {
        // One message at a time, in arrival order, off the loop: a slow handler never stalls it.
        await foreach (byte[] data in _frameworkMessages.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            try
            {
                await handler(data, _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.FrameworkMessageHandlerFailed(_logger, ex);
            }
        }
    }

    private void HandleSendMessage(SendMessageRequested request)
    {
        if (_state != ConnectionState.Subscribed)
        {
            request.Completion.TrySetException(new AgentApiException(
                "The executor is not subscribed to the agent; the message was not sent.", statusCode: null, isTransient: true));
            return;
        }

        Track(SendFrameworkMessageAsync(request));
    }

    private async Task SendFrameworkMessageAsync(SendMessageRequested request)
    {
        var call = new Call
        {
            Type = Call.Types.Type.Message,
            ExecutorId = _settings.ExecutorId,
            FrameworkId = _settings.FrameworkId,
            Message = new Call.Types.Message { Data = ByteString.CopyFrom(request.Data) },
        };

        try
        {
            await _transport.SendAsync(call, _stopping.Token).ConfigureAwait(false);
            request.Completion.TrySetResult();
        }
        catch (OperationCanceledException ex)
        {
            request.Completion.TrySetCanceled(ex.CancellationToken);
        }
        catch (Exception ex)
        {
            Log.MessageSendFailed(_logger, ex.Message);
            request.Completion.TrySetException(ex);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Shutdown and exit.
    // ------------------------------------------------------------------------------------------

    private void BeginShutdown(int exitCode)
    {
        if (_shuttingDown)
        {
            return;
        }

        _shuttingDown = true;
        _shutdownExitCode = exitCode;
        TimeSpan grace = _settings.ShutdownKillGracePeriod;
        List<TrackedTask> live = _tasks.Values.Where(static t => !t.Terminal).ToList();
        Log.ShuttingDown(_logger, live.Count, grace, _settings.ShutdownGracePeriod);

        // The reference library kills the whole executor once the shutdown grace period is over.
        _deadlineTimer = StartTimer(LoopTimerKind.ShutdownDeadline, _settings.ShutdownGracePeriod);
        foreach (TrackedTask task in live)
        {
            Kill(task, grace, KillCause.Shutdown);
        }

        CheckCompletion();
    }

    /// <summary>
    /// Exits once no task is live and every update is acknowledged, when shutting down or once at
    /// least one task ran (src/launcher/default_executor.cpp); starts the fail-safe while updates
    /// wait for acknowledgement; exits at once when they can no longer be delivered.
    /// </summary>
    private void CheckCompletion()
    {
        if (_exitCode != null || (!_shuttingDown && !_anyTaskLaunched))
        {
            return;
        }

        foreach (TrackedTask task in _tasks.Values)
        {
            if (task.IsLive)
            {
                return;
            }
        }

        int exitCode = _shuttingDown ? _shutdownExitCode : _refusal != null ? ExecutorExitCodes.ConfigurationError : ExecutorExitCodes.Success;
        if (_unacknowledged.Count == 0)
        {
            Exit(exitCode);
            return;
        }

        bool canDeliver = _state == ConnectionState.Subscribed || (!_giveUpConnecting && (_state == ConnectionState.Connecting || _reconnectTimer != null));
        if (!canDeliver)
        {
            Log.ExitingWithUnacknowledgedUpdates(_logger, _unacknowledged.Count);
            Exit(exitCode);
            return;
        }

        if (_failsafeTimer == null)
        {
            Log.WaitingForAcknowledgements(_logger, _unacknowledged.Count, _options.TerminalAcknowledgementTimeout);
            _failsafeTimer = StartTimer(LoopTimerKind.AcknowledgementFailsafe, _options.TerminalAcknowledgementTimeout);
        }
    }

    private void Exit(int exitCode) => _exitCode ??= exitCode;

    private bool FrameworkHas(FrameworkInfo.Types.Capability.Types.Type capability) =>
        _framework?.Capabilities.Any(c => c.Type == capability) == true;

    private static void CancelTimer(ref LoopTimer? timer)
    {
        timer?.Cancel();
        timer = null;
    }

    private static TimeSpan Duration(DurationInfo? duration) =>
        duration == null ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Max(0, duration.Nanoseconds) / 100);

    private async Task StopAsync()
    {
        CancelTimer(ref _recoveryTimer);
        CancelTimer(ref _reconnectTimer);
        CancelTimer(ref _heartbeatTimer);
        CancelTimer(ref _failsafeTimer);
        CancelTimer(ref _deadlineTimer);
        foreach (TrackedTask task in _tasks.Values)
        {
            CancelTimer(task);
            StopChecks(task);
        }

        // Everything still running (only after a forced exit) is told to stop, and nothing more
        // can be posted: writers waiting on the full channel are released.
        await _stopping.CancelAsync().ConfigureAwait(false);
        _inbox.Writer.TryComplete();
        _frameworkMessages.Writer.TryComplete();
        while (_inbox.Reader.TryRead(out LoopMessage? left))
        {
            switch (left)
            {
                case SendMessageRequested send:
                    send.Completion.TrySetException(new InvalidOperationException("The executor stopped."));
                    break;
                case Barrier barrier:
                    barrier.Completion.TrySetResult();
                    break;
            }
        }

        foreach (Task flow in _flows)
        {
            try
            {
                await flow.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
            catch (Exception ex)
            {
                Log.FlowFailed(_logger, ex);
            }
        }

        _subscriptionCts?.Dispose();
    }
}
