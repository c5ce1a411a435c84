using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core.Agent;
using Mesos.Executor.Core.Checks;
using Mesos.V1;
using Mesos.V1.Executor;
using Microsoft.Extensions.Logging;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Executor.Core.Execution;

/// <summary>
/// The executor's state machine. One loop reads the bounded single-reader <see cref="LoopInbox"/>
/// (agent events, task-runner reports, check notifications, timers, user requests) and alone owns
/// every piece of state: no locks. It owns and calls one object per job, none of which knows the
/// loop: the <see cref="AgentConnection"/>, the <see cref="UpdateLedger"/>, the
/// <see cref="TaskStatusFactory"/>, the <see cref="ShutdownCoordinator"/>, the
/// <see cref="FrameworkMessenger"/>; here remain the tasks: launch, kill, checks, their end.
/// Everything slow runs in <see cref="LoopFlows"/> that post back and are awaited before
/// <see cref="RunAsync"/> returns.
/// </summary>
/// <remarks>
/// Protocol behaviour follows Apache Mesos: its Docker executor (src/docker/executor.cpp) and
/// HTTP command executor (src/launcher/executor.cpp) for kill, grace periods and TASK_KILLING; its
/// default executor (src/launcher/default_executor.cpp) for task groups. Every exception while a
/// task's message is handled ends that task with TASK_FAILED (<see cref="FailTask"/>).
/// </remarks>
internal sealed partial class ExecutorLoop
{
    private readonly ExecutorSettings _settings;
    private readonly ExecutorServices _services;
    private readonly ExecutorOptions _options;
    private readonly ILogger _logger;
    private readonly ILogger _runnerLogger;
    private readonly ILogger _hookLogger;
    private readonly ILogger _checkLogger;
    private readonly LoopInbox _inbox = new();
    private readonly LoopFlows _flows;
    private readonly LoopLogScope _scope;
    private readonly AgentConnection _connection;
    private readonly UpdateLedger _ledger;
    private readonly TaskStatusFactory _statuses;
    private readonly ShutdownCoordinator _shutdown;
    private readonly FrameworkMessenger _messages;
    private readonly OrderedDictionary<string, TrackedTask> _tasks = new(StringComparer.Ordinal);

    private FrameworkInfo? _framework;
    private ExecutorInfo? _executorInfo;
    private AgentInfo? _agentInfo;
    private string? _refusal;
    private int _started;

    public ExecutorLoop(ExecutorSettings settings, ExecutorServices services, IAgentTransport transport)
    {
        _settings = settings;
        _services = services;
        _options = settings.Options;
        _logger = services.LoggerFactory.CreateLogger<MesosExecutor>();
        _runnerLogger = services.LoggerFactory.CreateLogger<TaskRunner>();
        _hookLogger = services.LoggerFactory.CreateLogger("Mesos.Executor.Hooks");
        _checkLogger = services.LoggerFactory.CreateLogger("Mesos.Executor.Checks");
        _flows = new LoopFlows(_inbox, services.TimeProvider);
        _scope = new LoopLogScope(_logger);
        _ledger = new UpdateLedger(settings, transport, _inbox, _flows, _logger);
        _connection = new AgentConnection(settings, transport, _inbox, _flows, services.Random, () => _ledger.BuildSubscribe(_tasks.Values), _logger);
        _statuses = new TaskStatusFactory(settings.ExecutorId, settings.AgentId, services.TimeProvider, configure: services.ConfigureStatus, logger: _logger);
        _shutdown = new ShutdownCoordinator(settings, _flows, _logger);
        _messages = new FrameworkMessenger(settings, transport, services.MessageHandler, _flows, _logger);
    }

    /// <summary>The connection state (for tests; read it only from a barrier).</summary>
    internal ConnectionState State => _connection.State;

    /// <summary>Whether <see cref="RunAsync"/> is running.</summary>
    internal bool IsRunning => Volatile.Read(ref _started) == 1 && !_flows.IsStopping;

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
        _messages.Start();
        try
        {
            _connection.Subscribe();
            while (_shutdown.ExitCode == null)
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
                    (List<TrackedTask> tasks, string doing) = FailureSubjects.Of(message, _tasks);
                    foreach (TrackedTask task in tasks.Where(static t => !t.Terminal))
                    {
                        FailTask(task, $"The executor failed {doing}: {ex.GetType().Name}: {ex.Message}", ex);
                    }
                }

