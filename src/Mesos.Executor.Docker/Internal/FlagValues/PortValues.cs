using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using Mesos.Executor.Docker.Internal.Engine;

namespace Mesos.Executor.Docker.Internal.FlagValues;

/// <summary>
/// Ports: <c>--expose</c> and <c>--publish</c> with ranges, protocols and <c>[IPv6]</c> host addresses (docker/go-connections <c>nat</c>).
/// Each parser throws <see cref="FlagValueException"/> with a message that does not repeat the flag's name.
/// </summary>
internal static class PortValues
{
    /// <summary>A port or range with an optional protocol (<c>--expose=80</c>, <c>8000-8010/udp</c>). Returns the <c>port/proto</c> keys.</summary>
    public static IEnumerable<string> Expose(string value)
    {
        var (ports, protocol) = SplitProtocol(value);
        var (first, last) = PortRange(ports, allowZero: false);
        for (int port = first; port <= last; port++)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"{port}/{protocol}");
        }
    }

    /// <summary>
    /// <c>[ip:][hostPort:]containerPort[/protocol]</c> with optional ranges and <c>[IPv6]</c>
    /// addresses (<c>--publish</c>, docker/go-connections <c>ParsePortSpec</c>).
    /// Returns <c>(port/proto, binding)</c> pairs.
    /// </summary>
    public static List<KeyValuePair<string, PortBinding>> Publish(string value)
    {
        var (spec, protocol) = SplitProtocol(value);
        string ip = string.Empty;
        string host;
        string container;
        if (spec.StartsWith('['))
        {
            int close = spec.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || close + 1 >= spec.Length || spec[close + 1] != ':')
            {
                throw new FlagValueException($"'{value}' is not [IP]:HOSTPORT:CONTAINERPORT");
            }

            ip = spec[1..close];
            string[] rest = spec[(close + 2)..].Split(':');
            if (rest.Length != 2)
            {
                throw new FlagValueException($"'{value}' is not [IP]:HOSTPORT:CONTAINERPORT");
            }

            (host, container) = (rest[0], rest[1]);
        }
        else
        {
            string[] parts = spec.Split(':');
            switch (parts.Length)
            {
                case 1:
                    (host, container) = (string.Empty, parts[0]);
                    break;
                case 2:
                    (host, container) = (parts[0], parts[1]);
                    break;
                case 3:
                    (ip, host, container) = (parts[0], parts[1], parts[2]);
                    break;
                default:
                    throw new FlagValueException($"'{value}' is not [IP:][HOSTPORT:]CONTAINERPORT (write IPv6 addresses in brackets)");
            }
        }

        if (ip.Length > 0 && !IPAddress.TryParse(ip, out _))
        {
            throw new FlagValueException($"'{ip}' is not an IP address");
        }

        var (containerFirst, containerLast) = PortRange(container, allowZero: false);
        var result = new List<KeyValuePair<string, PortBinding>>();
        if (host.Length == 0)
        {
            for (int port = containerFirst; port <= containerLast; port++)
            {
                result.Add(new(PortKey(port, protocol), new PortBinding { HostIP = ip, HostPort = string.Empty }));
            }

            return result;
        }

        var (hostFirst, hostLast) = PortRange(host, allowZero: true);
        int containerCount = containerLast - containerFirst + 1;
        int hostCount = hostLast - hostFirst + 1;
        if (containerCount == 1 && hostCount > 1)
        {
            // Docker picks a free port of the host range.
            result.Add(new(PortKey(containerFirst, protocol), new PortBinding { HostIP = ip, HostPort = host }));
            return result;
        }

        if (containerCount != hostCount)
        {
            throw new FlagValueException($"'{value}': the host and container port ranges differ in size");
        }

        for (int i = 0; i < containerCount; i++)
        {
            result.Add(new(
                PortKey(containerFirst + i, protocol),
                new PortBinding { HostIP = ip, HostPort = (hostFirst + i).ToString(CultureInfo.InvariantCulture) }));
        }

        return result;
    }

    internal static string PortKey(int port, string protocol) =>
        string.Create(CultureInfo.InvariantCulture, $"{port}/{protocol}");

    private static (string Ports, string Protocol) SplitProtocol(string value)
    {
        int slash = value.LastIndexOf('/');
        if (slash < 0)
        {
            return (value, "tcp");
        }

        string protocol = value[(slash + 1)..].ToLowerInvariant();
        if (protocol is not ("tcp" or "udp" or "sctp"))
        {
            throw new FlagValueException($"'{protocol}' is not a protocol (tcp, udp, sctp)");
        }

        return (value[..slash], protocol);
    }

    private static (int First, int Last) PortRange(string value, bool allowZero)
    {
        int dash = value.IndexOf('-', StringComparison.Ordinal);
        int first = Port(dash < 0 ? value : value[..dash], allowZero);
        int last = dash < 0 ? first : Port(value[(dash + 1)..], allowZero);
        if (last < first)
        {
            throw new FlagValueException($"'{value}' is not a port range");
        }

        return (first, last);
    }

    private static int Port(string value, bool allowZero)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > 65535 || (port == 0 && !allowZero))
        {
            throw new FlagValueException($"'{value}' is not a port number");
        }

        return port;
    }
}
