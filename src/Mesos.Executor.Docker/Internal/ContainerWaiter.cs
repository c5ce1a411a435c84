using System;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.Executor.Docker.Internal.Engine;
using Microsoft.Extensions.Logging;

namespace Mesos.Executor.Docker.Internal;

/// <summary>
/// Waits for a container to exit and survives daemon restarts. When the connection to the engine
/// breaks (the daemon restarts, or its socket goes away), it keeps reconnecting with backoff (from
/// 100 ms, doubling, at most 5 s) for up to the reconnect timeout
/// (<see cref="DockerContainerizerOptions.DaemonReconnectTimeout"/>), looking at the container before
/// waiting again: while it still runs the wait goes on; once it ended (a daemon without live-restore
/// stops its containers) its true exit status is returned. A container that disappeared while the
/// engine was away, or an engine away for longer than the timeout, fails the wait with a message
/// that says so.
/// </summary>
internal sealed class ContainerWaiter
{
    internal static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    internal static readonly TimeSpan MaxReconnectDelay = TimeSpan.FromSeconds(5);

    private readonly EngineCalls _calls;
    private readonly TimeSpan _reconnectTimeout;
    private readonly ILogger _logger;

    public ContainerWaiter(EngineCalls calls, TimeSpan reconnectTimeout, ILogger logger)
    {
        _calls = calls;
        _reconnectTimeout = reconnectTimeout;
        _logger = logger;
    }

    /// <summary>Waits until the container exits.</summary>
    /// <exception cref="ContainerizerException">The container does not exist, disappeared, or the engine stayed away too long.</exception>
    /// <exception cref="ObjectDisposedException">The containerizer was disposed during the wait.</exception>
    public async Task<ContainerExit> WaitAsync(string containerId, CancellationToken cancellationToken)
    {
        TimeProvider time = _calls.TimeProvider;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _calls.Disposing);
        CancellationToken token = linked.Token;
        string what = $"waiting for container {Log.ShortId(containerId)}";
        long? brokenAt = null;
        TimeSpan delay = PollInterval;
        while (true)
        {
            try
            {
                ContainerWaitResponse response;
                try
                {
                    response = await _calls.Engine.WaitContainerAsync(containerId, token).ConfigureAwait(false);
                }
                catch (DockerRequestException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
                {
                    throw new ContainerizerException($"{what} failed: no such container");
                }

                var state = await _calls.InspectStateWithinAsync(containerId, token).ConfigureAwait(false);
                if (state is { IsAlive: true })
                {
                    // The wait ended while the container still runs: the engine went away mid-call.
                    await Task.Delay(PollInterval, time, token).ConfigureAwait(false);
                    continue;
                }

                return Exited(containerId, new ContainerExit
                {
                    ExitCode = (int)response.StatusCode,
                    OomKilled = state?.OomKilled ?? false,
                    Error = response.Error?.Message is { Length: > 0 } error ? error : state?.Error,
                });
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (OperationCanceledException) when (_calls.Disposing.IsCancellationRequested)
            {
                throw EngineCalls.Disposed();
            }
            catch (Exception ex) when (DockerFailures.IsTransient(ex))
            {
                if (brokenAt is null)
                {
                    brokenAt = time.GetTimestamp();
                    Log.ConnectionLost(_logger, Log.ShortId(containerId), ex.Message, _reconnectTimeout);
                }
                else if (time.GetElapsedTime(brokenAt.Value) > _reconnectTimeout)
                {
                    throw new ContainerizerException(
                        $"{what} failed: no answer from the Docker engine at {_calls.Engine.Endpoint} for {_reconnectTimeout}; the container's fate is unknown: {ex.Message}",
                        ex is DockerRequestException ? null : ex);
                }
            }
            catch (Exception ex) when (ex is not ContainerizerException)
            {
                throw _calls.Translate(ex, what);
            }

            // Reconnect: the daemon may be restarting. Look at the container before waiting again.
            await Task.Delay(delay, time, token).ConfigureAwait(false);
            delay = NextDelay(delay);
            try
            {
                var state = await _calls.InspectStateWithinAsync(containerId, token).ConfigureAwait(false);
                if (state is null)
                {
                    throw new ContainerizerException($"{what} failed: the container disappeared while the engine was away");
                }

                if (!state.IsAlive && state.StartedAt is not (null or "0001-01-01T00:00:00Z"))
                {
                    return Exited(containerId, new ContainerExit { ExitCode = state.ExitCode, OomKilled = state.OomKilled, Error = state.Error });
                }

                Log.ConnectionRestored(_logger, Log.ShortId(containerId));
                brokenAt = null;
                delay = PollInterval;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex) when (DockerFailures.IsTransient(ex))
            {
                // Still away; the next round checks the deadline.
            }
        }
    }

    /// <summary>The backoff between reconnection attempts: doubled, at most <see cref="MaxReconnectDelay"/>.</summary>
    internal static TimeSpan NextDelay(TimeSpan delay) => TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxReconnectDelay.Ticks));

    private ContainerExit Exited(string containerId, ContainerExit exit)
    {
        Log.ContainerExited(_logger, Log.ShortId(containerId), exit.ExitCode, exit.OomKilled);
        return exit;
    }
}
