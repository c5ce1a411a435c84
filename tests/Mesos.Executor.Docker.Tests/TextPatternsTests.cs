using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Mesos.Executor.Docker.Internal;
using NUnit.Framework;

namespace Mesos.Executor.Docker.Tests;

/// <summary>
/// Each hand-written matcher in <see cref="TextPatterns"/> against the regular expression it replaced: the
/// same answer on every row of the table, except for the two documented differences (a trailing newline,
/// which .NET's <c>$</c> tolerates, and non-ASCII digits, which .NET's <c>\d</c> matches), each checked on its own.
/// </summary>
[TestFixture]
public sealed class TextPatternsTests
{
    private static readonly string Label63 = new('a', 63);
    private static readonly string Label64 = new('a', 64);
    private static readonly string Hyphenated63 = "a" + new string('-', 61) + "b";
    private static readonly string Hyphenated64 = "a" + new string('-', 62) + "b";

    /// <summary>The replaced patterns, verbatim, with the matcher that stands in for each.</summary>
    private static readonly Dictionary<string, (string Pattern, Func<string, bool> Matcher)> Matchers = new(StringComparer.Ordinal)
    {
        ["ApiVersion"] = (@"^[1-9][0-9]*\.[0-9]+$", v => TextPatterns.IsApiVersion(v)),
        ["ContainerName"] = (@"^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$", v => TextPatterns.IsContainerName(v)),
        ["Size"] = (@"^(\d+(?:\.\d+)?) ?([kKmMgGtTpP])?[iI]?[bB]?$", v => TextPatterns.TryMatchSize(v, out _, out _)),
        ["CpuSet"] = (@"^[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*$", v => TextPatterns.IsCpuSet(v)),
        ["Signal"] = (@"^(SIG)?[A-Z][A-Z0-9]*([+-][0-9]+)?$", v => TextPatterns.IsSignalName(v)),
        ["Capability"] = (@"^[A-Za-z_]+$", v => TextPatterns.IsCapabilityName(v)),
        ["Domain"] = (@"^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)*[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.?$", v => TextPatterns.IsDomainName(v)),
    };

    /// <summary>Strings tried against every matcher, whatever its grammar.</summary>
    private static readonly string[] Common =
    [
        string.Empty, " ", "\n", "\r\n", "\t", "a", "A", "0", "1", "_", "-", ".", "/", "+", "\0", "é", "١", "1.41\r",
    ];

    private static readonly Dictionary<string, string[]> Inputs = new(StringComparer.Ordinal)
    {
        ["ApiVersion"] =
        [
            "1.41", "1.0", "10.99", "9.9", "1.123456789", "123456789.1", "0.41", "01.41", "1", "1.", ".41", "1..41", "1.41.1",
            "v1.41", "1.41 ", " 1.41", "1,41", "1.4a", "1.-1", "-1.41", "+1.41", "1 .41", "1.41\t", "١.٤١", "1.٤",
        ],
        ["ContainerName"] =
        [
            "ab", "a1", "1a", "/ab", "//ab", "/a", "a", "web-1", "web_1", "web.1", "a-", "a.", "a_", "-ab", "_ab", ".ab", "/-ab",
            "a b", " ab", "ab ", "ab/", "a/b", "a:b", "é1", "aé", "mesos-0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9.executor",
            new string('a', 255), "/" + new string('Z', 1000),
        ],
        ["Size"] =
        [
            "0", "1", "512", "64m", "64M", "1g", "1.5g", "1.5GiB", "10 MiB", "10 mib", "1kb", "1KB", "1kB", "1k", "1t", "1p", "1P",
            "1b", "1B", "1i", "1ib", "1iB", "1 ", "1 b", "1 k", "1.0", "1.", ".5", "1.2.3g", "1..5", "1x", "1q", "1e", "1eb", "1kk",
            "1bi", "1bb", "1ii", "1kib", "1kbi", "1  m", " 1m", "1m ", "1 m ", "-1", "+1", "1,5g", "64x", "1E3", "0x10",
            "99999999999999999999999999999999999", "1.5 GiB", "1.5\tg", "١٢", "١٢m", "1.٥g", "１０m", "1m\r",
        ],
        ["CpuSet"] =
        [
            "0", "7", "0-3", "0-3,5", "0,1,2", "0-1,3-4,8", "10-20", "3-1", "1-", "-1", ",1", "1,", "1,,2", "1--2", "1-2-3",
            "0 - 3", "0, 1", " 0", "0 ", "a", "0-a", "1-2,", "0-3,5-", "٠-٣", string.Join(',', Enumerable.Range(0, 256)),
        ],
        ["Signal"] =
        [
            "SIGTERM", "TERM", "SIGKILL", "KILL", "SIGUSR1", "USR1", "SIGRTMIN+3", "RTMIN+3", "SIGRTMAX-2", "SIG", "S", "SIGRTMIN+",
            "SIGRTMIN-", "SIGRTMIN+-3", "SIGRTMIN+3+1", "SIGRTMIN+3a", "sigterm", "SigTerm", "SIGterm", "1SIG", "SIG_TERM",
            "SIG TERM", " SIGTERM", "SIGTERM ", "+3", "15", "SIGUSR١", "RTMIN+٣", "ÄRGER",
        ],
        ["Capability"] =
        [
            "NET_ADMIN", "net_admin", "CAP_NET_ADMIN", "ALL", "all", "__", "NET ADMIN", "NET-ADMIN", "CAP_1", "1", " ALL", "ALL ",
            "ÄLL", "NET_ADMIN,SYS_TIME", new string('A', 4096),
        ],
        ["Domain"] =
        [
            "example.com", "example.com.", "a", "a.", "a.b", "a.b.", "1.2.3.4", "xn--bcher-kva.example", "a-b.c-d", "my-host",
            "-a.com", "a-.com", "a.-b", "a.b-", "a..b", ".a", "..", "a..", "a.b..", "a_b.com", "a b.com", "example.com ",
            " example.com", "ex*mple.com", "exämple.com", "١.com",
            Label63, Label64, Label63 + ".com", Label64 + ".com", "com." + Label63, "com." + Label64, Label63 + ".",
            Hyphenated63, Hyphenated64, Hyphenated63 + ".com", Hyphenated64 + ".com",
            string.Join('.', Enumerable.Repeat(Label63, 4)), string.Join('.', Enumerable.Repeat(Label63, 4)) + ".",
            string.Join('.', Enumerable.Repeat("a", 200)), string.Join('.', Enumerable.Repeat("a", 200)) + ".",
        ],
    };

