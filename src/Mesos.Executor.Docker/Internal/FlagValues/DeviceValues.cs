using System;
using System.Globalization;
using Mesos.Executor.Docker.Internal.Engine;

namespace Mesos.Executor.Docker.Internal.FlagValues;

/// <summary>
/// Device values: <c>--device</c> mappings (CLI <c>parseDevice</c>) and the block-I/O throttles and weights per device (<c>--device-read-bps</c>, <c>--device-read-iops</c>, <c>--blkio-weight-device</c>).
/// Each parser throws <see cref="FlagValueException"/> with a message that does not repeat the flag's name.
/// </summary>
internal static class DeviceValues
{
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
        long bytes = ResourceValues.Size(rate);
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
        return new WeightDevice { Path = path, Weight = (ushort)BasicValues.Int64InRange(weight, 10, 1000) };
    }

    private static (string Path, string Value) DevicePathAndValue(string value)
    {
        int colon = value.LastIndexOf(':');
        if (colon <= 0 || colon == value.Length - 1)
        {
            throw new FlagValueException($"'{value}' is not DEVICE:VALUE");
        }

        return (BasicValues.AbsolutePath(value[..colon]), value[(colon + 1)..]);
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
}
