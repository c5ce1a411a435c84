using System;
using System.Collections.Generic;
using System.Linq;
using Mesos.Executor.Core;
using Mesos.Executor.Reference.Configuration;
using Mesos.V1.Executor;
using Microsoft.Extensions.Logging;

namespace Mesos.Executor.Reference;

/// <summary>
/// Keeps the task's environment from configuring the executor. The agent merges the task's
/// <c>CommandInfo.environment</c> into <c>ExecutorInfo.command.environment</c>
/// (<c>src/slave/slave.cpp</c>, <c>getExecutorInfo</c>) and applies it over the executor's whole
/// environment (<c>src/slave/containerizer/docker.cpp</c>, <c>launchExecutorProcess</c>), so before
/// SUBSCRIBED the executor cannot tell the operator's variables from the task's. SUBSCRIBED lists
/// the task's. A configuration variable that the task brought and the configuration used means the
/// task chose a setting (and overwrote whatever the operator set under that name): every task is
/// refused with TASK_FAILED. One that was not used is only logged.
/// </summary>
internal sealed class TaskEnvironmentGuard
{
    private readonly IReadOnlyList<string> _applied;
    private readonly ILogger _logger;

    /// <summary>Creates the guard.</summary>
    /// <param name="applied">The variables the configuration used (<see cref="ExecutorSettings.EnvironmentApplied"/>).</param>
    /// <param name="logger">Where refused variables are named (never their values).</param>
    public TaskEnvironmentGuard(IReadOnlyList<string> applied, ILogger logger)
    {
        _applied = applied;
        _logger = logger;
    }

    /// <summary>Checks the SUBSCRIBED event (for <see cref="MesosExecutorBuilder.OnSubscribed"/>).</summary>
    /// <param name="subscribed">The event.</param>
    /// <exception cref="ExecutorConfigurationException">The task's environment set a variable the configuration used.</exception>
    public void Check(Event.Types.Subscribed subscribed)
    {
        var used = new List<string>();
        foreach (string name in TaskSupplied(subscribed))
        {
            if (!EnvironmentAllowList.IsConfigurationVariable(name))
            {
                continue;
            }

            Log.TaskVariableRefused(_logger, name);
            if (_applied.Contains(name))
            {
                used.Add(name);
            }
        }

        if (used.Count > 0)
        {
            throw new ExecutorConfigurationException(
                $"The task's environment sets {string.Join(", ", used)}, which configure this executor; tasks cannot configure the executor, so it runs no task (the operator's environment_overrides allows these keys from the environment, and the agent puts the task's variables over the operator's)");
        }
    }

    /// <summary>The names of the variables the agent took from the task (ExecutorInfo.command.environment).</summary>
    /// <param name="subscribed">The event.</param>
    /// <returns>The names, as listed.</returns>
    public static IEnumerable<string> TaskSupplied(Event.Types.Subscribed subscribed)
    {
        if (subscribed.ExecutorInfo?.Command?.Environment is not { } environment)
        {
            yield break;
        }

        foreach (Mesos.V1.Environment.Types.Variable variable in environment.Variables)
        {
            yield return variable.Name;
        }
    }
}
