using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Mesos.V1;
using Microsoft.Extensions.Logging;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Executor.Core.Execution;

/// <summary>
/// One task's container life, as one async flow: configure, pre-create hooks, create, pre-run
/// hooks, start, inspect, post-run hooks, wait; on a kill the draining hooks, the drain delay, the
/// pre-stop hooks and a stop with what is left of the grace period; after the end the post-stop
/// hooks. The ready and health-changed hooks run in a second flow of the runner, in order, so
/// that neither the loop nor the wait ever waits for them. It owns no executor state: it reports
/// to the executor loop through <see cref="LoopMessage"/>s, and the loop tells it to stop through
/// <see cref="Kill"/>, what it sent through <see cref="StatusSent"/> and the task's moments
/// through <see cref="Notify"/>.
/// </summary>
internal sealed class TaskRunner
{
    /// <summary>Wait before re-issuing a stop that failed (Mesos's Docker executor: KILL_RETRY_INTERVAL).</summary>
    internal static readonly TimeSpan StopRetryInterval = TimeSpan.FromSeconds(5);

    private readonly ContainerSpec _spec;
    private readonly TaskLogScope _logScope;
    private readonly ExecutorServices _services;
    private readonly IContainerizer _containerizer;
    private readonly ILogger _logger;
    private readonly ILogger _hookLogger;
    private readonly HookPhases _hooks;
    private readonly Func<LoopMessage, CancellationToken, ValueTask> _post;
    private readonly TimeSpan _failureStopGrace;
    private readonly CancellationToken _abort;
    private readonly TimeSpan _drainDelay;
    private readonly Channel<DateTimeOffset> _kills = Channel.CreateUnbounded<DateTimeOffset>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<HookMoment> _moments = Channel.CreateUnbounded<HookMoment>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource<TaskStatus> _terminal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskStatus? _latestStatus;
    private readonly CancellationTokenSource _launchCts;
    private readonly Lock _launchGate = new();
    private bool _launchDone;
    private volatile bool _killRequested;
    private bool _startReported;
    private bool _exitReported;

    /// <param name="taskId">The task.</param>
    /// <param name="logScope">The task's logging scope, opened around the whole flow.</param>
    /// <param name="spec">The task's container spec (a private copy).</param>
    /// <param name="services">The containerizer, hooks and clock.</param>
    /// <param name="logger">The executor's logger.</param>
    /// <param name="hookLogger">The logger handed to hooks.</param>
    /// <param name="post">Posts to the executor loop; never throws.</param>
    /// <param name="failureStopGrace">The grace period for stopping a container after a failed launch or wait.</param>
    /// <param name="abort">Cancelled when the executor stops for good: the runner then ends without reporting.</param>
    /// <param name="drainDelay">How long a killed task keeps running after its draining hooks (<see cref="DrainDelays"/>).</param>
    /// <param name="latestStatus">The latest status created for the task (TASK_STARTING).</param>
    public TaskRunner(
        TaskID taskId,
        TaskLogScope logScope,
        ContainerSpec spec,
        ExecutorServices services,
        ILogger logger,
        ILogger hookLogger,
        Func<LoopMessage, CancellationToken, ValueTask> post,
        TimeSpan failureStopGrace,
        CancellationToken abort,
        TimeSpan drainDelay = default,
        TaskStatus? latestStatus = null)
    {
        _drainDelay = drainDelay;
        _latestStatus = latestStatus;
        TaskId = taskId;
        _logScope = logScope;
        _spec = spec;
        _services = services;
        _containerizer = services.Containerizer;
        _logger = logger;
        _hookLogger = hookLogger;
        _post = post;
        _failureStopGrace = failureStopGrace;
        _abort = abort;
        _launchCts = CancellationTokenSource.CreateLinkedTokenSource(abort);
        _hooks = new HookPhases(taskId.Value, services.Hooks, logger, abort);
    }

    /// <summary>The task.</summary>
    public TaskID TaskId { get; }

    /// <summary>The runner's flow; set by <see cref="Start"/>.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>
    /// Starts the flow. Call it outside any task's logging scope: the flow inherits the caller's
    /// scopes and opens the task's own.
    /// </summary>
    public void Start() => Completion = RunAsync();

    /// <summary>
    /// Asks the runner to stop the container so that SIGKILL comes at <paramref name="deadline"/>.
    /// Called by the loop for the first kill and again for each shorter deadline. A kill during the
    /// launch aborts it. Never blocks.
    /// </summary>
    public void Kill(DateTimeOffset deadline)
    {
        _killRequested = true;
        _kills.Writer.TryWrite(deadline);
        if (!Volatile.Read(ref _launchDone))
        {
            // Cancelling runs the aborted step's continuations inline: never on the loop's thread.
            ThreadPool.UnsafeQueueUserWorkItem(static runner => runner.CancelLaunch(), this, preferLocal: false);
        }
    }

