namespace Mesos.Executor.Reference.Configuration;

/// <summary><c>timeouts</c>, in Mesos duration syntax.</summary>
internal sealed class TimeoutsSection
{
    /// <summary><c>timeouts.default_kill_grace</c>: grace between SIGTERM and SIGKILL when the task has no kill policy.</summary>
    public string? DefaultKillGrace { get; set; }

    /// <summary><c>timeouts.terminal_ack_failsafe</c>: how long to wait for the last terminal update's acknowledgement.</summary>
    public string? TerminalAckFailsafe { get; set; }

    /// <summary><c>timeouts.drain_delay</c>: how long a killed task keeps running after its draining hooks, taken out of its kill grace.</summary>
    public string? DrainDelay { get; set; }

    /// <summary><c>timeouts.drain_delay_label</c>: the task label that may choose the task's drain delay; unset: tasks cannot.</summary>
    public string? DrainDelayLabel { get; set; }

    /// <summary><c>timeouts.max_drain_delay</c>: the longest drain delay a task label may ask for.</summary>
    public string? MaxDrainDelay { get; set; }
}
