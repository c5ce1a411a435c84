using System;
using Microsoft.Extensions.Logging;

namespace Mesos.Executor.Core.Execution;

/// <summary>
/// The executor loop's current task logging scope. Lines logged while a task's scope is entered,
/// and flows started meanwhile (UPDATE calls, checks), carry its ids. Used from the loop's thread
/// only, and only around synchronous work, with <see langword="using"/>.
/// </summary>
/// <remarks>
/// The loop holds at most one task scope at a time, in one slot: entering the scope of the task
/// already current costs nothing, and entering another task's (killing the rest of a group)
/// closes the current one first and reopens it afterwards, so a line is never attributed to two
/// tasks. Every scope is closed before the loop's handler returns: the loop's own lines and the
/// flows it starts for no task carry no task id.
/// </remarks>
internal sealed class LoopLogScope
{
    private readonly ILogger _logger;
    private TaskLogScope? _state;
    private IDisposable? _handle;

    public LoopLogScope(ILogger logger) => _logger = logger;

    /// <summary>Makes <paramref name="scope"/> current until the result is disposed.</summary>
    public Switch Enter(TaskLogScope scope)
    {
        TaskLogScope? previous = _state;
        Set(scope);
        return new Switch(this, previous);
    }

    private void Set(TaskLogScope? state)
    {
        if (ReferenceEquals(state, _state))
        {
            return;
        }

        // The handle pops back to the loop's own context: scopes are only ever pushed here.
        _handle?.Dispose();
        _handle = null;
        _state = state;
        if (state != null)
        {
            _handle = _logger.BeginScope(state);
        }
    }

    /// <summary>Restores the previous scope (usually none) when disposed.</summary>
    internal readonly struct Switch : IDisposable
    {
        private readonly LoopLogScope _owner;
        private readonly TaskLogScope? _previous;

        public Switch(LoopLogScope owner, TaskLogScope? previous)
        {
            _owner = owner;
            _previous = previous;
        }

        public void Dispose() => _owner?.Set(_previous);
    }
}
