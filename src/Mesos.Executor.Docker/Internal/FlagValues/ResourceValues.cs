using System;
using System.Globalization;

namespace Mesos.Executor.Docker.Internal.FlagValues;

/// <summary>
/// Resource quantities: sizes in binary units (go-units <c>RAMInBytes</c>), numbers of CPUs and CPU or memory-node sets (<c>--memory</c>, <c>--shm-size</c>, <c>--cpus</c>, <c>--cpuset-cpus</c>).
/// Each parser throws <see cref="FlagValueException"/> with a message that does not repeat the flag's name.
/// </summary>
internal static class ResourceValues
{
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

    /// <summary>A CPU or memory-node list such as <c>0-3,5</c>.</summary>
    public static string CpuSet(string value) =>
        TextPatterns.IsCpuSet(value) ? value : throw new FlagValueException($"'{value}' is not a list such as 0-3,5");
}
