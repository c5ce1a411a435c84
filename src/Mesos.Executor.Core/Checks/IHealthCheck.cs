using System.Threading;
using System.Threading.Tasks;

namespace Mesos.Executor.Core;

/// <summary>
/// Runs one probe of a task's health check or generalized check (HTTP, HTTPS, TCP or command).
/// The executor schedules probes and interprets their results with Mesos's semantics (delay,
/// interval, grace, consecutive failures); an implementation only performs one probe.
/// </summary>
/// <remarks>
/// The default implementation runs HTTP(S) and TCP probes against loopback inside the container's
/// network namespace and command probes through <see cref="IContainerExec.ExecAsync"/>.
/// </remarks>
public interface IHealthCheck
{
    /// <summary>Performs one probe. Must honour <see cref="ProbeRequest.Timeout"/> and never throw for a failing target.</summary>
    /// <param name="request">What to probe and where.</param>
    /// <param name="cancellationToken">Cancels the probe (the task is being killed).</param>
    /// <returns>The probe's outcome.</returns>
    Task<ProbeResult> ProbeAsync(ProbeRequest request, CancellationToken cancellationToken = default);
}
