using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Text;
using Mesos.Executor.Docker.Internal.Engine;

namespace Mesos.Executor.Docker.Internal;

/// <summary>
/// Strict parsers for <c>docker run</c> flag values, following the Docker CLI's own rules
/// (github.com/docker/go-units, docker/go-connections/nat, cli/opts). Each throws
/// <see cref="FlagValueException"/> with a message that does not repeat the flag's name.
/// </summary>
internal static class FlagParsers
{
    private static readonly HashSet<string> UlimitNames = new(StringComparer.Ordinal)
    {
        "core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue", "nice",
        "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack",
    };

    private static readonly HashSet<string> VolumeModes = new(StringComparer.Ordinal)
    {
        "ro", "rw", "z", "Z", "nocopy", "shared", "rshared", "slave", "rslave", "private", "rprivate",
        "delegated", "cached", "consistent",
    };

    /// <summary>Go's <c>strconv.ParseBool</c>.</summary>
    public static bool Bool(string value) => value switch
    {
        "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
        "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
        _ => throw new FlagValueException($"'{value}' is not a boolean (true or false)"),
    };

    public static long Int64(string value)
    {
        if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long result))
        {
            throw new FlagValueException($"'{value}' is not an integer");
        }

        return result;
    }

    public static long Int64InRange(string value, long min, long max)
    {
        long result = Int64(value);
        if (result < min || result > max)
        {
            throw new FlagValueException($"{result} is outside {min}..{max}");
        }

        return result;
    }

    /// <summary>A size such as <c>64m</c>, <c>1g</c>, <c>1.5GiB</c> or <c>512</c> (bytes), in binary units (go-units <c>RAMInBytes</c>).</summary>
    public static long Size(string value)
    {
        if (!TextPatterns.TryMatchSize(value, out ReadOnlySpan<char> digits, out char unit))
        {
            throw new FlagValueException($"'{value}' is not a size (a number with an optional unit b, k, m, g, t or p, e.g. 64m)");
        }

        decimal multiplier = unit switch
        {
            '\0' => 1m,
            'k' or 'K' => 1024m,
            'm' or 'M' => 1024m * 1024,
            'g' or 'G' => 1024m * 1024 * 1024,
            't' or 'T' => 1024m * 1024 * 1024 * 1024,
            _ => 1024m * 1024 * 1024 * 1024 * 1024,
        };

        // The grammar guarantees the format, so TryParse fails only on a number beyond decimal's range;
        // the bound is checked before multiplying so that the product cannot overflow decimal either.
        if (!decimal.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal number)
            || number > long.MaxValue / multiplier)
        {
            throw new FlagValueException($"'{value}' is too large");
        }

        return (long)(number * multiplier);
    }

    /// <summary>A size, or <c>-1</c> for unlimited (<c>--memory-swap</c>).</summary>
    public static long SizeOrUnlimited(string value) => value == "-1" ? -1 : Size(value);

    /// <summary>A decimal number of CPUs (<c>--cpus=1.5</c>) as nano CPUs.</summary>
    public static long NanoCpus(string value)
    {
        if (!decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal cpus) || cpus < 0)
        {
            throw new FlagValueException($"'{value}' is not a number of CPUs");
        }

        // Nano CPUs are an int64: beyond it the multiplication (or the conversion) would overflow.
        if (cpus > long.MaxValue / 1_000_000_000m)
        {
            throw new FlagValueException($"'{value}' is too large");
        }

        return (long)decimal.Round(cpus * 1_000_000_000m);
    }

    /// <summary><c>key=value</c>; with <paramref name="valueOptional"/> a bare <c>key</c> gets an empty value.</summary>
    public static KeyValuePair<string, string> KeyValue(string value, bool valueOptional = false)
    {
        int equals = value.IndexOf('=', StringComparison.Ordinal);
        if (equals < 0)
        {
            if (valueOptional && value.Length > 0)
            {
                return new(value, string.Empty);
            }

            throw new FlagValueException($"'{value}' is not KEY=VALUE");
        }

        if (equals == 0)
        {
            throw new FlagValueException($"'{value}' has an empty key");
        }

        return new(value[..equals], value[(equals + 1)..]);
    }

    /// <summary><c>name=soft[:hard]</c> (go-units <c>ParseUlimit</c>).</summary>
    public static Ulimit Ulimit(string value)
    {
        var (name, limits) = KeyValue(value);
        if (!UlimitNames.Contains(name))
        {
            throw new FlagValueException($"'{name}' is not a ulimit name ({string.Join(", ", UlimitNames)})");
        }

        string[] parts = limits.Split(':');
        if (parts.Length > 2 || parts[0].Length == 0)
        {
            throw new FlagValueException($"'{value}' is not NAME=SOFT[:HARD]");
        }

        long soft = Int64(parts[0]);
        long hard = parts.Length == 2 ? Int64(parts[1]) : soft;
        if (hard != -1 && soft > hard)
        {
            throw new FlagValueException($"'{value}': the soft limit must not exceed the hard limit");
        }

        return new Ulimit { Name = name, Soft = soft, Hard = hard };
    }

    /// <summary><c>host[:container][:permissions]</c> (CLI <c>parseDevice</c>); permissions default to <c>rwm</c>.</summary>
    public static DeviceMapping Device(string value)
    {
        string[] parts = value.Split(':');
        string host = parts[0];
        string container = host;
        string permissions = "rwm";
        switch (parts.Length)
        {
            case 1:
                break;
            case 2 when IsDevicePermissions(parts[1]):
                permissions = parts[1];
                break;
            case 2:
                container = parts[1];
                break;
            case 3:
                container = parts[1];
                permissions = parts[2];
                if (!IsDevicePermissions(permissions))
                {
                    throw new FlagValueException($"'{permissions}' is not a device mode (a combination of r, w and m)");
                }

                break;
            default:
                throw new FlagValueException($"'{value}' is not HOST[:CONTAINER][:PERMISSIONS]");
        }

        if (!host.StartsWith('/') || !container.StartsWith('/'))
        {
            throw new FlagValueException($"'{value}': device paths must be absolute");
        }

        return new DeviceMapping { PathOnHost = host, PathInContainer = container, CgroupPermissions = permissions };
    }

    /// <summary><c>path:rate</c> with a size rate (<c>--device-read-bps</c>).</summary>
    public static ThrottleDevice ThrottleBytes(string value)
    {
        var (path, rate) = DevicePathAndValue(value);
        long bytes = Size(rate);
        return new ThrottleDevice { Path = path, Rate = (ulong)bytes };
    }

    /// <summary><c>path:count</c> (<c>--device-read-iops</c>).</summary>
    public static ThrottleDevice ThrottleIops(string value)
    {
        var (path, rate) = DevicePathAndValue(value);
        if (!ulong.TryParse(rate, NumberStyles.None, CultureInfo.InvariantCulture, out ulong iops))
        {
            throw new FlagValueException($"'{rate}' is not a number of operations per second");
        }

        return new ThrottleDevice { Path = path, Rate = iops };
    }

    /// <summary><c>path:weight</c> with a weight in 10..1000 (<c>--blkio-weight-device</c>).</summary>
    public static WeightDevice WeightDevice(string value)
    {
        var (path, weight) = DevicePathAndValue(value);
        return new WeightDevice { Path = path, Weight = (ushort)Int64InRange(weight, 10, 1000) };
    }

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

    public static string NonEmpty(string value) =>
        string.IsNullOrEmpty(value) ? throw new FlagValueException("the value must not be empty") : value;

    public static string AbsolutePath(string value) =>
        value.StartsWith('/') ? value : throw new FlagValueException($"'{value}' is not an absolute path");

    /// <summary>A CPU or memory-node list such as <c>0-3,5</c>.</summary>
    public static string CpuSet(string value) =>
        TextPatterns.IsCpuSet(value) ? value : throw new FlagValueException($"'{value}' is not a list such as 0-3,5");

    /// <summary>A signal name (<c>SIGTERM</c>, <c>TERM</c>, <c>SIGRTMIN+3</c>) or number.</summary>
    public static string Signal(string value)
    {
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int number))
        {
            return number is > 0 and <= 64 ? value : throw new FlagValueException($"{number} is not a signal number");
        }

        return TextPatterns.IsSignalName(value) ? value : throw new FlagValueException($"'{value}' is not a signal");
    }

    /// <summary>Linux capability name, with or without <c>CAP_</c>, or <c>ALL</c>.</summary>
    public static string Capability(string value) =>
        TextPatterns.IsCapabilityName(value) ? value : throw new FlagValueException($"'{value}' is not a capability name");

    /// <summary>One of <paramref name="allowed"/>, or <c>container:&lt;name|id&gt;</c> when <paramref name="allowContainer"/>.</summary>
    public static string Mode(string value, bool allowContainer, params string[] allowed)
    {
        if (Array.IndexOf(allowed, value) >= 0)
        {
            return value;
        }

        if (allowContainer && value.StartsWith("container:", StringComparison.Ordinal) && value.Length > "container:".Length)
        {
            return value;
        }

        string expected = string.Join(", ", allowed) + (allowContainer ? ", container:<name|id>" : string.Empty);
        throw new FlagValueException($"'{value}' is not one of {expected}");
    }

    /// <summary><c>path[:options]</c> (<c>--tmpfs</c>).</summary>
    public static KeyValuePair<string, string> Tmpfs(string value)
    {
        int colon = value.IndexOf(':', StringComparison.Ordinal);
        string path = colon < 0 ? value : value[..colon];
        string options = colon < 0 ? string.Empty : value[(colon + 1)..];
        return new(AbsolutePath(path), options);
    }

    /// <summary>
    /// <c>[source:]destination[:mode]</c> (<c>--volume</c>). Returns the bind (<c>source:destination[:mode]</c>)
    /// or, for an anonymous volume, <see langword="null"/> and the destination.
    /// </summary>
    public static (string? Bind, string Destination) Volume(string value)
    {
        string[] parts = value.Split(':');
        string? source = null;
        string destination;
        string? mode = null;
        switch (parts.Length)
        {
            case 1:
                destination = parts[0];
                break;
            case 2 when IsVolumeMode(parts[1]):
                destination = parts[0];
                mode = parts[1];
                break;
            case 2:
                source = parts[0];
                destination = parts[1];
                break;
            case 3:
                source = parts[0];
                destination = parts[1];
                mode = parts[2];
                if (!IsVolumeMode(mode))
                {
                    throw new FlagValueException($"'{mode}' is not a volume mode (ro, rw, z, Z, nocopy, [r]shared, [r]slave, [r]private)");
                }

                break;
            default:
                throw new FlagValueException($"'{value}' is not [SOURCE:]DESTINATION[:MODE]");
        }

        if (source is { Length: 0 })
        {
            throw new FlagValueException($"'{value}' has an empty source");
        }

        AbsolutePath(destination);

        // As in the CLI, a volume without a source is anonymous (its mode is dropped).
        return source is null ? (null, destination) : (value, destination);
    }

    /// <summary><c>container[:ro|rw]</c> (<c>--volumes-from</c>).</summary>
    public static string VolumesFrom(string value)
    {
        string[] parts = value.Split(':');
        if (parts[0].Length == 0 || parts.Length > 2 || (parts.Length == 2 && parts[1] is not ("ro" or "rw")))
        {
            throw new FlagValueException($"'{value}' is not CONTAINER[:ro|rw]");
        }

        return value;
    }

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

    /// <summary>
    /// <c>--mount</c>: comma-separated <c>key=value</c> fields (quoted fields allowed) with
    /// <c>type</c> (bind, volume, tmpfs), <c>source</c>, <c>target</c>, <c>readonly</c> and the
    /// type's options, as the Docker CLI's <c>MountOpt</c>.
    /// </summary>
    public static Mount Mount(string value)
    {
        var mount = new Mount { Type = "volume" };
        foreach (string field in CsvFields(value))
        {
            int equals = field.IndexOf('=', StringComparison.Ordinal);
            string key = (equals < 0 ? field : field[..equals]).ToLowerInvariant();
            string? fieldValue = equals < 0 ? null : field[(equals + 1)..];
            switch (key)
            {
                case "readonly" or "ro":
                    mount.ReadOnly = fieldValue is null || Bool(fieldValue);
                    continue;
                case "volume-nocopy":
                    (mount.VolumeOptions ??= new VolumeOptions()).NoCopy = fieldValue is null || Bool(fieldValue);
                    continue;
                case "bind-nonrecursive":
                    (mount.BindOptions ??= new BindOptions()).NonRecursive = fieldValue is null || Bool(fieldValue);
                    continue;
            }

            if (fieldValue is null)
            {
                throw new FlagValueException($"field '{field}' must be KEY=VALUE");
            }

            switch (key)
            {
                case "type":
                    mount.Type = fieldValue is "bind" or "volume" or "tmpfs"
                        ? fieldValue
                        : throw new FlagValueException($"mount type '{fieldValue}' is not bind, volume or tmpfs");
                    break;
                case "source" or "src":
                    mount.Source = fieldValue;
                    break;
                case "target" or "destination" or "dst":
                    mount.Target = fieldValue;
                    break;
                case "consistency":
                    mount.Consistency = fieldValue;
                    break;
                case "bind-propagation":
                    (mount.BindOptions ??= new BindOptions()).Propagation =
                        Mode(fieldValue, false, "shared", "rshared", "slave", "rslave", "private", "rprivate");
                    break;
                case "volume-driver":
                    ((mount.VolumeOptions ??= new VolumeOptions()).DriverConfig ??= new Driver()).Name = fieldValue;
                    break;
                case "volume-opt":
                    {
                        var driver = (mount.VolumeOptions ??= new VolumeOptions()).DriverConfig ??= new Driver();
                        var (k, v) = KeyValue(fieldValue);
                        (driver.Options ??= new Dictionary<string, string>(StringComparer.Ordinal))[k] = v;
                        break;
                    }

                case "volume-label":
                    {
                        var options = mount.VolumeOptions ??= new VolumeOptions();
                        var (k, v) = KeyValue(fieldValue, valueOptional: true);
                        (options.Labels ??= new Dictionary<string, string>(StringComparer.Ordinal))[k] = v;
                        break;
                    }

                case "tmpfs-size":
                    (mount.TmpfsOptions ??= new TmpfsOptions()).SizeBytes = Size(fieldValue);
                    break;
                case "tmpfs-mode":
                    (mount.TmpfsOptions ??= new TmpfsOptions()).Mode = ParseOctal(fieldValue);
                    break;
                default:
                    throw new FlagValueException($"unknown field '{key}'");
            }
        }

        if (string.IsNullOrEmpty(mount.Target))
        {
            throw new FlagValueException("target is required");
        }

        AbsolutePath(mount.Target);
        if (mount.Type == "bind" && string.IsNullOrEmpty(mount.Source))
        {
            throw new FlagValueException("a bind mount needs a source");
        }

        if (mount.Type != "volume" && mount.VolumeOptions != null)
        {
            throw new FlagValueException($"volume options do not apply to type {mount.Type}");
        }

        if (mount.Type != "bind" && mount.BindOptions != null)
        {
            throw new FlagValueException($"bind options do not apply to type {mount.Type}");
        }

        if (mount.Type != "tmpfs" && mount.TmpfsOptions != null)
        {
            throw new FlagValueException($"tmpfs options do not apply to type {mount.Type}");
        }

        return mount;
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

    private static (string Path, string Value) DevicePathAndValue(string value)
    {
        int colon = value.LastIndexOf(':');
        if (colon <= 0 || colon == value.Length - 1)
        {
            throw new FlagValueException($"'{value}' is not DEVICE:VALUE");
        }

        return (AbsolutePath(value[..colon]), value[(colon + 1)..]);
    }

    private static bool IsDevicePermissions(string value)
    {
        if (value.Length == 0 || value.Length > 3)
        {
            return false;
        }

        foreach (char c in value)
        {
            if (c is not ('r' or 'w' or 'm') || value.IndexOf(c, StringComparison.Ordinal) != value.LastIndexOf(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsVolumeMode(string value)
    {
        if (value.Length == 0)
        {
            return false;
        }

        foreach (string mode in value.Split(','))
        {
            if (!VolumeModes.Contains(mode))
            {
                return false;
            }
        }

        return true;
    }

    private static uint ParseOctal(string value)
    {
        try
        {
            return Convert.ToUInt32(value, 8);
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
        {
            throw new FlagValueException($"'{value}' is not an octal mode", ex);
        }
    }

    /// <summary>Splits one CSV record (fields separated by commas, double quotes around fields with commas).</summary>
    private static List<string> CsvFields(string value)
    {
        var fields = new List<string>();
        var current = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < value.Length && value[i + 1] == '"')
                {
                    current.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        if (quoted)
        {
            throw new FlagValueException($"'{value}' has an unterminated quote");
        }

        fields.Add(current.ToString());
        fields.RemoveAll(f => f.Length == 0);
        if (fields.Count == 0)
        {
            throw new FlagValueException("the value must not be empty");
        }

        return fields;
    }
}
