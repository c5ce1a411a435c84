namespace Mesos.Executor.Core;

/// <summary>
/// The exit codes <see cref="MesosExecutor.RunAsync"/> returns; a program's <c>Main</c> returns
/// them as the process exit code. The agent only logs an executor's exit code, so these exist for
/// operators reading the executor's log and for supervising scripts.
/// </summary>
public static class ExecutorExitCodes
{
    /// <summary>
    /// Every task ended and its terminal status update was acknowledged, after a SHUTDOWN event,
    /// a cancelled <see cref="MesosExecutor.RunAsync"/> (SIGTERM/SIGINT), or once the last task ended.
    /// </summary>
    public const int Success = 0;

    /// <summary>An unexpected internal failure; the executor's log says what happened.</summary>
    public const int Fatal = 1;

    /// <summary>
    /// The configuration (environment, options, flags or builder) was invalid, or the SUBSCRIBED
    /// check refused every task: 78, <c>EX_CONFIG</c> of <c>sysexits.h</c>, the conventional code
    /// for a configuration error, distinct from <see cref="Fatal"/>.
    /// </summary>
    public const int ConfigurationError = 78;

    /// <summary>
    /// The connection to the agent was lost (or never established) and the framework does not
    /// checkpoint (<c>MESOS_CHECKPOINT</c> is not 1): the tasks were killed, as the reference
    /// executor library does.
    /// </summary>
    public const int Disconnected = 2;

    /// <summary>
    /// The agent did not come back within <c>MESOS_RECOVERY_TIMEOUT</c> after the connection was
    /// lost; the tasks were killed.
    /// </summary>
    public const int RecoveryTimeout = 3;

    /// <summary>The agent sent an ERROR event or rejected SUBSCRIBE (e.g. 400, 401); the tasks were killed.</summary>
    public const int AgentError = 4;

    /// <summary>
    /// The agent did not acknowledge the terminal status updates within
    /// <see cref="ExecutorOptions.TerminalAcknowledgementTimeout"/> (Mesos's HTTP command executor
    /// also exits with a failure then).
    /// </summary>
    public const int AcknowledgementTimeout = 5;

    /// <summary>
    /// The shutdown grace period (<c>MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD</c>) ran out before every
    /// task ended and its terminal update was acknowledged (the reference library kills its own
    /// process group then).
    /// </summary>
    public const int ShutdownTimeout = 6;
}
