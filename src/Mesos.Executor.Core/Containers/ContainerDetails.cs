using System.Collections.Generic;
using System.Net;

namespace Mesos.Executor.Core;

/// <summary>What the executor knows about a running container.</summary>
public sealed record ContainerDetails
{
    /// <summary>The containerizer's id of the container.</summary>
    public required string Id { get; init; }

    /// <summary>The container's name.</summary>
    public string? Name { get; init; }

    /// <summary>The host pid of the container's init process, or 0 when it does not run.</summary>
    public int Pid { get; init; }

    /// <summary>Whether the container shares the host's network namespace (Docker HOST networking).</summary>
    public bool UsesHostNetwork { get; init; }

    /// <summary>The container's IP addresses (reported in TASK_RUNNING's <c>container_status.network_infos</c>).</summary>
    public IReadOnlyList<IPAddress> IPAddresses { get; init; } = [];

    /// <summary>The container's default gateways, one per address family where known.</summary>
    public IReadOnlyList<IPAddress> Gateways { get; init; } = [];

    /// <summary>Ports published on the host: host port, container port and protocol ("tcp"/"udp").</summary>
    public IReadOnlyList<PublishedPort> PublishedPorts { get; init; } = [];

    /// <summary>
    /// The runtime's own description (Docker's inspect JSON), sent as TASK_RUNNING's <c>data</c>
    /// as Mesos's Docker executor does; <see langword="null"/> when there is none.
    /// </summary>
    public byte[]? RawData { get; init; }
}
