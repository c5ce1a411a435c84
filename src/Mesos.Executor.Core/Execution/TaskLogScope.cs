using System;
using System.Collections;
using System.Collections.Generic;

namespace Mesos.Executor.Core.Execution;

/// <summary>
/// The logging scope of one task's work: <c>TaskId</c>, and <c>ContainerId</c> (12 characters)
/// once the container exists. Opened with <c>ILogger.BeginScope</c> around a task's long-running
/// operations, so every line written inside them, by the containerizer, hooks and checks too,
/// carries the ids. Immutable: a sink may keep the state and read it after the line was written,
/// so the container's id comes in a new scope (<see cref="WithContainer"/>), never by mutation.
/// </summary>
/// <remarks>
/// Sinks read it as key/value pairs (the convention of Microsoft.Extensions.Logging's structured
/// scopes) or through <see cref="ToString"/>. The pairs are built once per scope, not per line.
/// </remarks>
internal sealed class TaskLogScope : IReadOnlyList<KeyValuePair<string, object?>>
{
    /// <summary>The property name of the task's id.</summary>
    public const string TaskIdKey = "TaskId";

    /// <summary>The property name of the container's (short) id.</summary>
    public const string ContainerIdKey = "ContainerId";

    private readonly KeyValuePair<string, object?>[] _pairs;
    private string? _text;

    /// <summary>Creates the scope of a task whose container does not exist yet.</summary>
    /// <param name="taskId">The task's id.</param>
    public TaskLogScope(string taskId)
        : this(taskId, containerId: null)
    {
    }

    private TaskLogScope(string taskId, string? containerId)
    {
        TaskId = taskId;
        ContainerId = containerId;
        _pairs = containerId == null
            ? [new(TaskIdKey, taskId)]
            : [new(TaskIdKey, taskId), new(ContainerIdKey, containerId)];
    }

    /// <summary>The task's id.</summary>
    public string TaskId { get; }

    /// <summary>The container's first 12 characters, once it exists.</summary>
    public string? ContainerId { get; }

    /// <inheritdoc/>
    public int Count => _pairs.Length;

    /// <inheritdoc/>
    public KeyValuePair<string, object?> this[int index] => _pairs[index];

    /// <summary>The scope of the same task once its container exists.</summary>
    /// <param name="containerId">The container's id; shortened to 12 characters as in every log line.</param>
    /// <returns>A new scope; this one is unchanged.</returns>
    public TaskLogScope WithContainer(string containerId) => new(TaskId, Log.ShortId(containerId));

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_pairs).GetEnumerator();

    /// <inheritdoc/>
    IEnumerator IEnumerable.GetEnumerator() => _pairs.GetEnumerator();

    /// <summary><c>TaskId=web-1</c> or <c>TaskId=web-1 ContainerId=bfa7ca01637c</c>.</summary>
    public override string ToString() =>
        _text ??= ContainerId == null ? "TaskId=" + TaskId : string.Concat("TaskId=", TaskId, " ContainerId=", ContainerId);
}
