using System;
using System.Net;

namespace Mesos.Executor.Docker.Internal.FlagValues;

/// <summary>
/// Addresses and names for the container's network: <c>--add-host</c>, <c>--ip</c>/<c>--dns</c> addresses and <c>--dns-search</c> domains (CLI <c>ValidateDNSSearch</c>).
/// Each parser throws <see cref="FlagValueException"/> with a message that does not repeat the flag's name.
/// </summary>
internal static class NetworkAddressValues
{
    /// <summary><c>name:ip</c> or <c>name=ip</c>; the IP may be <c>host-gateway</c>. Returned as <c>name:ip</c>.</summary>
    public static string ExtraHost(string value)
    {
        int separator = value.IndexOfAny([':', '=']);
        if (separator <= 0)
        {
            throw new FlagValueException($"'{value}' is not HOST:IP");
        }

        string host = value[..separator];
        string ip = value[(separator + 1)..];
        if (ip.StartsWith('[') && ip.EndsWith(']'))
        {
            ip = ip[1..^1];
        }

        if (ip != "host-gateway" && !IPAddress.TryParse(ip, out _))
        {
            throw new FlagValueException($"'{ip}' is not an IP address");
        }

        return host + ":" + ip;
    }

    public static string IPAddressText(string value)
    {
        if (!IPAddress.TryParse(value, out _))
        {
            throw new FlagValueException($"'{value}' is not an IP address");
        }

        return value;
    }

    /// <summary>A DNS search domain (CLI <c>ValidateDNSSearch</c>): <c>.</c> or a domain name.</summary>
    public static string DnsSearch(string value)
    {
        if (value == ".")
        {
            return value;
        }

        if (value.Length > 255 || !TextPatterns.IsDomainName(value))
        {
            throw new FlagValueException($"'{value}' is not a DNS search domain");
        }

        return value;
    }
}
