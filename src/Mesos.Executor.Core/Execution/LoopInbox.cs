using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Mesos.Executor.Core.Execution;

/// <summary>
/// The executor loop's one bounded, single-reader channel of <see cref="LoopMessage"/>s. Every
/// flow (subscription, UPDATE calls, task runners, checks, timers, user requests) reports through
/// it; only the loop reads it, so only the loop touches state.
/// </summary>
internal sealed class LoopInbox
{
    /// <summary>Capacity of the channel; writers wait when it is full.</summary>
    internal const int Capacity = 1024;

    private readonly Channel<LoopMessage> _channel = Channel.CreateBounded<LoopMessage>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    /// <summary>The loop's end of the channel.</summary>
    public ChannelReader<LoopMessage> Reader => _channel.Reader;

    /// <summary>Posts to the loop; returns <see langword="false"/> when the loop has ended or <paramref name="cancellationToken"/> fired. Never throws.</summary>
    public async ValueTask<bool> PostAsync(LoopMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await _channel.Writer.WriteAsync(message, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ChannelClosedException)
        {
            return false;
        }
        catch (System.OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary><see cref="PostAsync"/> for flows that do not care whether the loop still listens.</summary>
    public ValueTask PostFromFlowAsync(LoopMessage message, CancellationToken cancellationToken)
    {
        ValueTask<bool> posted = PostAsync(message, cancellationToken);
        return posted.IsCompletedSuccessfully ? ValueTask.CompletedTask : new ValueTask(posted.AsTask());
    }

    /// <summary>Posts without waiting; <see langword="false"/> when the channel is full or closed.</summary>
    public bool TryPost(LoopMessage message) => _channel.Writer.TryWrite(message);

    /// <summary>Closes the channel: writers waiting on a full channel are released.</summary>
    public void Complete() => _channel.Writer.TryComplete();
}
