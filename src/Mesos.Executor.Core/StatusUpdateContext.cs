using System;
using System.Collections.Generic;
using Google.Protobuf;
using Mesos.V1;

namespace Mesos.Executor.Core;

/// <summary>
/// A status update the executor is about to send, as seen by the callback of
/// <see cref="MesosExecutorBuilder.ConfigureStatus"/>: the task, the state and the reason are
/// read-only; the message, the data and the labels may be changed. The ids, the uuid, the state,
/// the source and the timestamp are the executor's and cannot be reached.
/// </summary>
public sealed class StatusUpdateContext
{
    private readonly TaskInfo? _task;
    private readonly Func<TaskInfo>? _loadTask;
    private TaskInfo? _loadedTask;

    /// <summary>Creates a context for an update of <paramref name="task"/> (tests of a status callback).</summary>
    /// <param name="task">The task the update is about.</param>
    /// <param name="state">The update's state.</param>
    /// <exception cref="ArgumentNullException"><paramref name="task"/> is <see langword="null"/>.</exception>
    public StatusUpdateContext(TaskInfo task, TaskState state)
    {
        ArgumentNullException.ThrowIfNull(task);
        _task = task;
        State = state;
    }

    /// <summary>The executor's context: the task is copied only when the callback reads it.</summary>
    internal StatusUpdateContext(Func<TaskInfo> loadTask, TaskStatus status)
    {
        _loadTask = loadTask;
        State = status.State;
        Reason = status.HasReason ? status.Reason : null;
        Healthy = status.HasHealthy ? status.Healthy : null;
        Message = status.HasMessage ? status.Message : null;
        Data = status.HasData ? status.Data : null;
    }

    /// <summary>The task the update is about (a copy: changing it changes nothing).</summary>
    public TaskInfo Task => _task ?? (_loadedTask ??= _loadTask!());

    /// <summary>The update's state.</summary>
    public TaskState State { get; }

    /// <summary>The update's reason, if it has one (e.g. REASON_TASK_HEALTH_CHECK_STATUS_UPDATED).</summary>
    public TaskStatus.Types.Reason? Reason { get; }

    /// <summary>The update's <c>healthy</c> field, if set.</summary>
    public bool? Healthy { get; }

    /// <summary>The update's message: the executor's (e.g. "Container exited with status 0"), which the callback may replace or extend.</summary>
    /// <value>The executor's message, or <see langword="null"/> when it has none; <see langword="null"/> or empty sends none.</value>
    public string? Message { get; set; }

    /// <summary>The update's <c>data</c>: the executor's (TASK_RUNNING carries the container's inspect output), which the callback may replace.</summary>
    /// <value>The executor's data, or <see langword="null"/> when it has none; <see langword="null"/> sends none.</value>
    public ByteString? Data { get; set; }

    /// <summary>Labels to send with the update (the executor sends none of its own).</summary>
    /// <value>Empty at first.</value>
    public IList<Label> Labels { get; } = new List<Label>();

    /// <summary>Copies what the callback may change into <paramref name="status"/>.</summary>
    internal void ApplyTo(TaskStatus status)
    {
        // Everything that can throw comes first: the status changes all at once or not at all.
        Labels? labels = null;
        if (Labels.Count > 0)
        {
            labels = new Labels();
            foreach (Label label in Labels)
            {
                labels.Labels_.Add(label ?? throw new InvalidOperationException("A status label is null."));
            }
        }

        if (string.IsNullOrEmpty(Message))
        {
            status.ClearMessage();
        }
        else
        {
            status.Message = Message;
        }

        if (Data == null)
        {
            status.ClearData();
        }
        else
        {
            status.Data = Data;
        }

        if (labels != null)
        {
            status.Labels = labels;
        }
    }
}
