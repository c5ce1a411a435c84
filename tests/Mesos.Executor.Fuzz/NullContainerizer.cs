using System;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;

namespace Mesos.Executor.Fuzz;

/// <summary>A containerizer for targets that need one to exist but never call it.</summary>
internal sealed class NullContainerizer : IContainerizer
{
    public static readonly NullContainerizer Instance = new();

    public Task<string> CreateAsync(ContainerSpec spec, CancellationToken cancellationToken = default) => throw Unused();

    public Task StartAsync(string containerId, CancellationToken cancellationToken = default) => throw Unused();

    public Task<ContainerExit> WaitAsync(string containerId, CancellationToken cancellationToken = default) => throw Unused();

    public Task StopAsync(string containerId, TimeSpan gracePeriod, CancellationToken cancellationToken = default) => throw Unused();

    public Task RemoveAsync(string containerId, CancellationToken cancellationToken = default) => throw Unused();

    public Task<ExecResult> ExecAsync(string containerId, ExecRequest request, CancellationToken cancellationToken = default) => throw Unused();

    public Task<ContainerDetails> InspectAsync(string containerId, CancellationToken cancellationToken = default) => throw Unused();

    private static NotSupportedException Unused() => new("the fuzz targets never reach the containerizer");
}
