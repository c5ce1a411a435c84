using System;
using NUnit.Framework;

namespace Mesos.Executor.Core.Tests.Configuration;

[TestFixture]
public sealed class MesosDurationTests
{
    private static readonly object[] s_valid =
    [
        new object[] { "15mins", TimeSpan.FromMinutes(15) },
        new object[] { "2secs", TimeSpan.FromSeconds(2) },
        new object[] { "500ms", TimeSpan.FromMilliseconds(500) },
        new object[] { "1.5hrs", TimeSpan.FromMinutes(90) },
        new object[] { "3days", TimeSpan.FromDays(3) },
        new object[] { "1weeks", TimeSpan.FromDays(7) },
        new object[] { "250us", TimeSpan.FromTicks(2_500) },
        new object[] { "300ns", TimeSpan.FromTicks(3) },
        new object[] { "150ns", TimeSpan.FromTicks(1) },
        new object[] { "0secs", TimeSpan.Zero },
        new object[] { ".5secs", TimeSpan.FromMilliseconds(500) },
        new object[] { "2.25mins", TimeSpan.FromSeconds(135) },
    ];

    [TestCaseSource(nameof(s_valid))]
    public void Parse_ValidDuration_ReturnsValue(string text, TimeSpan expected)
    {
        Assert.That(MesosDuration.Parse(text), Is.EqualTo(expected));
    }

    [TestCase("")]
    [TestCase("15")]
    [TestCase("mins")]
    [TestCase("15min")]
    [TestCase("15 mins")]
    [TestCase("15s")]
    [TestCase("15MINS")]
    [TestCase("-5secs")]
    [TestCase("1.2.3secs")]
    [TestCase(".secs")]
    [TestCase("1e3secs")]
    [TestCase(" 5secs")]
    [TestCase("99999999999weeks")]
    public void TryParse_InvalidDuration_ReturnsFalse(string text)
    {
        bool parsed = MesosDuration.TryParse(text, out TimeSpan value);

        Assert.Multiple(() =>
        {
            Assert.That(parsed, Is.False);
            Assert.That(value, Is.EqualTo(TimeSpan.Zero));
        });
    }

    [Test]
    public void TryParse_Null_ReturnsFalse()
    {
        Assert.That(MesosDuration.TryParse(null, out _), Is.False);
    }

    [Test]
    public void Parse_InvalidDuration_ThrowsFormatExceptionNamingTheValue()
    {
        var exception = Assert.Throws<FormatException>(() => MesosDuration.Parse("5 minutes"));

        Assert.That(exception.Message, Does.Contain("'5 minutes'").And.Contain("secs"));
    }

    [TestCase(0L, "0ns")]
    [TestCase(5L * TimeSpan.TicksPerSecond, "5secs")]
    [TestCase(15L * TimeSpan.TicksPerMinute, "15mins")]
    [TestCase(90L * TimeSpan.TicksPerMinute, "90mins")]
    [TestCase(3L * TimeSpan.TicksPerDay, "3days")]
    [TestCase(7L * TimeSpan.TicksPerDay, "1weeks")]
    [TestCase(10L * TimeSpan.TicksPerDay, "10days")]
    [TestCase(500L * TimeSpan.TicksPerMillisecond, "500ms")]
    [TestCase(1_500L * TimeSpan.TicksPerMillisecond, "1500ms")]
    [TestCase(2_500L, "250us")]
    [TestCase(3L, "300ns")]
    [TestCase(-2L * TimeSpan.TicksPerSecond, "-2secs")]
    public void Format_Duration_WritesMesosSyntax(long ticks, string expected)
    {
        Assert.That(MesosDuration.Format(TimeSpan.FromTicks(ticks)), Is.EqualTo(expected));
    }

    [Test]
    public void Format_NotWholeInAnyNeighbourUnit_WritesFraction()
    {
        // 1 h 30 min 0.5 s: not whole in hours nor minutes.
        TimeSpan value = TimeSpan.FromHours(1.5) + TimeSpan.FromMilliseconds(500);

        string text = MesosDuration.Format(value);

        Assert.Multiple(() =>
        {
            Assert.That(text, Does.EndWith("hrs"));
            Assert.That(MesosDuration.Parse(text), Is.EqualTo(value).Within(TimeSpan.FromMilliseconds(1)));
        });
    }

    [TestCase(1L)]
    [TestCase(123_456_789L)]
    [TestCase(36_000_000_000L)]
    [TestCase(15L * TimeSpan.TicksPerMinute)]
    public void Format_ThenParse_RoundTrips(long ticks)
    {
        TimeSpan value = TimeSpan.FromTicks(ticks);

        Assert.That(MesosDuration.Parse(MesosDuration.Format(value)), Is.EqualTo(value));
    }

    // Found by the duration fuzz target (issue 16): fifteen significant digits of a fraction of a
    // week lost a tick, and the double product of a large count lost one too.
    [TestCase("3434567secs")]
    [TestCase("1774777777secs")]
    [TestCase("12.3456789secs")]
    [TestCase("0.0000001weeks")]
    public void Parse_ThenFormat_ParsesBackToTheSameValue(string text)
    {
        TimeSpan value = MesosDuration.Parse(text);

        Assert.That(MesosDuration.Parse(MesosDuration.Format(value)), Is.EqualTo(value));
    }

    [Test]
    public void Parse_LargeWholeCount_IsExact()
    {
        Assert.That(MesosDuration.Parse("1774777777secs"), Is.EqualTo(TimeSpan.FromSeconds(1_774_777_777)));
    }
}