                if (_shutdown.Requested)
                {
                    Log.ShutdownRequested(_logger);
                    BeginShutdown(ExecutorExitCodes.Success);
                }

                // After every message: exit once nothing is left to do (see ShutdownCoordinator).
                _shutdown.Evaluate(_tasks.Values.Any(static t => t.IsLive), _ledger.Count, _connection.CanDeliver, _refusal != null);
            }
        }
        catch (Exception ex)
        {
            Log.ExecutorFailed(_logger, ex);
            _shutdown.Exit(ExecutorExitCodes.Fatal);
        }
        finally
        {
            await StopAsync().ConfigureAwait(false);
        }

        int exitCode = _shutdown.ExitCode ?? ExecutorExitCodes.Fatal;
        Log.ExecutorExited(_logger, exitCode);
        return exitCode;
    }

    /// <summary>Sends a MESSAGE call to the framework through the loop.</summary>
    public async Task SendMessageAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (!IsRunning)
        {
            throw new InvalidOperationException("The executor is not running.");
        }

        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!await _inbox.PostAsync(new SendMessageRequested(data.ToArray(), completion), cancellationToken).ConfigureAwait(false))
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
        if (await _inbox.PostAsync(new Barrier(completion), cancellationToken).ConfigureAwait(false))
        {
            await completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private void RequestShutdown()
    {
        _shutdown.Request();

        // If the channel is full the request is still seen after the next message.
        _inbox.TryPost(new ShutdownRequested());
    }

    private LoopLogScope.Switch EnterTask(TrackedTask task) => _scope.Enter(task.LogScope);

    private void Handle(LoopMessage message)
    {
        switch (message)
        {
            case AgentEventReceived received when _connection.Accept(received):
                HandleEvent(received.Event);
                break;
            case SubscriptionEnded ended:
                if (_connection.OnSubscriptionEnded(ended, exiting: _shutdown.ExitCode != null) is { } exitCode)
                {
                    BeginShutdown(exitCode);
                }

                break;
            case UpdateCallCompleted completed:
                TrackedTask updated = completed.Update.Task;
                using (EnterTask(updated))
                {
                    _ledger.Completed(completed);
                }

                if (completed.Error is AgentApiException { StatusCode: null, IsTransient: true } unreachable
                    && _connection.OnCallInterrupted(unreachable, exiting: _shutdown.ExitCode != null) is { } lostExitCode)
                {
                    BeginShutdown(lostExitCode);
                }

                Forget(updated);
                if (_tasks.TryGetValue(updated.Key, out TrackedTask? current) && ReferenceEquals(current, updated))
                {
                    Pump(updated);
                }

                break;
            case TaskStarted started:
                HandleTaskStarted(started);
                break;
            case TaskExited exited when Find(exited.Runner) is { Terminal: false } task:
                task.ExitReported = true;
                TaskStatus terminal = _statuses.Terminal(task, exited.Exit, exited.Failure, exited.LaunchFailed);
                using (EnterTask(task))
                {
                    if (terminal.State == TaskState.TaskFailed)
                    {
                        Log.TaskFailed(_logger, task.Key, terminal.Message);
                    }
                    else
                    {
                        Log.TaskEnded(_logger, task.Key, MesosNames.Of(terminal.State), terminal.Message);
                    }
                }

                Terminate(task, terminal);
                break;
            case TaskRunnerCompleted completed when Find(completed.Runner) is { } task:
                task.RunnerCompleted = true;
                Forget(task);
                break;
            case CheckNotified notified:
                HandleCheckNotification(notified.Notification);
                break;
            case TimerFired fired:
                HandleTimer(fired.Timer);
                break;
            case SendMessageRequested send:
                _messages.Send(send, _connection.IsSubscribed);
                break;
            case ShutdownRequested when !_shutdown.ShuttingDown:
                Log.ShutdownRequested(_logger);
                BeginShutdown(ExecutorExitCodes.Success);
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
                string key = e.Kill.TaskId?.Value ?? string.Empty;
                if (!_tasks.TryGetValue(key, out TrackedTask? task) || task.Terminal)
                {
                    Log.KillUnknownTask(_logger, key);
                    break;
                }

                Kill(task, KillGrace.Of(task.Launched, e.Kill.KillPolicy, _options.DefaultKillGracePeriod), KillCause.Framework);
                break;
            case Event.Types.Type.Acknowledged:
                string acknowledgedKey = e.Acknowledged.TaskId?.Value ?? string.Empty;
                PendingUpdate? update;
                using (_tasks.TryGetValue(acknowledgedKey, out TrackedTask? acknowledgedTask) ? EnterTask(acknowledgedTask) : default)
                {
                    update = _ledger.Acknowledge(e.Acknowledged);
                }

                if (update != null)
                {
                    Forget(update.Task);
                }

                break;
            case Event.Types.Type.Message:
                _messages.Received(e.Message);
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

    private void HandleSubscribed(Event.Types.Subscribed subscribed)
    {
        _connection.OnSubscribed();
        _framework = subscribed.FrameworkInfo;
        _executorInfo = subscribed.ExecutorInfo;
        _agentInfo = subscribed.AgentInfo;
        _statuses.AgentId = subscribed.AgentInfo?.Id ?? _statuses.AgentId;
        _statuses.ExecutorContainerId = subscribed.ContainerId;
        Log.Subscribed(_logger, _agentInfo?.Hostname ?? string.Empty, _statuses.AgentId?.Value ?? string.Empty, subscribed.ContainerId?.Value ?? string.Empty);
        InspectSubscription(subscribed);

        // Updates created after the SUBSCRIBE call was built were not in it: send them now.
        foreach (TrackedTask task in _tasks.Values.ToList())
        {
            Pump(task);
        }
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

    private void HandleTimer(LoopTimer timer)
    {
        switch (timer.Kind)
        {
            case LoopTimerKind.Reconnect or LoopTimerKind.Recovery or LoopTimerKind.Heartbeat:
                if (_connection.OnTimer(timer) is { } exitCode)
                {
                    BeginShutdown(exitCode);
                }

                break;
            case LoopTimerKind.AcknowledgementFailsafe or LoopTimerKind.ShutdownDeadline:
                _shutdown.OnTimer(timer, _tasks.Values.Count(static t => t.IsLive), _ledger.Count);
                break;
            case LoopTimerKind.MaxCompletion when timer.State is TrackedTask task && ReferenceEquals(timer, task.MaxCompletionTimer):
                task.MaxCompletionTimer = null;
                if (!task.Terminal && !task.Killing)
                {
                    using (EnterTask(task))
                    {
                        Log.MaxCompletionTimeReached(_logger, task.Key, Durations.Of(task.Launched.MaxCompletionTime));
                        Kill(task, TimeSpan.Zero, KillCause.MaxCompletionTime);
                    }
                }

                break;
        }
    }

    /// <summary>Queues <paramref name="status"/> in the ledger and sends it when the task's previous UPDATE returned.</summary>
    private void Send(TrackedTask task, TaskStatus status)
    {
        using (EnterTask(task))
        {
            _ledger.Add(task, status);
            task.Runner?.StatusSent(status);
            Pump(task);
        }
    }

    private void Pump(TrackedTask task)
    {
        if (_connection.IsSubscribed)
        {
            // The UPDATE call's flow keeps the task's scope: the transport's lines carry its ids.
            using (EnterTask(task))
            {
                _ledger.Pump(task);
            }
        }
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

    private void BeginShutdown(int exitCode)
    {
        List<TrackedTask> live = _tasks.Values.Where(static t => !t.Terminal).ToList();
        if (_shutdown.TryBegin(exitCode, live.Count, out TimeSpan grace))
        {
            foreach (TrackedTask task in live)
            {
                Kill(task, grace, KillCause.Shutdown);
            }
        }
    }

    private bool FrameworkHas(FrameworkInfo.Types.Capability.Types.Type capability) =>
        _framework?.Capabilities.Any(c => c.Type == capability) == true;

    private async Task StopAsync()
    {
        _connection.Stop();
        _shutdown.Stop();
        foreach (TrackedTask task in _tasks.Values)
        {
            CancelTimer(task);
            StopChecks(task);
        }

        // Everything still running (only after a forced exit) is told to stop, and nothing more
        // can be posted: writers waiting on the full channel are released.
        await _flows.CancelAsync().ConfigureAwait(false);
        _inbox.Complete();
        _messages.Complete();
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

        await _flows.WaitAllAsync(_logger).ConfigureAwait(false);
        _connection.Dispose();
    }
}
