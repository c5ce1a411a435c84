using System;
using System.Threading;
using System.Threading.Tasks;

namespace Mesos.Executor.Core.Execution;

/// <summary>What a <see cref="LoopTimer"/> is for.</summary>
internal enum LoopTimerKind
{
    /// <summary>Gives up on a lost agent.</summary>
    Recovery,

    /// <summary>Tries to subscribe again.</summary>
    Reconnect,

    /// <summary>Sends a HEARTBEAT call.</summary>
    Heartbeat,

    /// <summary>Exits although terminal updates are unacknowledged.</summary>
    AcknowledgementFailsafe,

    /// <summary>Exits when the shutdown grace period is over.</summary>
    ShutdownDeadline,

    /// <summary>Kills a task that reached its <c>max_completion_time</c>.</summary>
    MaxCompletion,
}

/// <summary>
/// A one-shot timer owned by the executor loop: it waits on the injected <see cref="TimeProvider"/>
/// and posts <see cref="TimerFired"/>. The loop recognises stale timers by identity, so a timer
/// cancelled after it fired is harmless.
/// </summary>
internal sealed class LoopTimer
{
    private readonly CancellationTokenSource _cts = new();

    private LoopTimer(LoopTimerKind kind, object? state)
    {
        Kind = kind;
        State = state;
    }

    /// <summary>What the timer is for.</summary>
    public LoopTimerKind Kind { get; }

    /// <summary>The timer's subject (e.g. the task), if any.</summary>
    public object? State { get; }

    /// <summary>The timer's flow; completes when it fired or was cancelled.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>Whether <see cref="Cancel"/> was called.</summary>
    public bool IsCancelled => _cts.IsCancellationRequested;

    /// <summary>Starts a timer that posts through <paramref name="post"/> after <paramref name="due"/>.</summary>
    public static LoopTimer Start(
        LoopTimerKind kind,
        TimeSpan due,
        object? state,
        TimeProvider timeProvider,
        Func<LoopMessage, CancellationToken, ValueTask> post)
    {
        var timer = new LoopTimer(kind, state);
        timer.Completion = timer.RunAsync(due < TimeSpan.Zero ? TimeSpan.Zero : due, timeProvider, post);
        return timer;
    }

    /// <summary>Stops the timer; idempotent.</summary>
    public void Cancel()
    {
        if (!_cts.IsCancellationRequested)
        {
            _cts.Cancel();
        }
    }

    private async Task RunAsync(TimeSpan due, TimeProvider timeProvider, Func<LoopMessage, CancellationToken, ValueTask> post)
    {
        try
        {
            await Task.Delay(due, timeProvider, _cts.Token).ConfigureAwait(false);
            await post(new TimerFired(this), _cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Cancelled: nothing to report. (The source holds no timer, so it needs no disposal,
            // and Cancel stays safe to call at any time.)
        }
    }
}
