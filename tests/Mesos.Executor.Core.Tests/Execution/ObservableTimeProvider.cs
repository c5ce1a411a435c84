using System;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;

namespace Mesos.Executor.Core.Tests.Execution;

/// <summary>A <see cref="FakeTimeProvider"/> that also reports each timer created, so tests know a wait has begun before advancing time.</summary>
/// <remarks>
/// Advance only once the timer it is meant to fire exists: a timer created after the advance is
/// due relative to the advanced clock and never fires. Timers are reported in the order they were
/// created, from the provider's creation on, and each wait consumes the reports it reads: a timer
/// of the same length created earlier (and not yet waited for) satisfies the next wait, so wait
/// for that one first.
/// </remarks>
internal sealed class ObservableTimeProvider : FakeTimeProvider
{
    private readonly Channel<TimeSpan> _timers = Channel.CreateUnbounded<TimeSpan>();

    public ObservableTimeProvider()
        : base(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ITimer timer = base.CreateTimer(callback, state, dueTime, period);
        _timers.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>Waits until a timer with exactly <paramref name="dueTime"/> is created.</summary>
    public async Task WaitForTimerAsync(TimeSpan dueTime, CancellationToken cancellationToken)
    {
        while (await _timers.Reader.ReadAsync(cancellationToken).ConfigureAwait(false) != dueTime)
        {
        }
    }

    /// <summary>Waits until a timer matching <paramref name="predicate"/> is created and returns its due time.</summary>
    public async Task<TimeSpan> WaitForTimerAsync(Func<TimeSpan, bool> predicate, CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan due = await _timers.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (predicate(due))
            {
                return due;
            }
        }
    }
}
