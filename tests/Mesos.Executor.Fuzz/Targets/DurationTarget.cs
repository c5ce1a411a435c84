using System;
using System.Collections.Generic;
using System.Text;
using Mesos.Executor.Core;

namespace Mesos.Executor.Fuzz.Targets;

/// <summary>
/// Mesos durations (<see cref="MesosDuration.Parse"/>, <see cref="MesosDuration.TryParse"/>): the
/// two agree, and a parsed value formats to text that parses back to the same value.
/// </summary>
public sealed class DurationTarget : FuzzTarget
{
    /// <inheritdoc />
    public override string Name => "duration";

    /// <inheritdoc />
    public override string Description => "Mesos durations (MesosDuration)";

    /// <inheritdoc />
    public override void Run(ReadOnlySpan<byte> data)
    {
        string text = Encoding.UTF8.GetString(data);
        bool parsed = MesosDuration.TryParse(text, out TimeSpan value);
        TimeSpan thrown;
        try
        {
            thrown = MesosDuration.Parse(text);
        }
        catch (FormatException) when (!parsed)
        {
            return;
        }

        if (!parsed || thrown != value)
        {
            throw new FuzzPropertyException($"TryParse ({parsed}, {value}) and Parse ({thrown}) disagree on '{text}'");
        }

        string formatted = MesosDuration.Format(value);
        if (!MesosDuration.TryParse(formatted, out TimeSpan again) || again != value)
        {
            throw new FuzzPropertyException($"'{text}' parses to {value.Ticks} ticks, formats as '{formatted}', which parses to {again.Ticks}");
        }
    }

    /// <inheritdoc />
    public override bool IsExpected(Exception exception) => exception is FormatException;

    /// <inheritdoc />
    public override IEnumerable<(string Name, byte[] Data)> Seeds()
    {
        // Values of MesosDurationTests.
        string[] seeds = ["15mins", "2secs", "500ms", "1.5hrs", "3days", "1weeks", "100ns", "10us", "12.3456789secs", "0secs", "1.secs", ".5ms", "1..5secs", "5", "secs", "-1secs", "99999999999weeks"];
        foreach (string seed in seeds)
        {
            yield return (seed, Encoding.UTF8.GetBytes(seed));
        }
    }
}
