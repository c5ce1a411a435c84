using System;
using System.Collections.Generic;

namespace Mesos.Executor.Docker.Internal.FlagValues;

/// <summary>
/// Volumes given in <c>docker run</c>'s short forms: <c>--volume</c>, <c>--volumes-from</c> and <c>--tmpfs</c>.
/// Each parser throws <see cref="FlagValueException"/> with a message that does not repeat the flag's name.
/// </summary>
internal static class VolumeValues
{
    private static readonly HashSet<string> VolumeModes = new(StringComparer.Ordinal)
    {
        "ro", "rw", "z", "Z", "nocopy", "shared", "rshared", "slave", "rslave", "private", "rprivate",
        "delegated", "cached", "consistent",
    };

    /// <summary><c>path[:options]</c> (<c>--tmpfs</c>).</summary>
    public static KeyValuePair<string, string> Tmpfs(string value)
    {
        int colon = value.IndexOf(':', StringComparison.Ordinal);
        string path = colon < 0 ? value : value[..colon];
        string options = colon < 0 ? string.Empty : value[(colon + 1)..];
        return new(BasicValues.AbsolutePath(path), options);
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

        BasicValues.AbsolutePath(destination);

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
}
