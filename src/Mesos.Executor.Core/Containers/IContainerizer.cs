using System;
using System.Threading;
using System.Threading.Tasks;

namespace Mesos.Executor.Core;

/// <summary>
/// Runs a task's container. The executor calls these members from its task runners; an
/// implementation must be safe to call concurrently for different containers.
/// </summary>
/// <remarks>
/// <para>
/// Optional abilities are optional interfaces that the same class implements:
/// <see cref="IContainerExec"/> (run a command in a running container: COMMAND health checks and
/// checks need it) and <see cref="IContainerRemover"/> (remove a stopped container: the
/// <c>remove-container</c> hook needs it). New abilities arrive as new optional interfaces, never
/// as new members of this one.
/// </para>
/// Implementations translate their own exceptions into <see cref="ContainerizerException"/> at
/// their boundary and never wrap <see cref="OperationCanceledException"/>.
/// </remarks>
public interface IContainerizer
{
    /// <summary>Creates (but does not start) the container described by <paramref name="spec"/>.</summary>
    /// <param name="spec">The container to create, after the pre-create hooks ran.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The containerizer's id of the new container.</returns>
    /// <exception cref="ContainerizerException">The container could not be created.</exception>
    Task<string> CreateAsync(ContainerSpec spec, CancellationToken cancellationToken = default);

    /// <summary>Starts a created container.</summary>
    /// <param name="containerId">The id returned by <see cref="CreateAsync"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ContainerizerException">The container could not be started.</exception>
    Task StartAsync(string containerId, CancellationToken cancellationToken = default);

    /// <summary>Waits until the container exits.</summary>
    /// <param name="containerId">The container.</param>
    /// <param name="cancellationToken">Stops waiting (the container keeps running).</param>
    /// <returns>How the container ended.</returns>
    /// <exception cref="ContainerizerException">The container's fate cannot be known.</exception>
    Task<ContainerExit> WaitAsync(string containerId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stops the container: its stop signal (SIGTERM unless the image says otherwise), then SIGKILL
    /// once <paramref name="gracePeriod"/> has passed. Stopping a stopped container succeeds.
    /// </summary>
    /// <param name="containerId">The container.</param>
    /// <param name="gracePeriod">Time between the stop signal and SIGKILL; sub-second values are honoured.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ContainerizerException">The container could not be stopped.</exception>
    Task StopAsync(string containerId, TimeSpan gracePeriod, CancellationToken cancellationToken = default);

    /// <summary>Reads what the executor needs to know about a running container.</summary>
    /// <param name="containerId">The container.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The container's pid, addresses and network mode.</returns>
    /// <exception cref="ContainerizerException">The container could not be inspected.</exception>
    Task<ContainerDetails> InspectAsync(string containerId, CancellationToken cancellationToken = default);
}