    public static IEnumerable<TestCaseData> Table() =>
        Inputs.SelectMany(entry => entry.Value.Concat(Common).Distinct(StringComparer.Ordinal).Select(input => (entry.Key, input)))
            .Where(row => !IsKnownDifference(row.Key, row.input))
            .Select(row => new TestCaseData(row.Key, row.input).SetArgDisplayNames(row.Key, Display(row.input)));

    /// <summary>Every table entry the old regex accepted, with <c>"\n"</c> appended.</summary>
    public static IEnumerable<TestCaseData> TrailingNewlines() =>
        Inputs.SelectMany(entry => entry.Value.Select(input => (entry.Key, input)))
            .Where(row => !IsKnownDifference(row.Key, row.input) && Regex.IsMatch(row.input, Matchers[row.Key].Pattern))
            .Select(row => new TestCaseData(row.Key, row.input + "\n").SetArgDisplayNames(row.Key, Display(row.input + "\n")));

    /// <summary>Sizes whose number has a non-ASCII Unicode decimal digit.</summary>
    public static IEnumerable<string> NonAsciiDigitSizes() => ["١٢", "١٢m", "1.٥g", "１０m", "٣ GiB"];

    [TestCaseSource(nameof(Table))]
    public void Matcher_TableEntry_AgreesWithTheReplacedRegex(string matcher, string input)
    {
        var (pattern, match) = Matchers[matcher];

        Assert.That(match(input), Is.EqualTo(Regex.IsMatch(input, pattern)));
    }

    [TestCaseSource(nameof(TrailingNewlines))]
    public void Matcher_TrailingNewline_IsRefusedThoughTheRegexAcceptedIt(string matcher, string input)
    {
        var (pattern, match) = Matchers[matcher];

        Assert.Multiple(() =>
        {
            Assert.That(Regex.IsMatch(input, pattern), Is.True, "the .NET regex's $ matches before a final newline");
            Assert.That(match(input), Is.False);
        });
    }

    [TestCaseSource(nameof(NonAsciiDigitSizes))]
    public void TryMatchSize_NonAsciiDigits_AreRefusedThoughTheRegexAcceptedThem(string input)
    {
        Assert.Multiple(() =>
        {
            Assert.That(Regex.IsMatch(input, Matchers["Size"].Pattern), Is.True, @"the .NET regex's \d matches any Unicode digit");
            Assert.That(TextPatterns.TryMatchSize(input, out _, out _), Is.False);
        });
    }

    [Test]
    public void TryMatchSize_AcceptedSizes_CaptureTheRegexGroups()
    {
        var regex = new Regex(Matchers["Size"].Pattern);
        var accepted = Inputs["Size"].Where(v => !IsKnownDifference("Size", v) && regex.IsMatch(v)).ToList();

        Assert.That(accepted, Has.Count.GreaterThan(20), "the table has enough sizes to compare groups on");
        Assert.Multiple(() =>
        {
            foreach (string input in accepted)
            {
                var groups = regex.Match(input).Groups;
                Assert.That(TextPatterns.TryMatchSize(input, out ReadOnlySpan<char> number, out char unit), Is.True, input);
                Assert.That(number.ToString(), Is.EqualTo(groups[1].Value), input);
                Assert.That(unit == '\0' ? string.Empty : unit.ToString(), Is.EqualTo(groups[2].Value), input);
            }
        });
    }

    [Test]
    public void Table_EveryMatcher_HasAcceptedAndRefusedRows()
    {
        Assert.Multiple(() =>
        {
            foreach (var (name, (pattern, _)) in Matchers)
            {
                var rows = Inputs[name];
                Assert.That(rows.Count(v => Regex.IsMatch(v, pattern) && !IsKnownDifference(name, v)), Is.GreaterThanOrEqualTo(5), name);
                Assert.That(rows.Count(v => !Regex.IsMatch(v, pattern)), Is.GreaterThanOrEqualTo(5), name);
            }
        });
    }

    /// <summary>
    /// Rows the regex accepts and the replacement deliberately refuses (each kind has its own test above):
    /// a trailing newline, or a size written with non-ASCII digits. Rows the regex refuses stay in the table.
    /// </summary>
    private static bool IsKnownDifference(string matcher, string input) =>
        (input.EndsWith('\n') || (matcher == "Size" && input.Any(c => char.IsDigit(c) && !char.IsAsciiDigit(c))))
        && Regex.IsMatch(input, Matchers[matcher].Pattern);

    private static string Display(string input) =>
        input.Length > 40 ? $"\"{input[..20]}…\" ({input.Length} chars)" : $"\"{input.Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal).Replace("\0", "\\0", StringComparison.Ordinal)}\"";
}
