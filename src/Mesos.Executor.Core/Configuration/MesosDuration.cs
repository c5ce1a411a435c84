using System;
using System.Globalization;

namespace Mesos.Executor.Core;

/// <summary>
/// Parses and formats durations in the Mesos syntax (stout's <c>Duration</c>): a non-negative
/// number, possibly fractional, immediately followed by one of the units <c>ns</c>, <c>us</c>,
/// <c>ms</c>, <c>secs</c>, <c>mins</c>, <c>hrs</c>, <c>days</c> or <c>weeks</c>, for example
/// <c>15mins</c>, <c>2secs</c>, <c>500ms</c> or <c>1.5hrs</c>. This is the one place the SDK reads
/// such values (the agent's <c>MESOS_*</c> variables, flags, configuration files).
/// </summary>
/// <remarks>
/// <para>
/// <see cref="TimeSpan"/> has a resolution of 100 ns, so nanosecond values are truncated to it.
/// </para>
/// <para>
/// Public on purpose, unlike the codec and the RecordIO framing (issue 12): whoever hosts an
/// executor reads durations the agent writes in this syntax (a drop-in's <c>--stop_timeout</c>,
/// configuration that mirrors agent flags, as the reference executor's does) and writes them for
/// an agent (Mesos.Executor.Testing's executor environment), and both must agree with the SDK's
/// own reading of <c>MESOS_*</c> variables to the tick.
/// </para>
/// </remarks>
public static class MesosDuration
{
    private const long NanosPerTick = 100;

    private static readonly (string Unit, long Nanos)[] Units =
    [
        ("ns", 1L),
        ("us", 1_000L),
        ("ms", 1_000_000L),
        ("secs", 1_000_000_000L),
        ("mins", 60L * 1_000_000_000L),
        ("hrs", 3_600L * 1_000_000_000L),
        ("days", 86_400L * 1_000_000_000L),
        ("weeks", 7L * 86_400L * 1_000_000_000L),
    ];

    /// <summary>Parses a Mesos duration such as <c>15mins</c> or <c>1.5hrs</c>.</summary>
    /// <param name="value">The text to parse.</param>
    /// <returns>The duration, truncated to 100 ns.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException"><paramref name="value"/> is not a Mesos duration.</exception>
    public static TimeSpan Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!TryParse(value, out TimeSpan result))
        {
            throw new FormatException(
                $"'{value}' is not a Mesos duration: expected a number followed by one of ns, us, ms, secs, mins, hrs, days, weeks (e.g. 15mins)");
        }

        return result;
    }

    /// <summary>Tries to parse a Mesos duration such as <c>15mins</c> or <c>1.5hrs</c>.</summary>
    /// <param name="value">The text to parse; <see langword="null"/> fails.</param>
    /// <param name="result">The duration (truncated to 100 ns) on success, otherwise <see cref="TimeSpan.Zero"/>.</param>
    /// <returns>Whether <paramref name="value"/> is a valid Mesos duration.</returns>
    public static bool TryParse(string? value, out TimeSpan result)
    {
        result = TimeSpan.Zero;
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        // Like stout: the number is the leading run of digits and dots, the rest must be a unit.
        int index = 0;
        while (index < value.Length && (char.IsAsciiDigit(value[index]) || value[index] == '.'))
        {
            index++;
        }

        ReadOnlySpan<char> number = value.AsSpan(0, index);
        ReadOnlySpan<char> unit = value.AsSpan(index);
        if (number.IsEmpty || number.IndexOfAnyInRange('0', '9') < 0 || number.IndexOf('.') != number.LastIndexOf('.'))
        {
            return false;
        }

        long factor = 0;
        foreach ((string name, long nanos) in Units)
        {
            if (unit.SequenceEqual(name))
            {
                factor = nanos;
                break;
            }
        }

        // Decimal, not double: exact for every digit a duration can use (28 significant digits),
        // so that a value reads the same wherever it is written (Format's output included).
        if (factor == 0 ||
            !decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal amount) ||
            amount > long.MaxValue / factor)
        {
            return false;
        }

        // Rounded to the nearest nanosecond, then truncated to TimeSpan's 100 ns.
        decimal totalNanos = Math.Round(amount * factor, MidpointRounding.AwayFromZero);
        if (totalNanos >= long.MaxValue)
        {
            return false;
        }

        result = TimeSpan.FromTicks((long)totalNanos / NanosPerTick);
        return true;
    }

    /// <summary>
    /// Formats a duration the way Mesos prints one (<c>15mins</c>, <c>2secs</c>, <c>1.5hrs</c>): the
    /// largest unit the value reaches, unless a smaller unit gives a whole number.
    /// </summary>
    /// <param name="value">The duration.</param>
    /// <returns>The Mesos text, which <see cref="Parse"/> reads back to the same value.</returns>
    public static string Format(TimeSpan value)
    {
        string sign = string.Empty;
        Int128 nanos = (Int128)value.Ticks * NanosPerTick;
        if (nanos < 0)
        {
            sign = "-";
            nanos = -nanos;
        }

        // Find the bucket: the largest unit not greater than the value (ns below 1 us).
        int bucket = 0;
        for (int i = Units.Length - 1; i > 0; i--)
        {
            if (nanos >= Units[i].Nanos)
            {
                bucket = i;
                break;
            }
        }

        // As stout does: prefer one unit down when that gives a whole number and this one does not.
        int chosen = bucket;
        if (bucket > 0 && nanos % Units[bucket].Nanos != 0 && nanos % Units[bucket - 1].Nanos == 0)
        {
            chosen = bucket - 1;
        }

        (string unitName, long unitNanos) = Units[chosen];
        if (nanos % unitNanos == 0)
        {
            return sign + (nanos / unitNanos).ToString(CultureInfo.InvariantCulture) + unitName;
        }

        // Fifteen significant digits read best (1.5hrs); where they lose a tick (3434567secs is
        // 5.678847552910052...weeks) the exact decimal quotient is written instead.
        string amount = ((double)nanos / unitNanos).ToString("G15", CultureInfo.InvariantCulture);
        if (!TryParse(amount + unitName, out TimeSpan parsed) || (Int128)parsed.Ticks * NanosPerTick != nanos)
        {
            amount = ((decimal)nanos / unitNanos).ToString(CultureInfo.InvariantCulture);
        }

        return sign + amount + unitName;
    }
}
