namespace Mesos.Executor.Reference.Configuration;

/// <summary><c>timeouts</c>, in Mesos duration syntax.</summary>
internal sealed class TimeoutsSection
{
    /// <summary><c>timeouts.default_kill_grace</c>: grace between SIGTERM and SIGKILL when the task has no kill policy.</summary>
    public string? DefaultKillGrace { get; set; }

    /// <summary><c>timeouts.terminal_ack_failsafe</c>: how long to wait for the last terminal update's acknowledgement.</summary>
    public string? TerminalAckFailsafe { get; set; }
}
