using System;
using System.Collections.Generic;
using System.IO;
using Mesos.Executor.Core;
using Mesos.Executor.Hooks.Internal;

namespace Mesos.Executor.Hooks;

/// <summary>Options of the <c>exec</c> hook (<see cref="ExecHook"/>). Operator configuration only: nothing a task brings names a command.</summary>
public sealed class ExecHookOptions
{
    /// <summary>The default of <see cref="MaxOutputBytes"/>: 4 KiB.</summary>
    public const int DefaultMaxOutputBytes = 4096;

    /// <summary>The hook's priority (higher runs first).</summary>
    /// <value>Default <c>0</c>: after the other hooks of this package, so a pre-create command sees the final spec.</value>
    public int Priority { get; init; }

    /// <summary>The command of each phase; phases without one do nothing.</summary>
    /// <value>Default: none.</value>
    public IReadOnlyDictionary<HookPhase, ExecHookCommand> Commands { get; init; } = new Dictionary<HookPhase, ExecHookCommand>();

    /// <summary>How much of each of a command's stdout and stderr goes to the executor's log; the rest is counted and dropped.</summary>
    /// <value>Default <see cref="DefaultMaxOutputBytes"/>.</value>
    public int MaxOutputBytes { get; init; } = DefaultMaxOutputBytes;

    /// <summary>Checks the options.</summary>
    /// <exception cref="ExecutorConfigurationException">A command is missing, not an absolute path, has a non-positive timeout, or fails the task in a phase that cannot; the message lists every problem.</exception>
    public void Validate()
    {
        var errors = new OptionErrors(HookNames.Exec);
        if (MaxOutputBytes <= 0)
        {
            errors.Add($"max_output_bytes must be positive (was {MaxOutputBytes})");
        }

        if (Commands is null)
        {
            errors.Add("commands must not be null");
            errors.ThrowIfAny();
            return;
        }

        foreach ((HookPhase phase, ExecHookCommand? command) in Commands)
        {
            string name = ExecHook.PhaseName(phase);
            if (!Enum.IsDefined(phase))
            {
                errors.Add($"'{phase}' is not a hook phase");
                continue;
            }

            if (command is null)
            {
                errors.Add($"{name}: the command is null");
                continue;
            }

            if (command.Command is not { Count: > 0 } argv || string.IsNullOrEmpty(argv[0]))
            {
                errors.Add($"{name}.command: must name a program (an argument array, the first entry an absolute path)");
            }
            else if (!Path.IsPathFullyQualified(argv[0]))
            {
                errors.Add($"{name}.command: '{argv[0]}' is not an absolute path (no PATH lookup, no shell)");
            }
            else
            {
                for (int i = 0; i < argv.Count; i++)
                {
                    if (argv[i] is null || argv[i].Contains('\0', StringComparison.Ordinal))
                    {
                        errors.Add($"{name}.command[{i}] is null or contains a NUL character");
                    }
                }
            }

            if (command.Timeout <= TimeSpan.Zero)
            {
                errors.Add($"{name}.timeout must be positive (was {command.Timeout})");
            }

            if (command.FailTask && !ExecHook.CanFailTask(phase))
            {
                errors.Add($"{name}.fail_task: only pre-create, pre-run and post-run can fail a task");
            }
        }

        errors.ThrowIfAny();
    }
}
