using System;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Microsoft.Extensions.Logging;

namespace Mesos.Executor.Docker.Internal;

/// <summary>
/// Stops a container: sends its stop signal (the image's or the <c>stop-signal</c> parameter's, else
/// SIGTERM), waits the grace period on the injected clock (so sub-second periods are honoured; the
/// engine's own stop timeout counts whole seconds), then SIGKILL. A zero grace period sends SIGKILL at
/// once. A container that no longer runs, or no longer exists, counts as stopped.
/// </summary>
internal sealed class ContainerStopper
{
    private readonly EngineCalls _calls;
    private readonly ILogger _logger;

    public ContainerStopper(EngineCalls calls, ILogger logger)
    {
        _calls = calls;
        _logger = logger;
    }

    /// <exception cref="ContainerizerException">The engine failed, or the container still runs after SIGKILL.</exception>
    public async Task StopAsync(string containerId, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        string what = $"stopping container {Log.ShortId(containerId)}";
        var state = await _calls.RunAsync(what, shortCall: true, token => _calls.InspectStateAsync(containerId, token), cancellationToken).ConfigureAwait(false);
        if (state is null || !state.IsAlive)
        {
            Log.ContainerNotRunning(_logger, Log.ShortId(containerId));
            return;
        }

        if (gracePeriod > TimeSpan.Zero)
        {
            string signal = state.StopSignal ?? "SIGTERM";
            Log.ContainerStopping(_logger, Log.ShortId(containerId), signal, gracePeriod);
            if (!await KillAsync(containerId, signal, what, cancellationToken).ConfigureAwait(false)
                || await WaitForExitAsync(containerId, gracePeriod, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            Log.ContainerGraceExpired(_logger, Log.ShortId(containerId), gracePeriod);
        }
        else
        {
            Log.ContainerStopping(_logger, Log.ShortId(containerId), "SIGKILL", gracePeriod);
        }

        if (await KillAsync(containerId, "SIGKILL", what, cancellationToken).ConfigureAwait(false)
            && !await WaitForExitAsync(containerId, _calls.ShortCallTimeout, cancellationToken).ConfigureAwait(false))
        {
            throw new ContainerizerException($"{what} failed: it still runs {_calls.ShortCallTimeout} after SIGKILL");
        }
    }

    /// <summary>Sends <paramref name="signal"/>; <see langword="false"/> when the container no longer runs or exists.</summary>
    private Task<bool> KillAsync(string containerId, string signal, string what, CancellationToken cancellationToken) =>
        _calls.RunAsync(
            what,
            shortCall: true,
            async token =>
            {
                try
                {
                    await _calls.Engine.KillContainerAsync(containerId, signal, token).ConfigureAwait(false);
                    return true;
                }
                catch (DockerRequestException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
                {
                    return false;
                }
                catch (DockerRequestException ex) when (ex.StatusCode == HttpStatusCode.Conflict)
                {
                    // "Container ... is not running".
                    return false;
                }
            },
            cancellationToken);

    /// <summary>
    /// Waits up to <paramref name="timeout"/> for the container to exit; <see langword="false"/> when it
    /// still runs. When the wait call breaks, watches the container's state until the time is up.
    /// </summary>
    private async Task<bool> WaitForExitAsync(string containerId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(timeout, _calls.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token, _calls.Disposing);
        try
        {
            try
            {
                await _calls.Engine.WaitContainerAsync(containerId, linked.Token).ConfigureAwait(false);
                return true;
            }
            catch (DockerRequestException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
            {
                return true;
            }
            catch (Exception ex) when (DockerFailures.IsTransient(ex))
            {
                while (true)
                {
                    try
                    {
                        var state = await _calls.InspectStateAsync(containerId, linked.Token).ConfigureAwait(false);
                        if (state is null || !state.IsAlive)
                        {
                            return true;
                        }
                    }
                    catch (Exception inner) when (DockerFailures.IsTransient(inner))
                    {
                    }

                    await Task.Delay(ContainerWaiter.PollInterval, _calls.TimeProvider, linked.Token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested)
        {
            return false;
        }
        catch (OperationCanceledException) when (_calls.Disposing.IsCancellationRequested)
        {
            throw EngineCalls.Disposed();
        }
        catch (Exception ex) when (ex is not ContainerizerException)
        {
            throw _calls.Translate(ex, $"waiting for container {Log.ShortId(containerId)} to stop");
        }
    }
}