    /// <summary>
    /// The loop created <paramref name="status"/> for the task: hooks see it as
    /// <see cref="HookContext.Status"/>, and a terminal one lets the post-stop hooks run. Never blocks.
    /// </summary>
    public void StatusSent(TaskStatus status)
    {
        Volatile.Write(ref _latestStatus, status);
        if (TaskStatusFactory.IsTerminal(status.State))
        {
            _terminal.TrySetResult(status);
        }
    }

    /// <summary>Queues a ready or health-changed moment; its hooks run in the runner's own flow, in order. Never blocks.</summary>
    public void Notify(HookMoment moment) => _moments.Writer.TryWrite(moment);

    private void CancelLaunch()
    {
        lock (_launchGate)
        {
            if (!_launchDone)
            {
                _launchCts.Cancel();
            }
        }
    }

    private async Task RunAsync()
    {
        // Leave the loop's thread: user callbacks and hooks run on the pool.
        await Task.Yield();

        // Everything this flow does, and every flow it starts (the containerizer's, the hooks'),
        // logs inside the task's scope. The scope lives in this flow's ExecutionContext alone: the
        // loop that started it never sees it.
        IDisposable? scope = _logger.BeginScope(_logScope);
        try
        {
            var context = new HookContext(_spec, _containerizer, _hookLogger) { Status = LatestStatus() };
            string? containerId = null;
            string? failure = null;
            ContainerDetails? details = null;
            bool launched = false;
            try
            {
                CancellationToken launch = _launchCts.Token;
                try
                {
                    _services.ConfigureContainer?.Invoke(_spec);
                }
                catch (Exception ex)
                {
                    throw new LaunchStepException("configure container failed: " + ex.Message, ex);
                }

                await _hooks.RunLaunchPhaseAsync(HookPhase.PreCreate, context, launch).ConfigureAwait(false);
                containerId = await StepAsync("create container", async () =>
                    await _containerizer.CreateAsync(_spec, launch).ConfigureAwait(false) is { Length: > 0 } id
                        ? id
                        : throw new InvalidOperationException("the containerizer returned no container id")).ConfigureAwait(false);

                // Closed before the next opens, so that a line never carries the task's id twice.
                scope?.Dispose();
                scope = _logger.BeginScope(_logScope.WithContainer(containerId));

                context.SetContainerId(containerId);
                await _hooks.RunLaunchPhaseAsync(HookPhase.PreRun, context, launch).ConfigureAwait(false);
                await StepAsync("start container", async () =>
                {
                    await _containerizer.StartAsync(containerId, launch).ConfigureAwait(false);
                    return true;
                }).ConfigureAwait(false);
                details = await StepAsync("inspect container", async () =>
                    await _containerizer.InspectAsync(containerId, launch).ConfigureAwait(false)
                        ?? throw new InvalidOperationException("the containerizer returned no details")).ConfigureAwait(false);
                context.SetContainer(details);
                await _hooks.RunLaunchPhaseAsync(HookPhase.PostRun, context, launch).ConfigureAwait(false);
                launched = true;
            }
            catch (OperationCanceledException) when (_abort.IsCancellationRequested)
            {
                return;
            }
            catch (OperationCanceledException) when (_killRequested)
            {
                Log.LaunchAbortedByKill(_logger, TaskId.Value);
            }
            catch (Exception ex)
            {
                // Once a kill arrived, whatever the aborted step threw is a consequence of the kill.
                if (_killRequested)
                {
                    Log.LaunchAbortedByKill(_logger, TaskId.Value);
                }
                else
                {
                    failure = ex is LaunchStepException ? ex.Message : "launch failed: " + ex.Message;
                    Log.LaunchStepFailed(_logger, TaskId.Value, failure, ex.InnerException ?? ex);
                }
            }
            finally
            {
                lock (_launchGate)
                {
                    _launchDone = true;
                }

                _launchCts.Dispose();
            }

            try
            {
                if (!launched || details == null || containerId == null)
                {
                    await EndFailedLaunchAsync(context, containerId, failure).ConfigureAwait(false);
                    return;
                }

                await ReportAsync(new TaskStarted(this, containerId, details)).ConfigureAwait(false);
                await SuperviseAsync(context, containerId).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_abort.IsCancellationRequested)
            {
                // The executor stopped for good; nobody is listening any more.
            }
            finally
            {
                _kills.Writer.TryComplete();
                _moments.Writer.TryComplete();
            }
        }
        catch (Exception ex) when (!_abort.IsCancellationRequested)
        {
            // A safety net: whatever went wrong, the loop hears that the task ended and that the
            // runner is done, so the task gets its TASK_FAILED and the executor can finish.
            string failure = "the task's runner failed: " + ex.Message;
            Log.RunnerFailed(_logger, TaskId.Value, ex);
            if (!_exitReported)
            {
                await ReportAsync(new TaskExited(this, null, failure, LaunchFailed: !_startReported)).ConfigureAwait(false);
            }

            await ReportAsync(new TaskRunnerCompleted(this)).ConfigureAwait(false);
        }
        finally
        {
            scope?.Dispose();
        }
    }

