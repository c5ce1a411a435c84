using Mesos.Executor.Docker;

namespace Mesos.Executor.Reference.CommandLine;

/// <summary>
/// Default DNS for containers on one kind of Docker network (Mesos's
/// <c>ContainerDNSInfo.DockerInfo</c>), one entry of <c>--default_container_dns</c>. It becomes an
/// entry of the Docker containerizer's <see cref="DefaultDnsSettings"/>.
/// </summary>
internal sealed class DockerDnsInfo
{
    /// <summary>The network mode this entry is for.</summary>
    /// <value>Default <see cref="DockerDnsNetworkMode.Unknown"/> (invalid).</value>
    public DockerDnsNetworkMode NetworkMode { get; init; }

    /// <summary>
    /// For <see cref="DockerDnsNetworkMode.User"/>: the user-defined network it applies to, or
    /// <see langword="null"/> for every user-defined network without an entry of its own.
    /// </summary>
    /// <value>Default <see langword="null"/>.</value>
    public string? NetworkName { get; init; }

    /// <summary>The resolver settings.</summary>
    /// <value>Default: no settings.</value>
    public DnsSettings Dns { get; init; } = new();
}
