using System;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;

namespace Mesos.Executor.Docker.Internal;

/// <summary>
/// How the containerizer's parts call the engine: each call linked to the caller's token and to the
/// containerizer's disposal, short calls bounded by <see cref="ShortCallTimeout"/>, and every failure
/// translated by <see cref="EngineErrors"/>. Cancellation by the caller stays an
/// <see cref="OperationCanceledException"/>; a call cut short by disposal becomes an
/// <see cref="ObjectDisposedException"/>.
/// </summary>
internal sealed class EngineCalls
{
    public EngineCalls(DockerEngine engine, TimeSpan shortCallTimeout, TimeProvider timeProvider, CancellationToken disposing)
    {
        Engine = engine;
        ShortCallTimeout = shortCallTimeout;
        TimeProvider = timeProvider;
        Disposing = disposing;
    }

    public DockerEngine Engine { get; }

    /// <summary>The limit of each short call (<see cref="DockerContainerizerOptions.ShortCallTimeout"/>).</summary>
    public TimeSpan ShortCallTimeout { get; }

    public TimeProvider TimeProvider { get; }

    /// <summary>Cancelled when the containerizer is disposed.</summary>
    public CancellationToken Disposing { get; }

    /// <summary>
    /// Runs one engine call with a linked cancellation (and, for a <paramref name="shortCall"/>, the
    /// time limit), translating every failure into <see cref="ContainerizerException"/>.
    /// </summary>
    /// <param name="what">The operation, for the messages.</param>
    /// <param name="shortCall">Whether <see cref="ShortCallTimeout"/> applies (not to pulls).</param>
    /// <param name="call">The call; a <see cref="ContainerizerException"/> it throws passes unchanged.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    public async Task<T> RunAsync<T>(string what, bool shortCall, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        using var timer = shortCall ? new CancellationTokenSource(ShortCallTimeout, TimeProvider) : null;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, Disposing, timer?.Token ?? CancellationToken.None);
        try
        {
            return await call(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException ex) when (timer?.IsCancellationRequested == true)
        {
            throw new ContainerizerException($"{what} failed: the Docker engine at {Engine.Endpoint} did not answer within {ShortCallTimeout}", ex);
        }
        catch (OperationCanceledException) when (Disposing.IsCancellationRequested)
        {
            throw Disposed();
        }
        catch (Exception ex) when (ex is not ContainerizerException and not OperationCanceledException)
        {
            throw EngineErrors.Translate(ex, what, Engine.Endpoint);
        }
    }

    /// <summary>The container's state from the raw inspect JSON, or <see langword="null"/> when it does not exist; errors untranslated.</summary>
    public async Task<ContainerInspection?> InspectStateAsync(string containerId, CancellationToken cancellationToken)
    {
        byte[]? json = await Engine.InspectContainerJsonAsync(containerId, cancellationToken).ConfigureAwait(false);
        return json is null ? null : ContainerInspection.Parse(json);
    }

    /// <summary>
    /// <see cref="InspectStateAsync"/> within <see cref="ShortCallTimeout"/>; a hung engine becomes a
    /// (transient) <see cref="TimeoutException"/>.
    /// </summary>
    public async Task<ContainerInspection?> InspectStateWithinAsync(string containerId, CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(ShortCallTimeout, TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            return await InspectStateAsync(containerId, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"the Docker engine did not answer within {ShortCallTimeout}", ex);
        }
    }

    /// <summary>What a call cut short by the containerizer's disposal throws.</summary>
    public static ObjectDisposedException Disposed() => new(nameof(DockerContainerizer));

    /// <inheritdoc cref="EngineErrors.Translate"/>
    public ContainerizerException Translate(Exception exception, string what) => EngineErrors.Translate(exception, what, Engine.Endpoint);
}
