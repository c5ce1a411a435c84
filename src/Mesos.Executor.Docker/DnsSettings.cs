using System.Collections.Generic;

namespace Mesos.Executor.Docker;

/// <summary>Resolver settings of one <see cref="DockerDnsInfo"/> or <see cref="MesosDnsInfo"/> entry.</summary>
public sealed class DnsSettings
{
    /// <summary>Name server addresses (<c>docker run --dns</c>).</summary>
    /// <value>Default empty.</value>
    public IReadOnlyList<string> Nameservers { get; init; } = [];

    /// <summary>Search domains (<c>docker run --dns-search</c>).</summary>
    /// <value>Default empty.</value>
    public IReadOnlyList<string> Search { get; init; } = [];

    /// <summary>Resolver options (<c>docker run --dns-option</c>).</summary>
    /// <value>Default empty.</value>
    public IReadOnlyList<string> Options { get; init; } = [];

    /// <summary>The local domain; only CNI (<see cref="MesosDnsInfo"/>) entries have one, Docker has no such option.</summary>
    /// <value>Default <see langword="null"/>.</value>
    public string? Domain { get; init; }
}
