using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Mesos.Executor.Core.Checks;
using Mesos.V1;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Executor.Core.Execution;

/// <summary>The executor loop's tasks: launch, running, checks, kill, their end and their failures.</summary>
internal sealed partial class ExecutorLoop
{
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
            _shutdown.AnyTaskLaunched = true;
            launched.Add((task, null));
        }

        if (launched.Count == 0)
        {
            return;
        }

        if (_shutdown.ShuttingDown || _refusal != null)
        {
            // The default executor drops what arrives while it shuts down; tell the agent so. When
            // OnSubscribed refused to run tasks (e.g. the task's environment tried to configure the
            // executor), tell the framework why; the executor exits once this is acknowledged.
            bool partitionAware = FrameworkHas(FrameworkInfo.Types.Capability.Types.Type.PartitionAware);
            foreach ((TrackedTask task, _) in launched)
            {
                using (EnterTask(task))
                {
                    TaskStatus status;
                    if (_shutdown.ShuttingDown)
                    {
                        Log.LaunchWhileShuttingDown(_logger, task.Key);
                        status = _statuses.Dropped(task, partitionAware);
                    }
                    else
                    {
                        Log.TaskRefused(_logger, task.Key);
                        status = _statuses.Refused(task, _refusal!);
                    }

                    task.RunnerCompleted = true;
                    task.Terminal = true;
                    Send(task, status);
                }
            }

            return;
        }

        for (int i = 0; i < launched.Count; i++)
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

        // A live task again: the executor is not about to exit any more.
        _shutdown.TaskLaunched();
        foreach ((TrackedTask task, _) in launched)
        {
            using (EnterTask(task))
            {
                Log.TaskLaunching(_logger, task.Key);
                Send(task, _statuses.Starting(task));
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
                Terminate(task, _statuses.Invalid(task, invalid));
                continue;
            }

            if (task.Killing)
            {
                // Its group is already being killed (a sibling was invalid): never start it.
                task.RunnerCompleted = true;
                Terminate(task, _statuses.KilledDuringLaunch(task));
                continue;
            }

            if (task.Launched.MaxCompletionTime is { Nanoseconds: > 0 } maxCompletion)
            {
                task.MaxCompletionTimer = _flows.StartTimer(LoopTimerKind.MaxCompletion, Durations.Of(maxCompletion), task);
            }

            var spec = new ContainerSpec
            {
                Task = task.Launched.Clone(),
                Framework = _framework?.Clone() ?? new FrameworkInfo { Id = _settings.FrameworkId.Clone(), User = string.Empty, Name = string.Empty },
                Executor = _executorInfo?.Clone() ?? new ExecutorInfo { ExecutorId = _settings.ExecutorId.Clone(), FrameworkId = _settings.FrameworkId.Clone() },
                Agent = _agentInfo?.Clone(),
                SandboxDirectory = _settings.SandboxDirectory,
            };

            TimeSpan drainDelay = DrainDelayOf(task);

            // Started outside any task scope: the runner opens its task's scope in its own flow.
            var runner = new TaskRunner(task.Id, task.LogScope, spec, _services, _runnerLogger, _hookLogger, _inbox.PostFromFlowAsync, GraceOf(task), _flows.Stopping, drainDelay, task.LastStatus);
            task.Runner = runner;
            runner.Start();
            _flows.Track(runner.Completion);
        }
    }

    private TimeSpan DrainDelayOf(TrackedTask task)
    {
        TimeSpan delay = DrainDelays.Of(task.Launched, _options, out string? invalid, out TimeSpan? requested);
        if (invalid != null || requested != null)
        {
            using (EnterTask(task))
            {
                if (invalid != null)
                {
                    Log.DrainLabelInvalid(_logger, task.Key, _options.DrainDelayLabel!, invalid);
                }
                else
                {
                    Log.DrainLabelCapped(_logger, task.Key, _options.DrainDelayLabel!, requested!.Value, _options.MaxDrainDelay);
                }
            }
        }

        return delay;
    }

    /// <summary>
    /// Hands a moment's hooks to the task's runner, which runs them in its own flow: the loop never
    /// waits for a hook.
    /// </summary>
    private static void Notify(TrackedTask task, HookPhase phase) =>
        task.Runner?.Notify(new HookMoment(phase, task.LastStatus, task.Healthy, task.CheckStatus));

    private void MarkReady(TrackedTask task, string why)
    {
        if (task.Ready)
        {
            return;
        }

        task.Ready = true;
        Log.TaskReady(_logger, task.Key, why);
        Notify(task, HookPhase.Ready);
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

    private TimeSpan GraceOf(TrackedTask task) => KillGrace.Of(task.Launched, killPolicy: null, _options.DefaultKillGracePeriod);

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

            Send(task, _statuses.Running(task, started.Details));

            // The checks' flows start here, inside the task's scope, and keep it.
            StartChecks(task, started.Details);

            // Without a health check the task is ready as soon as it runs.
            if (task.CheckedTask.HealthCheck == null && !task.Killing && !task.Terminal)
            {
                MarkReady(task, "running, no health check");
            }
        }
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
        if (task.Group is { Killing: false } group && !_shutdown.ShuttingDown &&
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
                    Kill(sibling, GraceOf(sibling), KillCause.TaskGroup);
                }
            }
        }
    }

    private void Kill(TrackedTask task, TimeSpan gracePeriod, KillCause cause)
    {
        if (task.Terminal)
        {
            return;
        }

        using LoopLogScope.Switch scope = EnterTask(task);
        DateTimeOffset now = _services.TimeProvider.GetUtcNow();
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
                Send(task, _statuses.Killing(task));
            }

            StopChecks(task);
            task.Runner?.Kill(task.KillDeadline);
            return;
        }

        // A kill in progress: the grace period may only get shorter, counted from the first kill
        // (src/launcher/executor.cpp). Retries with the same or a longer one change nothing.
        if (KillGrace.Shortened(task.KillStart, task.KillDeadline, gracePeriod) is not { } deadline)
        {
            Log.KillAlreadyInProgress(_logger, task.Key);
            return;
        }

        task.KillDeadline = deadline;
        Log.KillGraceShortened(_logger, task.Key, deadline > now ? deadline - now : TimeSpan.Zero);
        task.Runner?.Kill(deadline);
    }

    private static void CancelTimer(TrackedTask task)
    {
        task.MaxCompletionTimer?.Cancel();
        task.MaxCompletionTimer = null;
    }

    private void StartChecks(TrackedTask task, ContainerDetails details)
    {
        try
        {
            task.Checks = _services.Checks.Create(
                task.CheckedTask,
                details,
                _checkLogger,
                (notification, cancellationToken) => _inbox.PostFromFlowAsync(new CheckNotified(notification), cancellationToken));
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
            using LoopLogScope.Switch scope = EnterTask(task);
            task.Checks = null;

            // Not awaited here: a check flow may be waiting to post to this very loop.
            _flows.Track(DisposeChecksAsync(task.Key, checks));
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

        using LoopLogScope.Switch scope = EnterTask(task);
        switch (notification)
        {
            case HealthNotification health:
                Log.TaskHealthUpdated(_logger, task.Key, health.Healthy, health.ConsecutiveFailures);
                Send(task, _statuses.Health(task, health.Healthy));
                if (task.Healthy != health.Healthy)
                {
                    // The first verdict counts as a change; the first success also makes the task ready.
                    task.Healthy = health.Healthy;
                    if (health.Healthy)
                    {
                        MarkReady(task, "first healthy check");
                    }

                    Notify(task, HookPhase.HealthChanged);
                }

                if (health.KillTask)
                {
                    Log.TaskKilledByHealthCheck(_logger, task.Key, health.ConsecutiveFailures);
                    task.HealthCheckFailures = health.ConsecutiveFailures;
                    Kill(task, GraceOf(task), KillCause.HealthCheck);
                }

                break;
            case CheckStatusNotification check:
                Log.TaskCheckUpdated(_logger, task.Key);
                task.CheckStatus = check.Status;
                Send(task, _statuses.Check(task, check.Status));
                Notify(task, HookPhase.HealthChanged);
                break;
        }
    }

    /// <summary>
    /// Ends <paramref name="task"/> with TASK_FAILED and <paramref name="message"/> after an
    /// exception; never throws. A task whose container may run is stopped first: its terminal
    /// update follows the container's end. Any other gets its TASK_FAILED at once.
    /// </summary>
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
                Kill(task, GraceOf(task), KillCause.ExecutorFailure);
                return;
            }

            task.RunnerCompleted |= task.Runner == null;
            Terminate(task, _statuses.Failed(task, message));
        }
        catch (Exception ex)
        {
            // Last resort: the task is given up so that the executor can still finish.
            Log.TaskFailureNotReported(_logger, task.Key, ex);
            task.Terminal = true;
            task.RunnerCompleted |= task.Runner == null || task.ExitReported;
        }
    }
}
