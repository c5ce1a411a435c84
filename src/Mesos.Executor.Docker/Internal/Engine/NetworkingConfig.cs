using System.Collections.Generic;

namespace Mesos.Executor.Docker.Internal.Engine;

/// <summary>The <c>NetworkingConfig</c> of a container-create request: the network to join and how.</summary>
internal sealed class NetworkingConfig
{
    public IDictionary<string, EndpointSettings>? EndpointsConfig { get; set; }
}

/// <summary>The container's endpoint on one network.</summary>
internal sealed class EndpointSettings
{
    public EndpointIPAMConfig? IPAMConfig { get; set; }

    public IList<string>? Links { get; set; }

    public IList<string>? Aliases { get; set; }
}

/// <summary>Requested addresses on a network.</summary>
internal sealed class EndpointIPAMConfig
{
    public string? IPv4Address { get; set; }

    public string? IPv6Address { get; set; }

    public IList<string>? LinkLocalIPs { get; set; }
}
