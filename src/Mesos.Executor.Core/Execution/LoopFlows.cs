using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace Mesos.Executor.Core.Execution;

/// <summary>
/// The async flows the executor loop started (HTTP calls, runners, timers, check disposal): each is
/// tracked here and awaited before the executor returns, so no work outlives it. Also starts the
/// loop's timers. Used from the loop's thread only.
/// </summary>
internal sealed class LoopFlows
{
    private readonly List<Task> _flows = [];
    private readonly LoopInbox _inbox;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stopping = new();
    private int _pruneAt = 64;

    public LoopFlows(LoopInbox inbox, TimeProvider time)
    {
        _inbox = inbox;
        _time = time;
    }

    /// <summary>Cancelled when the executor stops for good.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>Whether the executor stops for good.</summary>
    public bool IsStopping => _stopping.IsCancellationRequested;

    /// <summary>Tracks <paramref name="flow"/> until the executor stops.</summary>
    public void Track(Task flow)
    {
        if (flow.IsCompleted)
        {
            return;
        }

        if (_flows.Count >= _pruneAt)
        {
            // Amortized: prune only when the list doubled since the last pruning.
            _flows.RemoveAll(static f => f.IsCompleted);
            _pruneAt = Math.Max(64, _flows.Count * 2);
        }

        _flows.Add(flow);
    }

    /// <summary>Starts a tracked timer that posts <see cref="TimerFired"/> to the loop.</summary>
    public LoopTimer StartTimer(LoopTimerKind kind, TimeSpan due, object? state = null)
    {
        LoopTimer timer = LoopTimer.Start(kind, due, state, _time, _inbox.PostFromFlowAsync);
        Track(timer.Completion);
        return timer;
    }

    /// <summary>Tells every flow to stop.</summary>
    public Task CancelAsync() => _stopping.CancelAsync();

    /// <summary>Awaits every tracked flow; failures are logged.</summary>
    public async Task WaitAllAsync(ILogger logger)
    {
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
                Log.FlowFailed(logger, ex);
            }
        }
    }
}
