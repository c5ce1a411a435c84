using System;
using System.Collections.Generic;
using Mesos.Executor.Core.RecordIO;

namespace Mesos.Executor.Core;

/// <summary>
/// Tunables of <see cref="MesosExecutor"/>. Everything the agent decides (ids, checkpointing,
/// shutdown grace, recovery timeout, backoff) comes from <see cref="ExecutorEnvironment"/> instead.
/// </summary>
public sealed class ExecutorOptions
{
    /// <summary>The default of <see cref="DefaultKillGracePeriod"/>: 3 seconds, as Mesos's built-in executors.</summary>
    public static readonly TimeSpan DefaultKillGracePeriodValue = TimeSpan.FromSeconds(3);

    /// <summary>The encoding of calls and of the event stream.</summary>
    /// <value><see cref="AgentContentType.Protobuf"/>.</value>
    public AgentContentType ContentType { get; init; } = AgentContentType.Protobuf;

    /// <summary>
    /// Time between the stop signal and SIGKILL when neither the KILL event nor the task's
    /// <c>kill_policy</c> gives a grace period.
    /// </summary>
    /// <value>3 seconds (Mesos's command, Docker and default executors use the same).</value>
    public TimeSpan DefaultKillGracePeriod { get; init; } = DefaultKillGracePeriodValue;

    /// <summary>
    /// How long to wait for the agent to acknowledge the last terminal status updates before exiting
    /// anyway (a fail-safe; exiting earlier could lose an update).
    /// </summary>
    /// <value>60 seconds, as Mesos's built-in executors.</value>
    public TimeSpan TerminalAcknowledgementTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How often a HEARTBEAT call is sent to the agent while subscribed.</summary>
    /// <value>30 minutes, as the reference executor library.</value>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>The largest event accepted on the SUBSCRIBE stream, in bytes (a LAUNCH carries the whole TaskInfo).</summary>
    /// <value>16 MiB.</value>
    public int MaxRecordSize { get; init; } = RecordIOReader.DefaultMaxRecordSize;

    /// <summary>How long an UPDATE, MESSAGE or HEARTBEAT call may take before it counts as failed (an update then stays pending for the next SUBSCRIBE).</summary>
    /// <value>10 seconds.</value>
    public TimeSpan AgentCallTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether tasks' <c>health_check</c> is run. When <see langword="false"/> it is ignored and no <c>healthy</c> is reported.</summary>
    /// <value><see langword="true"/>.</value>
    public bool HealthChecksEnabled { get; init; } = true;

    /// <summary>
    /// Whether tasks' generalized <c>check</c> is run. When <see langword="false"/> it is ignored:
    /// not run, and no <c>check_status</c> is reported.
    /// </summary>
    /// <value><see langword="true"/>.</value>
    public bool ChecksEnabled { get; init; } = true;

    /// <summary>
    /// How long a running task keeps running after its draining hooks before it gets the stop
    /// signal, so that traffic can move away. Taken out of the kill grace period: SIGKILL still
    /// comes when the grace period ends, and a drain never lasts longer than the grace.
    /// </summary>
    /// <value><see cref="TimeSpan.Zero"/>: no drain.</value>
    public TimeSpan DrainDelay { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// The name of a task label (e.g. <c>drain_delay</c>) whose value, a Mesos duration such as
    /// <c>10secs</c>, replaces <see cref="DrainDelay"/> for that task, capped at
    /// <see cref="MaxDrainDelay"/>. An invalid value is logged and <see cref="DrainDelay"/> applies.
    /// </summary>
    /// <value><see langword="null"/>: tasks cannot choose their drain delay.</value>
    public string? DrainDelayLabel { get; init; }

    /// <summary>The longest drain delay a task may ask for through <see cref="DrainDelayLabel"/>.</summary>
    /// <value>30 seconds.</value>
    public TimeSpan MaxDrainDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ExecutorConfigurationException">At least one setting is invalid; the message lists every problem.</exception>
    public void Validate()
    {
        IReadOnlyList<string> errors = CollectErrors();
        if (errors.Count > 0)
        {
            throw new ExecutorConfigurationException(
                "The executor options are invalid:" + Environment.NewLine + " - " + string.Join(Environment.NewLine + " - ", errors));
        }
    }

    internal IReadOnlyList<string> CollectErrors()
    {
        var errors = new List<string>();
        if (!Enum.IsDefined(ContentType))
        {
            errors.Add($"{nameof(ContentType)} '{ContentType}' is not a known content type");
        }

        if (DefaultKillGracePeriod < TimeSpan.Zero)
        {
            errors.Add($"{nameof(DefaultKillGracePeriod)} must not be negative (was {DefaultKillGracePeriod})");
        }

        if (DrainDelay < TimeSpan.Zero)
        {
            errors.Add($"{nameof(DrainDelay)} must not be negative (was {DrainDelay})");
        }

        if (MaxDrainDelay < TimeSpan.Zero)
        {
            errors.Add($"{nameof(MaxDrainDelay)} must not be negative (was {MaxDrainDelay})");
        }

        if (DrainDelayLabel is not null && string.IsNullOrWhiteSpace(DrainDelayLabel))
        {
            errors.Add($"{nameof(DrainDelayLabel)} must not be empty when set");
        }

        RequirePositive(errors, nameof(TerminalAcknowledgementTimeout), TerminalAcknowledgementTimeout);
        RequirePositive(errors, nameof(HeartbeatInterval), HeartbeatInterval);
        RequirePositive(errors, nameof(AgentCallTimeout), AgentCallTimeout);
        if (MaxRecordSize <= 0)
        {
            errors.Add($"{nameof(MaxRecordSize)} must be positive (was {MaxRecordSize})");
        }

        return errors;
    }

    private static void RequirePositive(List<string> errors, string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{name} must be positive (was {value})");
        }
    }
}