    private ValueTask ReportAsync(LoopMessage message)
    {
        switch (message)
        {
            case TaskStarted:
                _startReported = true;
                break;
            case TaskExited:
                _exitReported = true;
                break;
        }

        return _post(message, _abort);
    }

    private async Task EndFailedLaunchAsync(HookContext context, string? containerId, string? failure)
    {
        // The launch failed or was aborted by a kill: the stop phases still run, and a container
        // that was created is stopped before the terminal update goes out. No draining: the task
        // never ran.
        context.SetStatus(LatestStatus());
        await _hooks.RunStopPhaseAsync(HookPhase.PreStop, context).ConfigureAwait(false);
        if (containerId != null)
        {
            TimeSpan grace = _failureStopGrace;
            if (failure == null && TryReadLatestKill(out DateTimeOffset deadline))
            {
                grace = Remaining(deadline);
            }

            await StopOnceAsync(containerId, grace).ConfigureAwait(false);
        }

        await ReportAsync(new TaskExited(this, null, failure, LaunchFailed: failure != null)).ConfigureAwait(false);
        await RunPostStopAsync(context).ConfigureAwait(false);
        await ReportAsync(new TaskRunnerCompleted(this)).ConfigureAwait(false);
    }

    private async Task SuperviseAsync(HookContext context, string containerId)
    {
        Task<ContainerExit> wait = StartWait(containerId);
        Task moments = RunMomentsAsync(context);
        var stops = new List<Task>();
        bool preStopDone = false;
        using var stopRetries = CancellationTokenSource.CreateLinkedTokenSource(_abort);
        try
        {
            while (!wait.IsCompleted)
            {
                Task<bool> killed = _kills.Reader.WaitToReadAsync(_abort).AsTask();
                Task first = await Task.WhenAny(wait, killed).ConfigureAwait(false);
                if (first == wait || !await killed.ConfigureAwait(false) || !TryReadLatestKill(out DateTimeOffset deadline))
                {
                    continue;
                }

                if (!preStopDone)
                {
                    preStopDone = true;

                    // The moments queued before the kill run first (a task is registered before
                    // it is deregistered); the loop queues none once a kill started.
                    _moments.Writer.TryComplete();
                    await moments.ConfigureAwait(false);
                    context.SetStatus(LatestStatus());
                    await _hooks.RunMomentPhaseAsync(HookPhase.Draining, context, _abort).ConfigureAwait(false);
                    deadline = await DrainAsync(wait, deadline).ConfigureAwait(false);
                    context.SetStatus(LatestStatus());
                    await _hooks.RunStopPhaseAsync(HookPhase.PreStop, context).ConfigureAwait(false);
                }

                stops.Add(StopUntilStoppedAsync(containerId, deadline, stopRetries.Token));
            }

            ContainerExit? exit = null;
            string? failure = null;
            try
            {
                exit = await wait.ConfigureAwait(false) ?? throw new InvalidOperationException("the containerizer reported no exit");
                Log.ContainerExited(_logger, TaskId.Value, Log.ShortId(containerId), exit.ExitCode, exit.OomKilled);
            }
            catch (OperationCanceledException) when (_abort.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                failure = "wait for container failed: " + ex.Message;
                Log.WaitFailed(_logger, TaskId.Value, Log.ShortId(containerId), ex);
            }

            await stopRetries.CancelAsync().ConfigureAwait(false);
            _moments.Writer.TryComplete();
            await moments.ConfigureAwait(false);
            if (failure != null)
            {
                // The container's fate is unknown: make sure it is gone before reporting.
                if (!preStopDone)
                {
                    context.SetStatus(LatestStatus());
                    await _hooks.RunStopPhaseAsync(HookPhase.PreStop, context).ConfigureAwait(false);
                }

                await StopOnceAsync(containerId, TryReadLatestKill(out DateTimeOffset deadline) ? Remaining(deadline) : _failureStopGrace).ConfigureAwait(false);
            }

            await ReportAsync(new TaskExited(this, exit, failure, LaunchFailed: false)).ConfigureAwait(false);
        }
        finally
        {
            await stopRetries.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(stops).ConfigureAwait(false);
        }

        await RunPostStopAsync(context).ConfigureAwait(false);
        await ReportAsync(new TaskRunnerCompleted(this)).ConfigureAwait(false);
    }

