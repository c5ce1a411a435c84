using System.Threading;
using System.Threading.Tasks;

namespace Mesos.Executor.Core;

/// <summary>
/// An optional ability of an <see cref="IContainerizer"/>: running a command inside a running
/// container. The built-in probe (<see cref="NativeHealthCheck"/>) runs COMMAND health checks and
/// checks through it; with <see cref="NativeHealthCheck"/> and a containerizer that does not
/// implement it, a task with such a check is refused with TASK_FAILED (REASON_TASK_INVALID).
/// </summary>
/// <remarks>
/// Implemented by the class that implements <see cref="IContainerizer"/>; safe to call
/// concurrently for different containers. Translate runtime errors into
/// <see cref="ContainerizerException"/> and never wrap <see cref="System.OperationCanceledException"/>.
/// </remarks>
public interface IContainerExec
{
    /// <summary>Runs a command inside a running container (used by command checks and hooks).</summary>
    /// <param name="containerId">The container, as returned by <see cref="IContainerizer.CreateAsync"/>.</param>
    /// <param name="request">What to run, with its environment and timeout.</param>
    /// <param name="cancellationToken">Cancels the call; the command is killed where the runtime allows.</param>
    /// <returns>The command's exit code, or that it timed out.</returns>
    /// <exception cref="ContainerizerException">The command could not be run.</exception>
    Task<ExecResult> ExecAsync(string containerId, ExecRequest request, CancellationToken cancellationToken = default);
}
