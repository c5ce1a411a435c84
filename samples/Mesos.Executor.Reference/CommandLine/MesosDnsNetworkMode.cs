namespace Mesos.Executor.Reference.CommandLine;

/// <summary>
/// The network a <see cref="MesosDnsInfo"/> applies to (Mesos's
/// <c>ContainerDNSInfo.MesosInfo.NetworkMode</c>). Kept so that the agent's whole
/// <c>--default_container_dns</c> value parses; the Docker containerizer ignores these entries.
/// </summary>
internal enum MesosDnsNetworkMode
{
    /// <summary>Not set; rejected by <see cref="ContainerDnsInfo.Parse"/>.</summary>
    Unknown = 0,

    /// <summary>Host networking; rejected (not supported by Mesos).</summary>
    Host = 1,

    /// <summary>A CNI network: the one named, or every one when no name is given.</summary>
    Cni = 2,
}
