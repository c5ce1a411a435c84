using System.Threading;
using System.Threading.Tasks;

namespace Mesos.Executor.Core;

/// <summary>
/// An optional ability of an <see cref="IContainerizer"/>: removing a stopped container. The
/// executor itself never removes containers; hooks do (the <c>remove-container</c> hook of
/// Mesos.Executor.Hooks fails its phase with a clear message when the containerizer lacks it).
/// </summary>
/// <remarks>
/// Implemented by the class that implements <see cref="IContainerizer"/>; safe to call
/// concurrently for different containers. Translate runtime errors into
/// <see cref="ContainerizerException"/> and never wrap <see cref="System.OperationCanceledException"/>.
/// </remarks>
public interface IContainerRemover
{
    /// <summary>Removes a stopped container and its anonymous volumes. Removing a missing container succeeds.</summary>
    /// <param name="containerId">The container, as returned by <see cref="IContainerizer.CreateAsync"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ContainerizerException">The container could not be removed.</exception>
    Task RemoveAsync(string containerId, CancellationToken cancellationToken = default);
}
