using System;
using System.Threading;
using Microsoft.Extensions.Logging;

namespace Mesos.Executor.Core.Execution;

/// <summary>
/// When and how the executor ends: the shutdown with its grace period and deadline, the decision
/// to exit once every task ended and every update was acknowledged, the fail-safe timer while
/// terminal updates wait for their acknowledgement, and the exit code. Used from the executor
/// loop's thread only, except <see cref="Request"/>.
/// </summary>
/// <remarks>
/// Follows Mesos's executors: on SHUTDOWN every task is killed with the shutdown grace period
/// minus a buffer and the executor exits when the period is over at the latest (the reference
/// library); after the last terminal update it waits for ACKNOWLEDGED, up to a fail-safe
/// (src/docker/executor.cpp, src/launcher/executor.cpp); it exits once every task ended, even
/// without SHUTDOWN (src/launcher/default_executor.cpp).
/// </remarks>
internal sealed class ShutdownCoordinator
{
    private readonly ExecutorSettings _settings;
    private readonly LoopFlows _flows;
    private readonly ILogger _logger;
    private LoopTimer? _failsafeTimer;
    private LoopTimer? _deadlineTimer;
    private int _shutdownExitCode;
    private int _requested;

    public ShutdownCoordinator(ExecutorSettings settings, LoopFlows flows, ILogger logger)
    {
        _settings = settings;
        _flows = flows;
        _logger = logger;
    }

    /// <summary>Whether the executor is shutting down.</summary>
    public bool ShuttingDown { get; private set; }

    /// <summary>The exit code once the executor decided to exit.</summary>
    public int? ExitCode { get; private set; }

    /// <summary>Whether any task was ever launched: then the executor exits once none is left.</summary>
    public bool AnyTaskLaunched { get; set; }

    /// <summary>Whether a shutdown was requested (from any thread) and not yet begun.</summary>
    public bool Requested => Volatile.Read(ref _requested) == 1 && !ShuttingDown && ExitCode == null;

    /// <summary>Asks for a shutdown; safe from any thread. The loop begins it after its current message.</summary>
    public void Request() => Volatile.Write(ref _requested, 1);

    /// <summary>Begins the shutdown, once: starts the deadline of the agent's shutdown grace period.</summary>
    /// <param name="exitCode">The exit code once the tasks ended.</param>
    /// <param name="liveTasks">How many tasks are about to be killed (for the log).</param>
    /// <param name="killGracePeriod">The grace period for each task's kill.</param>
    /// <returns>Whether this call began it (then kill the live tasks).</returns>
    public bool TryBegin(int exitCode, int liveTasks, out TimeSpan killGracePeriod)
    {
        killGracePeriod = _settings.ShutdownKillGracePeriod;
        if (ShuttingDown)
        {
            return false;
        }

        ShuttingDown = true;
        _shutdownExitCode = exitCode;
        Log.ShuttingDown(_logger, liveTasks, killGracePeriod, _settings.ShutdownGracePeriod);

        // The reference library kills the whole executor once the shutdown grace period is over.
        _deadlineTimer = _flows.StartTimer(LoopTimerKind.ShutdownDeadline, _settings.ShutdownGracePeriod);
        return true;
    }

    /// <summary>A task was launched: the executor is not about to exit any more.</summary>
    public void TaskLaunched()
    {
        AnyTaskLaunched = true;
        Cancel(ref _failsafeTimer);
    }

    /// <summary>
    /// Exits once no task is live and every update is acknowledged, when shutting down or once at
    /// least one task ran; starts the fail-safe while updates wait for acknowledgement; exits at
    /// once when they can no longer be delivered.
    /// </summary>
    /// <param name="anyTaskLive">Whether a task is still running or cleaning up.</param>
    /// <param name="unacknowledged">How many updates wait for acknowledgement.</param>
    /// <param name="canDeliver">Whether those may still reach the agent.</param>
    /// <param name="refused">Whether the executor refused its tasks (then it exits with a configuration error).</param>
    public void Evaluate(bool anyTaskLive, int unacknowledged, bool canDeliver, bool refused)
    {
        if (ExitCode != null || (!ShuttingDown && !AnyTaskLaunched) || anyTaskLive)
        {
            return;
        }

        int exitCode = ShuttingDown ? _shutdownExitCode : refused ? ExecutorExitCodes.ConfigurationError : ExecutorExitCodes.Success;
        if (unacknowledged == 0)
        {
            Exit(exitCode);
            return;
        }

        if (!canDeliver)
        {
            Log.ExitingWithUnacknowledgedUpdates(_logger, unacknowledged);
            Exit(exitCode);
            return;
        }

        if (_failsafeTimer == null)
        {
            Log.WaitingForAcknowledgements(_logger, unacknowledged, _settings.Options.TerminalAcknowledgementTimeout);
            _failsafeTimer = _flows.StartTimer(LoopTimerKind.AcknowledgementFailsafe, _settings.Options.TerminalAcknowledgementTimeout);
        }
    }

    /// <summary>Handles the fail-safe and the shutdown deadline.</summary>
    /// <param name="timer">A timer that fired.</param>
    /// <param name="liveTasks">How many tasks are still live (for the log).</param>
    /// <param name="unacknowledged">How many updates wait for acknowledgement (for the log).</param>
    public void OnTimer(LoopTimer timer, int liveTasks, int unacknowledged)
    {
        if (timer.Kind == LoopTimerKind.AcknowledgementFailsafe && ReferenceEquals(timer, _failsafeTimer))
        {
            _failsafeTimer = null;
            Log.AcknowledgementTimeout(_logger, unacknowledged, _settings.Options.TerminalAcknowledgementTimeout);
            Exit(ShuttingDown && _shutdownExitCode != ExecutorExitCodes.Success ? _shutdownExitCode : ExecutorExitCodes.AcknowledgementTimeout);
        }
        else if (timer.Kind == LoopTimerKind.ShutdownDeadline && ReferenceEquals(timer, _deadlineTimer))
        {
            _deadlineTimer = null;
            Log.ShutdownGraceExpired(_logger, _settings.ShutdownGracePeriod, liveTasks, unacknowledged);
            Exit(_shutdownExitCode != ExecutorExitCodes.Success ? _shutdownExitCode : ExecutorExitCodes.ShutdownTimeout);
        }
    }

    /// <summary>Decides to exit with <paramref name="exitCode"/>; the first decision stands.</summary>
    public void Exit(int exitCode) => ExitCode ??= exitCode;

    /// <summary>Cancels the timers.</summary>
    public void Stop()
    {
        Cancel(ref _failsafeTimer);
        Cancel(ref _deadlineTimer);
    }

    private static void Cancel(ref LoopTimer? timer)
    {
        timer?.Cancel();
        timer = null;
    }
}
