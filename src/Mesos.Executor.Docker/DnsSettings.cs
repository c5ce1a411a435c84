using System.Collections.Generic;

namespace Mesos.Executor.Docker;

/// <summary>
/// Resolver settings for a container: what <c>docker run --dns</c>, <c>--dns-search</c> and
/// <c>--dns-option</c> set (the Engine API's <c>HostConfig.Dns</c>, <c>DnsSearch</c>, <c>DnsOptions</c>).
/// </summary>
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
}
