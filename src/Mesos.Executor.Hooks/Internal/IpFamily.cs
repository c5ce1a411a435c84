namespace Mesos.Executor.Hooks.Internal;

/// <summary>Which of iptables / ip6tables a rule belongs to.</summary>
internal enum IpFamily
{
    /// <summary>IPv4: <c>iptables</c>.</summary>
    IPv4,

    /// <summary>IPv6: <c>ip6tables</c>.</summary>
    IPv6,
}
