using System;

namespace Mesos.Executor.Docker.Internal;

// Why hand-written and not [GeneratedRegex] (measured for issue 12, 2026-12-04, 2-core Debian 12
// build machine shared with other builds, Docker 20.10, .NET 10.0.401, NativeAOT linux-x64):
// the regex engine is linked into the executor anyway (Google.Protobuf's JSON parser uses it, and at
// the time YamlDotNet did too), so the size saving is not the 500 KB once assumed. Swapping this file for the same seven
// grammars as source-generated regexes (CultureInvariant, [0-9], \z) and publishing both:
//                                         hand-written      GeneratedRegex
//   binary (ls -l mesos-executor)         12,653,576 B      12,678,248 B   (+24.7 KB)
//   start -> SUBSCRIBE, wall (median)     9 / 13 / 28 ms    9 / 9 / 35 ms  (noise; CPU < 10 ms both)
//   RSS when subscribed (median of 5)     15,236-15,260 KiB 15,320-15,392 KiB
//   peak RSS (VmHWM), one task, 10 s      15,312-15,500 KiB 15,556-15,628 KiB
//   mean RSS over those 10 s              13,161-13,434 KiB 13,620-13,660 KiB
// (three runs each of: bash build/ensure-aot.sh; dotnet publish samples/Mesos.Executor.Reference
// -c Release -r linux-x64 -o /tmp/pub-X; EXECUTOR=/tmp/pub-X/mesos-executor
// benchmarks/footprint/measure.sh --no-publish --duration 10 --startup-runs 5). Start-up is the
// same; the hand-written matchers keep 25 KB of binary and 0.1-0.4 MB of resident memory off every
// executor, so they stay. TextPatternsTests checks each against the regular expression it replaces.

/// <summary>
/// Hand-written, allocation-free matchers for the few fixed grammars the Docker package checks, in
/// place of source-generated regular expressions (see the measurement above).
/// </summary>
/// <remarks>
/// Every matcher accepts exactly the language of the regular expression quoted in its summary, read
/// with two deliberate differences from .NET's defaults: a digit is an ASCII digit <c>0-9</c> only (.NET's
/// <c>\d</c> also matches other Unicode decimal digits, which Docker rejects), and the whole input must match
/// (.NET's <c>$</c> also matches before a final <c>"\n"</c>; a trailing newline is refused here).
/// </remarks>
internal static class TextPatterns
{
    /// <summary>
    /// An Engine API version: <c>^[1-9][0-9]*\.[0-9]+$</c>, e.g. <c>1.41</c>. The major version has no
    /// leading zero and the minor version has at least one digit.
    /// </summary>
    public static bool IsApiVersion(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty || value[0] is < '1' or > '9')
        {
            return false;
        }

        int i = SkipDigits(value, 1);
        if (i == value.Length || value[i] != '.')
        {
            return false;
        }

