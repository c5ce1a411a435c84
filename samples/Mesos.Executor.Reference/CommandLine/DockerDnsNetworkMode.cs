namespace Mesos.Executor.Reference.CommandLine;

/// <summary>
/// The Docker network a <see cref="DockerDnsInfo"/> applies to (Mesos's
/// <c>ContainerDNSInfo.DockerInfo.NetworkMode</c>).
/// </summary>
internal enum DockerDnsNetworkMode
{
    /// <summary>Not set; rejected by <see cref="ContainerDnsInfo.Parse"/> as the Mesos agent does.</summary>
    Unknown = 0,

    /// <summary>Host networking; rejected (Mesos does not support DNS settings for it).</summary>
    Host = 1,

    /// <summary>Docker's default bridge network.</summary>
    Bridge = 2,

    /// <summary>A user-defined network: the one named, or every one when no name is given.</summary>
    User = 3,
}
