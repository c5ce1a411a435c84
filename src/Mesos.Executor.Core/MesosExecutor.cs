using System;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core.Agent;
using Mesos.Executor.Core.Execution;

namespace Mesos.Executor.Core;

/// <summary>
/// A Mesos executor speaking the v1 Executor HTTP API: it subscribes to the agent, launches the
/// tasks it is sent through an <see cref="IContainerizer"/> and the <see cref="IHook"/>s, reports
/// their status updates at least once, runs their health checks and checks, kills them on request,
/// survives agent restarts when the framework checkpoints, and exits when told to or when its last
/// task ended and the agent acknowledged the terminal update.
/// </summary>
/// <example>
/// <code>
/// await using MesosExecutor executor = MesosExecutor.CreateBuilder()
///     .UseContainerizer(containerizer)
///     .Build();
/// return await executor.RunAsync(shutdownToken);
/// </code>
/// </example>
public sealed class MesosExecutor : IAsyncDisposable
{
    private readonly ExecutorLoop _loop;
    private readonly IAsyncDisposable? _ownedTransport;
    private readonly object? _ownedContainerizer;
    private readonly CancellationTokenSource _disposeCts = new();
    private CancellationTokenSource? _linkedCts;
    private Task<int>? _run;
    private int _disposed;

    internal MesosExecutor(ExecutorSettings settings, ExecutorServices services, IAgentTransport transport, IAsyncDisposable? ownedTransport, object? ownedContainerizer = null)
    {
        _loop = new ExecutorLoop(settings, services, transport);
        _ownedTransport = ownedTransport;
        _ownedContainerizer = ownedContainerizer;
    }

    /// <summary>The state machine (for tests).</summary>
    internal ExecutorLoop Loop => _loop;

    /// <summary>Starts configuring an executor.</summary>
    /// <returns>A new builder.</returns>
    public static MesosExecutorBuilder CreateBuilder() => new();

    /// <summary>
    /// Runs the executor until it exits: after SHUTDOWN, once its last task ended and the terminal
    /// updates were acknowledged, when the agent is lost for good, or when
    /// <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    /// <param name="cancellationToken">
    /// Cancel on SIGTERM/SIGINT: the executor then behaves as on SHUTDOWN (kills every task within
    /// the shutdown grace period, sends the terminal updates, waits for their acknowledgement) and
    /// returns <see cref="ExecutorExitCodes.Success"/>; it does not throw.
    /// </param>
    /// <returns>The process exit code, one of <see cref="ExecutorExitCodes"/>.</returns>
    /// <exception cref="InvalidOperationException">The executor already ran.</exception>
    /// <exception cref="ObjectDisposedException">The executor was disposed.</exception>
    public Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (_run != null)
        {
            throw new InvalidOperationException("An executor runs only once.");
        }

        // Disposing a running executor shuts it down like a cancellation.
        _linkedCts = cancellationToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposeCts.Token) : null;
        _run = _loop.RunAsync(_linkedCts?.Token ?? _disposeCts.Token);
        return _run;
    }

    /// <summary>Sends a framework message (a MESSAGE call) to the executor's scheduler.</summary>
    /// <param name="data">The message; Mesos delivers it at most once.</param>
    /// <param name="cancellationToken">Stops waiting for the agent's answer.</param>
    /// <returns>A task that completes when the agent accepted the message.</returns>
    /// <exception cref="InvalidOperationException">The executor is not running.</exception>
    /// <exception cref="AgentApiException">The executor is not subscribed to the agent, or the agent refused the call.</exception>
    public Task SendMessageAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _loop.SendMessageAsync(data, cancellationToken);
    }

    /// <summary>
    /// Shuts a running executor down (as on SHUTDOWN), waits for it, and releases the connection to
    /// the agent, then disposes the containerizer if the executor owns it
    /// (<see cref="MesosExecutorBuilder.UseContainerizer(IContainerizer, bool)"/>).
    /// </summary>
    /// <returns>A task that completes when everything stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _disposeCts.CancelAsync().ConfigureAwait(false);
        if (_run != null)
        {
            await _run.ConfigureAwait(false);
        }

        try
        {
            if (_ownedTransport != null)
            {
                await _ownedTransport.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            // After the run: no task flow uses the containerizer any more.
            switch (_ownedContainerizer)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }

        _linkedCts?.Dispose();
        _disposeCts.Dispose();
    }
}
