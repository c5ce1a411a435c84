using System;
using Mesos.V1;

namespace Mesos.Executor.Core.Execution;

/// <summary>
/// A task's drain delay: <see cref="ExecutorOptions.DrainDelay"/>, or the value of the label the
/// operator named in <see cref="ExecutorOptions.DrainDelayLabel"/>, capped at
/// <see cref="ExecutorOptions.MaxDrainDelay"/>. The operator decides whether tasks may choose.
/// </summary>
internal static class DrainDelays
{
    /// <summary>The drain delay of <paramref name="task"/>.</summary>
    /// <param name="task">The task.</param>
    /// <param name="options">The executor's options.</param>
    /// <param name="invalidLabel">The label's value when it is not a Mesos duration (the default applies).</param>
    /// <param name="requested">The label's value when it asked for more than the maximum.</param>
    /// <returns>The delay.</returns>
    public static TimeSpan Of(TaskInfo task, ExecutorOptions options, out string? invalidLabel, out TimeSpan? requested)
    {
        invalidLabel = null;
        requested = null;
        if (options.DrainDelayLabel is not { Length: > 0 } name || task.Labels is null)
        {
            return options.DrainDelay;
        }

        string? value = null;
        foreach (Label label in task.Labels.Labels_)
        {
            if (string.Equals(label.Key, name, StringComparison.Ordinal))
            {
                value = label.HasValue ? label.Value : string.Empty;
            }
        }

        if (value is null)
        {
            return options.DrainDelay;
        }

        if (!MesosDuration.TryParse(value.Trim(), out TimeSpan delay) || delay < TimeSpan.Zero)
        {
            invalidLabel = value;
            return options.DrainDelay;
        }

        if (delay > options.MaxDrainDelay)
        {
            requested = delay;
            return options.MaxDrainDelay;
        }

        return delay;
    }
}