    private async Task RunPostStopAsync(HookContext context)
    {
        // The post-stop hooks see the terminal update, which the loop creates once it handled
        // TaskExited; it always does, or the executor stops for good (_abort).
        context.SetStatus((await _terminal.Task.WaitAsync(_abort).ConfigureAwait(false)).Clone());
        await _hooks.RunStopPhaseAsync(HookPhase.PostStop, context).ConfigureAwait(false);
    }

    private TaskStatus? LatestStatus() => Volatile.Read(ref _latestStatus)?.Clone();

    /// <summary>The ready and health-changed hooks, one moment at a time, until the runner stops taking moments.</summary>
    private async Task RunMomentsAsync(HookContext context)
    {
        while (await _moments.Reader.WaitToReadAsync(_abort).ConfigureAwait(false))
        {
            while (_moments.Reader.TryRead(out HookMoment? moment))
            {
                context.SetStatus(moment.Status?.Clone());
                context.SetHealth(moment.Healthy, moment.CheckStatus?.Clone());
                await _hooks.RunMomentPhaseAsync(moment.Phase, context, _abort).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Lets a killed task run on for the drain delay, at most until SIGKILL is due; ends early when
    /// the container exits. A shorter kill arriving meanwhile shortens the drain.
    /// </summary>
    /// <returns>The kill deadline, shortened by any kill that arrived during the drain.</returns>
    private async Task<DateTimeOffset> DrainAsync(Task wait, DateTimeOffset deadline)
    {
        DateTimeOffset drainEnd = _services.TimeProvider.GetUtcNow() + _drainDelay;
        bool logged = false;
        while (!wait.IsCompleted)
        {
            TimeSpan left = (drainEnd < deadline ? drainEnd : deadline) - _services.TimeProvider.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                break;
            }

            if (!logged)
            {
                logged = true;
                Log.DrainingTask(_logger, TaskId.Value, left);
            }

            using var waiting = CancellationTokenSource.CreateLinkedTokenSource(_abort);
            Task delay = Task.Delay(left, _services.TimeProvider, waiting.Token);
            Task<bool> killed = _kills.Reader.WaitToReadAsync(waiting.Token).AsTask();
            await Task.WhenAny(wait, delay, killed).ConfigureAwait(false);
            await waiting.CancelAsync().ConfigureAwait(false);
            _abort.ThrowIfCancellationRequested();
            if (TryReadLatestKill(out DateTimeOffset shorter))
            {
                deadline = shorter;
            }
        }

        return deadline;
    }

    /// <summary>Starts the wait; a containerizer that throws instead of returning a faulted task fails the wait alike.</summary>
    private Task<ContainerExit> StartWait(string containerId)
    {
        try
        {
            return _containerizer.WaitAsync(containerId, _abort) ?? Task.FromException<ContainerExit>(new InvalidOperationException("the containerizer returned no wait"));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return Task.FromException<ContainerExit>(ex);
        }
    }

    private bool TryReadLatestKill(out DateTimeOffset deadline)
    {
        bool any = false;
        deadline = default;
        while (_kills.Reader.TryRead(out DateTimeOffset next))
        {
            // The loop only ever sends earlier deadlines; take the last one.
            deadline = next;
            any = true;
        }

        return any;
    }

    private TimeSpan Remaining(DateTimeOffset deadline)
    {
        TimeSpan remaining = deadline - _services.TimeProvider.GetUtcNow();
        return remaining < TimeSpan.Zero ? TimeSpan.Zero : remaining;
    }

    private async Task StopUntilStoppedAsync(string containerId, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        // Like Mesos's Docker executor, a failed stop is retried: a terminal update must never be
        // sent while the container may still run, and the task must not be left running either.
        while (true)
        {
            TimeSpan grace = Remaining(deadline);
            try
            {
                Log.StoppingContainer(_logger, TaskId.Value, Log.ShortId(containerId), grace);
                await _containerizer.StopAsync(containerId, grace, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.StopContainerFailed(_logger, TaskId.Value, Log.ShortId(containerId), StopRetryInterval, ex);
            }

            try
            {
                await Task.Delay(StopRetryInterval, _services.TimeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task StopOnceAsync(string containerId, TimeSpan grace)
    {
        try
        {
            Log.StoppingContainer(_logger, TaskId.Value, Log.ShortId(containerId), grace);
            await _containerizer.StopAsync(containerId, grace, _abort).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            Log.StopContainerFailed(_logger, TaskId.Value, Log.ShortId(containerId), TimeSpan.Zero, ex);
        }
    }

    private static async Task<T> StepAsync<T>(string step, Func<Task<T>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception ex)
        {
            throw new LaunchStepException(step + " failed: " + ex.Message, ex);
        }
    }

    /// <summary>A launch step failed; the message names the step.</summary>
    internal sealed class LaunchStepException : Exception
    {
        public LaunchStepException(string message, Exception? innerException)
            : base(message, innerException)
        {
        }
    }
}
