using System.Collections.Generic;
using Mesos.Executor.Core;
using Mesos.Executor.Hooks.Internal;

namespace Mesos.Executor.Hooks;

/// <summary>Options of the <c>deny-privileged</c> hook (<see cref="DenyPrivilegedHook"/>).</summary>
public sealed class DenyPrivilegedHookOptions
{
    /// <summary>The hook's priority (higher runs first).</summary>
    /// <value>Default <c>1000</c>: policies run before the hooks that change the spec.</value>
    public int Priority { get; init; } = 1000;

    /// <summary>Frameworks (by name or by id, exact match) whose tasks may run privileged containers.</summary>
    /// <value>Default empty: nobody.</value>
    public IReadOnlyList<string> AllowedFrameworks { get; init; } = [];

    /// <summary>Checks the options and reports every problem at once.</summary>
    /// <exception cref="ExecutorConfigurationException">A value is invalid; the message lists them all.</exception>
    public void Validate()
    {
        var errors = new OptionErrors(HookNames.DenyPrivileged);
        errors.RequireEntries("allowed_frameworks", AllowedFrameworks);
        errors.ThrowIfAny();
    }
}
