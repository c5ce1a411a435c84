using System;
using Mesos.V1;

namespace Mesos.Executor.Core.Execution;

/// <summary>The grace period of a task's kill (src/docker/executor.cpp <c>killTask</c>, src/launcher/executor.cpp).</summary>
internal static class KillGrace
{
    /// <summary>The KILL event's kill policy, else the task's, else <paramref name="defaultGrace"/>.</summary>
    public static TimeSpan Of(TaskInfo task, KillPolicy? killPolicy, TimeSpan defaultGrace)
    {
        if (killPolicy?.GracePeriod != null)
        {
            return Durations.Of(killPolicy.GracePeriod);
        }

        if (task.KillPolicy?.GracePeriod != null)
        {
            return Durations.Of(task.KillPolicy.GracePeriod);
        }

        return defaultGrace;
    }

    /// <summary>
    /// The new SIGKILL deadline of a kill in progress, or <see langword="null"/> when it stays: a
    /// grace period may only get shorter, counted from the first kill.
    /// </summary>
    public static DateTimeOffset? Shortened(DateTimeOffset killStart, DateTimeOffset currentDeadline, TimeSpan gracePeriod)
    {
        DateTimeOffset deadline = killStart + gracePeriod;
        return deadline < currentDeadline ? deadline : null;
    }
}
