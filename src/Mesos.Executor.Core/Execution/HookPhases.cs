using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace Mesos.Executor.Core.Execution;

/// <summary>
/// Runs one task's hooks phase by phase, in run order. A failure in a launch phase (pre-create,
/// pre-run, post-run) aborts the launch with a message naming the hook and the phase; a failure in
/// a stop phase (pre-stop, post-stop) is logged and the other hooks still run: teardown must happen.
/// A failure in a moment of the running task (ready, health-changed, draining) is logged and the
/// task goes on.
/// </summary>
internal sealed class HookPhases
{
    private readonly string _taskId;
    private readonly IReadOnlyList<IHook> _hooks;
    private readonly ILogger _logger;
    private readonly CancellationToken _abort;

    /// <param name="taskId">The task.</param>
    /// <param name="hooks">The hooks, in run order.</param>
    /// <param name="logger">The runner's logger.</param>
    /// <param name="abort">Cancelled when the executor stops for good; ends the stop phases.</param>
    public HookPhases(string taskId, IReadOnlyList<IHook> hooks, ILogger logger, CancellationToken abort)
    {
        _taskId = taskId;
        _hooks = hooks;
        _logger = logger;
        _abort = abort;
    }

    public async Task RunLaunchPhaseAsync(HookPhase phase, HookContext context, CancellationToken cancellationToken)
    {
        foreach (IHook hook in _hooks)
        {
            try
            {
                Log.RunningHook(_logger, _taskId, PhaseName(phase), hook.Name);
                await InvokeAsync(hook, phase, context, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                string reason = ex is HookFailedException hookFailure && hookFailure.HookName == hook.Name && hookFailure.InnerException != null
                    ? hookFailure.InnerException.Message
                    : ex.Message;
                throw new TaskRunner.LaunchStepException($"{PhaseName(phase)} hook '{hook.Name}' failed: {reason}", ex);
            }
        }
    }

    public async Task RunStopPhaseAsync(HookPhase phase, HookContext context)
    {
        // Teardown must happen: a failing hook is logged and the others still run.
        foreach (IHook hook in _hooks)
        {
            try
            {
                Log.RunningHook(_logger, _taskId, PhaseName(phase), hook.Name);
                await InvokeAsync(hook, phase, context, _abort).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_abort.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                Log.StopHookFailed(_logger, _taskId, PhaseName(phase), hook.Name, ex);
            }
        }
    }

    /// <summary>Runs ready, health-changed or draining: a failure is logged, the other hooks still run and the task goes on.</summary>
    public async Task RunMomentPhaseAsync(HookPhase phase, HookContext context, CancellationToken cancellationToken)
    {
        foreach (IHook hook in _hooks)
        {
            try
            {
                Log.RunningHook(_logger, _taskId, PhaseName(phase), hook.Name);
                await InvokeAsync(hook, phase, context, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                Log.HookFailedTaskGoesOn(_logger, _taskId, PhaseName(phase), hook.Name, ex);
            }
        }
    }

    private static Task InvokeAsync(IHook hook, HookPhase phase, HookContext context, CancellationToken cancellationToken) => phase switch
    {
        HookPhase.PreCreate => hook.PreCreateAsync(context, cancellationToken),
        HookPhase.PreRun => hook.PreRunAsync(context, cancellationToken),
        HookPhase.PostRun => hook.PostRunAsync(context, cancellationToken),
        HookPhase.PreStop => hook.PreStopAsync(context, cancellationToken),
        HookPhase.PostStop => hook.PostStopAsync(context, cancellationToken),
        HookPhase.Ready => hook.ReadyAsync(context, cancellationToken),
        HookPhase.HealthChanged => hook.HealthChangedAsync(context, cancellationToken),
        HookPhase.Draining => hook.DrainingAsync(context, cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(phase), phase, null),
    };

    /// <summary>The phase as operators write it: <c>pre-create</c>, <c>pre-run</c>, ...</summary>
    internal static string PhaseName(HookPhase phase) => phase switch
    {
        HookPhase.PreCreate => "pre-create",
        HookPhase.PreRun => "pre-run",
        HookPhase.PostRun => "post-run",
        HookPhase.PreStop => "pre-stop",
        HookPhase.PostStop => "post-stop",
        HookPhase.Ready => "ready",
        HookPhase.HealthChanged => "health-changed",
        HookPhase.Draining => "draining",
        _ => phase.ToString(),
    };
}
