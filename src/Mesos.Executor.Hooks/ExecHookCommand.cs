using System;
using System.Collections.Generic;

namespace Mesos.Executor.Hooks;

/// <summary>The command the <c>exec</c> hook runs in one phase (<see cref="ExecHookOptions.Commands"/>).</summary>
public sealed class ExecHookCommand
{
    /// <summary>The default of <see cref="Timeout"/>: 30 seconds.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The program and its arguments, one argv entry each: no shell, no quoting, no expansion.
    /// The program must be an absolute path.
    /// </summary>
    /// <value>Default: empty (invalid: a configured phase needs a command).</value>
    public IReadOnlyList<string> Command { get; init; } = [];

    /// <summary>How long the command may run; then it and its children are killed and the run counts as failed.</summary>
    /// <value>Default <see cref="DefaultTimeout"/>.</value>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>
    /// Whether a failure (non-zero exit, timeout, cannot start) fails the task. Only the launch
    /// phases (pre-create, pre-run, post-run) can fail a task; elsewhere a failure is logged.
    /// </summary>
    /// <value>Default <see langword="false"/>: logged, the task goes on.</value>
    public bool FailTask { get; init; }
}