        int minorStart = i + 1;
        int end = SkipDigits(value, minorStart);
        return end > minorStart && end == value.Length;
    }

    /// <summary>
    /// A Docker container name: <c>^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$</c>. An optional leading <c>/</c>, then
    /// an ASCII letter or digit, then at least one more ASCII letter, digit, <c>_</c>, <c>.</c> or <c>-</c>
    /// (so a name is at least two characters long, not counting the slash).
    /// </summary>
    public static bool IsContainerName(ReadOnlySpan<char> value)
    {
        if (!value.IsEmpty && value[0] == '/')
        {
            value = value[1..];
        }

        if (value.Length < 2 || !char.IsAsciiLetterOrDigit(value[0]))
        {
            return false;
        }

        foreach (char c in value[1..])
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '.' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A size as the Docker CLI writes it (go-units <c>RAMInBytes</c>):
    /// <c>^(\d+(?:\.\d+)?) ?([kKmMgGtTpP])?[iI]?[bB]?$</c> with ASCII digits. That is: a number (digits,
    /// optionally a <c>.</c> and more digits), an optional single space, an optional unit letter <c>k</c>,
    /// <c>m</c>, <c>g</c>, <c>t</c> or <c>p</c> in either case, an optional <c>i</c>/<c>I</c> and an optional
    /// <c>b</c>/<c>B</c>, in that order. So <c>512</c>, <c>64m</c>, <c>1.5g</c>, <c>10 MiB</c>, <c>1kb</c>,
    /// <c>1b</c> and even <c>1i</c> or <c>1 </c> match; <c>1.</c>, <c>.5</c>, <c>1  m</c> and <c>1bi</c> do not.
    /// </summary>
    /// <param name="value">The text to match.</param>
    /// <param name="number">On success, the number (the regex's first group).</param>
    /// <param name="unit">On success, the unit letter as written (the second group), or <c>'\0'</c> when absent.</param>
    /// <returns>Whether <paramref name="value"/> is a size.</returns>
    public static bool TryMatchSize(ReadOnlySpan<char> value, out ReadOnlySpan<char> number, out char unit)
    {
        number = default;
        unit = '\0';

        int i = SkipDigits(value, 0);
        if (i == 0)
        {
            return false;
        }

        if (i < value.Length && value[i] == '.')
        {
            int fractionEnd = SkipDigits(value, i + 1);
            if (fractionEnd == i + 1)
            {
                return false;
            }

            i = fractionEnd;
        }

        int numberEnd = i;
        if (i < value.Length && value[i] == ' ')
        {
            i++;
        }

        char found = '\0';
        if (i < value.Length && value[i] is 'k' or 'K' or 'm' or 'M' or 'g' or 'G' or 't' or 'T' or 'p' or 'P')
        {
            found = value[i++];
        }

        if (i < value.Length && value[i] is 'i' or 'I')
        {
            i++;
        }

        if (i < value.Length && value[i] is 'b' or 'B')
        {
            i++;
        }

        if (i != value.Length)
        {
            return false;
        }

        number = value[..numberEnd];
        unit = found;
        return true;
    }

    /// <summary>
    /// A cpuset list (<c>--cpuset-cpus</c>, <c>--cpuset-mems</c>): <c>^[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*$</c>.
    /// Comma-separated items, each a number or a <c>low-high</c> range; no spaces, no empty items, no
    /// leading or trailing comma. Numbers are not range-checked.
    /// </summary>
    public static bool IsCpuSet(ReadOnlySpan<char> value)
    {
        int i = 0;
        while (true)
        {
            int end = SkipDigits(value, i);
            if (end == i)
            {
                return false;
            }

            i = end;
            if (i < value.Length && value[i] == '-')
            {
                end = SkipDigits(value, i + 1);
                if (end == i + 1)
                {
                    return false;
                }

                i = end;
            }

            if (i == value.Length)
            {
                return true;
            }

            if (value[i] != ',')
            {
                return false;
            }

            i++;
        }
    }

    /// <summary>
    /// A signal name: <c>^(SIG)?[A-Z][A-Z0-9]*([+-][0-9]+)?$</c>, e.g. <c>SIGTERM</c>, <c>TERM</c>,
    /// <c>SIGRTMIN+3</c>. Since <c>SIG</c> followed by <c>[A-Z][A-Z0-9]*</c> is itself an instance of
    /// <c>[A-Z][A-Z0-9]*</c>, the language is simply: an upper-case ASCII letter, then upper-case ASCII
    /// letters or digits, then optionally <c>+</c> or <c>-</c> and at least one digit. Lower case is refused.
    /// </summary>
    public static bool IsSignalName(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty || !char.IsAsciiLetterUpper(value[0]))
        {
            return false;
        }

        int i = 1;
        while (i < value.Length && (char.IsAsciiLetterUpper(value[i]) || char.IsAsciiDigit(value[i])))
        {
            i++;
        }

        if (i == value.Length)
        {
            return true;
        }

        if (value[i] is not ('+' or '-'))
        {
            return false;
        }

        int end = SkipDigits(value, i + 1);
        return end > i + 1 && end == value.Length;
    }

    /// <summary>
    /// A Linux capability name as given to <c>--cap-add</c>/<c>--cap-drop</c>: <c>^[A-Za-z_]+$</c>, one or
    /// more ASCII letters or underscores.
    /// </summary>
    public static bool IsCapabilityName(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
        {
            return false;
        }

        foreach (char c in value)
        {
            if (!char.IsAsciiLetter(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A domain name (the CLI's <c>ValidateDNSSearch</c>):
    /// <c>^(?:L\.)*L\.?$</c> where the label <c>L</c> is <c>[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?</c>.
    /// That is: one or more labels separated by single dots, with one optional final dot; each label is
    /// 1 to 63 ASCII letters, digits or hyphens and neither starts nor ends with a hyphen. A lone <c>.</c>
    /// does not match. The overall length limit (255) is the caller's.
    /// </summary>
    public static bool IsDomainName(ReadOnlySpan<char> value)
    {
        if (!value.IsEmpty && value[^1] == '.')
        {
            value = value[..^1];
        }

        if (value.IsEmpty)
        {
            return false;
        }

        while (true)
        {
            int dot = value.IndexOf('.');
            if (!IsDnsLabel(dot < 0 ? value : value[..dot]))
            {
                return false;
            }

            if (dot < 0)
            {
                return true;
            }

            value = value[(dot + 1)..];
        }
    }

    private static bool IsDnsLabel(ReadOnlySpan<char> label)
    {
        if (label.IsEmpty || label.Length > 63 || !char.IsAsciiLetterOrDigit(label[0]) || !char.IsAsciiLetterOrDigit(label[^1]))
        {
            return false;
        }

        foreach (char c in label)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The index of the first non-ASCII-digit at or after <paramref name="start"/>.</summary>
    private static int SkipDigits(ReadOnlySpan<char> value, int start)
    {
        int i = start;
        while (i < value.Length && char.IsAsciiDigit(value[i]))
        {
            i++;
        }

        return i;
    }
}
