using System;
using System.Collections.Generic;
using Mesos.Executor.Docker.Internal.Engine;

namespace Mesos.Executor.Docker.Internal.FlagValues;

/// <summary>
/// <c>--ulimit</c> values (go-units <c>ParseUlimit</c>).
/// Each parser throws <see cref="FlagValueException"/> with a message that does not repeat the flag's name.
/// </summary>
internal static class UlimitValues
{
    private static readonly HashSet<string> UlimitNames = new(StringComparer.Ordinal)
    {
        "core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue", "nice",
        "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack",
    };

    /// <summary><c>name=soft[:hard]</c> (go-units <c>ParseUlimit</c>).</summary>
    public static Ulimit Ulimit(string value)
    {
        var (name, limits) = BasicValues.KeyValue(value);
        if (!UlimitNames.Contains(name))
        {
            throw new FlagValueException($"'{name}' is not a ulimit name ({string.Join(", ", UlimitNames)})");
        }

        string[] parts = limits.Split(':');
        if (parts.Length > 2 || parts[0].Length == 0)
        {
            throw new FlagValueException($"'{value}' is not NAME=SOFT[:HARD]");
        }

        long soft = BasicValues.Int64(parts[0]);
        long hard = parts.Length == 2 ? BasicValues.Int64(parts[1]) : soft;
        if (hard != -1 && soft > hard)
        {
            throw new FlagValueException($"'{value}': the soft limit must not exceed the hard limit");
        }

        return new Ulimit { Name = name, Soft = soft, Hard = hard };
    }
}
