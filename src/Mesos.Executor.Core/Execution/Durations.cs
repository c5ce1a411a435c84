using System;
using Mesos.V1;

namespace Mesos.Executor.Core.Execution;

/// <summary>Mesos durations as <see cref="TimeSpan"/>s.</summary>
internal static class Durations
{
    /// <summary>The duration; <see cref="TimeSpan.Zero"/> when absent or negative.</summary>
    public static TimeSpan Of(DurationInfo? duration) =>
        duration == null ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Max(0, duration.Nanoseconds) / 100);
}
