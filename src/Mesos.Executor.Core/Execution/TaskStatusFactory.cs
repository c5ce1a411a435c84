using System;
using System.Net;
using System.Net.Sockets;
using Google.Protobuf;
using Mesos.V1;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reason = Mesos.V1.TaskStatus.Types.Reason;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Executor.Core.Execution;

/// <summary>What a task's terminal update says: its state, reason, message and <c>healthy</c>.</summary>
internal readonly record struct TerminalOutcome(TaskState State, Reason? Reason, string Message, bool? Healthy);

/// <summary>
/// Builds every <see cref="TaskStatus"/> the executor sends: TASK_STARTING, TASK_RUNNING, health
/// and check updates, TASK_KILLING, the terminal update (with the exit-to-state and reason
/// mapping of Mesos's executors) and the updates of tasks refused or dropped. It only reads the
/// task; the clock and the uuids are injected, so every status is reproducible in tests. The
/// user's status callback (<see cref="MesosExecutorBuilder.ConfigureStatus"/>) sees every status
/// last, and may change only its message, data and labels.
/// </summary>
/// <remarks>
/// The mapping follows src/docker/executor.cpp (exit 0 is TASK_FINISHED, any other exit
/// TASK_FAILED, a kill TASK_KILLED, <c>healthy=false</c> after a kill by the health check,
/// REASON_MAX_COMPLETION_TIME_REACHED) and src/launcher/default_executor.cpp
/// (REASON_CONTAINER_LIMITATION_MEMORY for an OOM kill, TASK_DROPPED or TASK_LOST while
/// shutting down, REASON_TASK_KILLED_DURING_LAUNCH).
/// </remarks>
internal sealed class TaskStatusFactory
{
    private readonly ExecutorID _executorId;
    private readonly TimeProvider _time;
    private readonly Func<ByteString> _newUuid;
    private readonly Action<StatusUpdateContext>? _configure;
    private readonly ILogger _logger;

