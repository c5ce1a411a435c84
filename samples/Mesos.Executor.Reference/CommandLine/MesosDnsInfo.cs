using Mesos.Executor.Docker;

namespace Mesos.Executor.Reference.CommandLine;

/// <summary>
/// Default DNS for a CNI network of the Mesos containerizer (Mesos's
/// <c>ContainerDNSInfo.MesosInfo</c>). Parsed and validated so that the agent's flag is accepted
/// whole; not used by the Docker containerizer.
/// </summary>
internal sealed class MesosDnsInfo
{
    /// <summary>The network mode this entry is for.</summary>
    /// <value>Default <see cref="MesosDnsNetworkMode.Unknown"/> (invalid).</value>
    public MesosDnsNetworkMode NetworkMode { get; init; }

    /// <summary>The CNI network it applies to, or <see langword="null"/> for every CNI network.</summary>
    /// <value>Default <see langword="null"/>.</value>
    public string? NetworkName { get; init; }

    /// <summary>The resolver settings.</summary>
    /// <value>Default: no settings.</value>
    public DnsSettings Dns { get; init; } = new();

    /// <summary>The local domain (<c>dns.domain</c>, which only these entries have).</summary>
    /// <value>Default <see langword="null"/>.</value>
    public string? Domain { get; init; }
}