    public TaskStatusFactory(
        ExecutorID executorId,
        AgentID? agentId,
        TimeProvider time,
        Func<ByteString>? newUuid = null,
        Action<StatusUpdateContext>? configure = null,
        ILogger? logger = null)
    {
        _executorId = executorId;
        AgentId = agentId;
        _time = time;
        _newUuid = newUuid ?? NewUuid;
        _configure = configure;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The agent's id (from the environment, then from SUBSCRIBED).</summary>
    public AgentID? AgentId { get; set; }

    /// <summary>The executor's container (SUBSCRIBED's <c>container_id</c>), reported in TASK_RUNNING.</summary>
    public ContainerID? ExecutorContainerId { get; set; }

    /// <summary>16 random bytes in RFC 4122 order (version 4), as the agent's UUID parser expects.</summary>
    public static ByteString NewUuid()
    {
        // Wrapped, not copied: the array is new and nobody else holds it.
        byte[] bytes = Guid.NewGuid().ToByteArray(bigEndian: true);
        return UnsafeByteOperations.UnsafeWrap(bytes);
    }

    /// <summary>Whether <paramref name="state"/> ends a task (include/mesos/v1/mesos.hpp: protobuf::isTerminalState).</summary>
    public static bool IsTerminal(TaskState state) => state is TaskState.TaskFinished or TaskState.TaskFailed or TaskState.TaskKilled
        or TaskState.TaskError or TaskState.TaskLost or TaskState.TaskDropped or TaskState.TaskGone or TaskState.TaskGoneByOperator;

    /// <summary>TASK_STARTING, sent as soon as a LAUNCH is accepted.</summary>
    public TaskStatus Starting(TrackedTask task) => New(task, TaskState.TaskStarting);

    /// <summary>
    /// TASK_RUNNING: the executor's container id and the container's addresses in the task's own
    /// NetworkInfo (a Docker container has at most one; IPv4 is the protocol's default and left
    /// unset), and the inspect output as <c>data</c>, as Mesos's Docker executor does.
    /// </summary>
    public TaskStatus Running(TrackedTask task, ContainerDetails details)
    {
        TaskStatus status = Create(task, TaskState.TaskRunning);
        var containerStatus = new ContainerStatus();
        if (ExecutorContainerId != null)
        {
            containerStatus.ContainerId = ExecutorContainerId.Clone();
        }

        if (details.IPAddresses.Count > 0)
        {
            NetworkInfo networkInfo = task.Launched.Container?.NetworkInfos.Count > 0
                ? task.Launched.Container.NetworkInfos[0].Clone()
                : new NetworkInfo();
            networkInfo.IpAddresses.Clear();
            foreach (IPAddress address in details.IPAddresses)
            {
                var ip = new NetworkInfo.Types.IPAddress { IpAddress = address.ToString() };
                if (address.AddressFamily == AddressFamily.InterNetworkV6)
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

        return Customize(task, status);
    }

    /// <summary>A health result: a fresh TASK_RUNNING with <c>healthy</c> and REASON_TASK_HEALTH_CHECK_STATUS_UPDATED.</summary>
    public TaskStatus Health(TrackedTask task, bool healthy) => Derived(task, Reason.TaskHealthCheckStatusUpdated, healthy, checkStatus: null);

    /// <summary>A check result: a fresh TASK_RUNNING with the new <c>check_status</c> and REASON_TASK_CHECK_STATUS_UPDATED.</summary>
    public TaskStatus Check(TrackedTask task, CheckStatusInfo checkStatus) => Derived(task, Reason.TaskCheckStatusUpdated, healthy: null, checkStatus);

    /// <summary>TASK_KILLING, for frameworks with the TASK_KILLING_STATE capability.</summary>
    public TaskStatus Killing(TrackedTask task) => New(task, TaskState.TaskKilling);

    /// <summary>A task that arrived while the executor shuts down: TASK_DROPPED for partition-aware frameworks, else TASK_LOST.</summary>
    public TaskStatus Dropped(TrackedTask task, bool partitionAware) =>
        New(task, partitionAware ? TaskState.TaskDropped : TaskState.TaskLost, "The executor is shutting down");

    /// <summary>A task refused because the executor's SUBSCRIBED handler refused every task.</summary>
    public TaskStatus Refused(TrackedTask task, string why) => New(task, TaskState.TaskFailed, why, Reason.ContainerLaunchFailed);

    /// <summary>A task whose checks are invalid: TASK_FAILED with REASON_TASK_INVALID.</summary>
    public TaskStatus Invalid(TrackedTask task, string why) => New(task, TaskState.TaskFailed, why, Reason.TaskInvalid);

    /// <summary>A task of a group that was killed before it started.</summary>
    public TaskStatus KilledDuringLaunch(TrackedTask task) => New(task, TaskState.TaskKilled, "Task killed during launch", Reason.TaskKilledDuringLaunch);

    /// <summary>TASK_FAILED with <paramref name="message"/>: the executor failed the task.</summary>
    public TaskStatus Failed(TrackedTask task, string message) => New(task, TaskState.TaskFailed, message);

    /// <summary>The terminal update once the container is gone (or never ran).</summary>
    public TaskStatus Terminal(TrackedTask task, ContainerExit? exit, string? failure, bool launchFailed)
    {
        TerminalOutcome outcome = Outcome(task, exit, failure, launchFailed);
        return New(task, outcome.State, outcome.Message, outcome.Reason, outcome.Healthy);
    }

    /// <summary>The terminal state, reason and message of a task whose container is gone.</summary>
    /// <param name="task">The task: why it was killed, if it was, and whether it ran.</param>
    /// <param name="exit">The container's exit, if known.</param>
    /// <param name="failure">What failed (the launch or the wait), if anything.</param>
    /// <param name="launchFailed">Whether <paramref name="failure"/> is a launch step's.</param>
    public static TerminalOutcome Outcome(TrackedTask task, ContainerExit? exit, string? failure, bool launchFailed)
    {
        string exitText = exit == null
            ? string.Empty
            : $"Container exited with status {exit.ExitCode}" + (string.IsNullOrEmpty(exit.Error) ? string.Empty : ": " + exit.Error);
        bool? healthy = task.Killing && task.KillCause == KillCause.HealthCheck ? false : null;

        if (task.ExecutorFailure != null)
        {
            string detail = failure ?? exitText;
            return new(TaskState.TaskFailed, null, task.ExecutorFailure + (detail.Length == 0 ? string.Empty : "; " + detail), null);
        }

        if (task.Killing && task.KillCause == KillCause.MaxCompletionTime)
        {
            string message = $"Task exceeded its max_completion_time of {Durations.Of(task.Launched.MaxCompletionTime)}" + (exit == null ? string.Empty : "; " + exitText);
            return new(TaskState.TaskFailed, Reason.MaxCompletionTimeReached, message, null);
        }

        if (exit is { OomKilled: true })
        {
            // The runtime knows more than we do: a memory limit ended it, even during a kill.
            return new(TaskState.TaskFailed, Reason.ContainerLimitationMemory, exitText + " (out of memory: the container's memory limit was reached)", null);
        }

        if (task.Killing)
        {
            Reason? reason = null;
            string message;
            if (!task.Started && exit == null && failure == null)
            {
                reason = Reason.TaskKilledDuringLaunch;
                message = "Task killed during launch";
            }
            else
            {
                message = failure ?? exitText;
            }

            if (task.KillCause == KillCause.HealthCheck)
            {
                message = $"Task killed because its health check failed {task.HealthCheckFailures} consecutive times" + (message.Length == 0 ? string.Empty : "; " + message);
            }

            return new(TaskState.TaskKilled, reason, message, healthy);
        }

        if (failure != null)
        {
            return new(TaskState.TaskFailed, launchFailed ? Reason.ContainerLaunchFailed : null, failure, null);
        }

        if (exit == null)
        {
            return new(TaskState.TaskFailed, null, "Failed to get the exit status of the container", null);
        }

        return new(exit.ExitCode == 0 ? TaskState.TaskFinished : TaskState.TaskFailed, null, exitText, null);
    }

    /// <summary>
    /// A status of <paramref name="task"/> with the fields every update carries (see
    /// <see cref="Create"/>), passed through the user's status callback.
    /// </summary>
    public TaskStatus New(TrackedTask task, TaskState state, string? message = null, Reason? reason = null, bool? healthy = null) =>
        Customize(task, Create(task, state, message, reason, healthy));

    /// <summary>
    /// Lets the user's status callback add to <paramref name="status"/>: it sees a context, never
    /// the status, so the ids, uuid, state, source and timestamp stay the executor's. A throwing
    /// callback is logged and the status is sent as the executor built it: an update is never lost.
    /// </summary>
    private TaskStatus Customize(TrackedTask task, TaskStatus status)
    {
        if (_configure == null)
        {
            return status;
        }

        var context = new StatusUpdateContext(task.Launched.Clone, status);
        try
        {
            _configure(context);
            context.ApplyTo(status);
        }
        catch (Exception ex)
        {
            // ApplyTo changes the status only once nothing can throw any more: it is as built.
            Log.StatusCallbackFailed(_logger, task.Key, status.State.ToString(), ex);
        }

        return status;
    }

    /// <summary>
    /// A status of <paramref name="task"/> with the fields every update carries: task, state, uuid,
    /// timestamp, source, executor and agent, and the task's latest <c>check_status</c>.
    /// </summary>
    private TaskStatus Create(TrackedTask task, TaskState state, string? message = null, Reason? reason = null, bool? healthy = null)
    {
        var status = new TaskStatus
        {
            TaskId = task.Id.Clone(),
            State = state,
            Uuid = _newUuid(),
            Timestamp = (_time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / (double)TimeSpan.TicksPerSecond,
            Source = TaskStatus.Types.Source.Executor,
            ExecutorId = _executorId.Clone(),
        };

        if (AgentId != null)
        {
            status.AgentId = AgentId.Clone();
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

    /// <summary>
    /// A fresh TASK_RUNNING for a health or check result: the reason, <c>healthy</c> (this result's,
    /// else the last one sent), <c>check_status</c> and the last <c>container_status</c> (container
    /// id, network addresses), but not the last status's <c>data</c>: Mesos's Docker executor sends
    /// the inspect output once, with TASK_RUNNING (src/docker/executor.cpp <c>taskHealthUpdated</c>).
    /// </summary>
    private TaskStatus Derived(TrackedTask task, Reason reason, bool? healthy, CheckStatusInfo? checkStatus)
    {
        TaskStatus? last = task.LastStatus;
        TaskStatus status = Create(task, TaskState.TaskRunning, reason: reason, healthy: healthy ?? (last is { HasHealthy: true } ? last.Healthy : null));
        if (last?.ContainerStatus != null)
        {
            status.ContainerStatus = last.ContainerStatus.Clone();
        }

        if (checkStatus != null)
        {
            status.CheckStatus = checkStatus.Clone();
        }

        return Customize(task, status);
    }
}
