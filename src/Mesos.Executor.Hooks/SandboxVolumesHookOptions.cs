using System.Collections.Generic;
using Mesos.Executor.Core;
using Mesos.Executor.Hooks.Internal;

namespace Mesos.Executor.Hooks;

/// <summary>Options of the <c>sandbox-volumes</c> hook (<see cref="SandboxVolumesHook"/>).</summary>
public sealed class SandboxVolumesHookOptions
{
    /// <summary>The hook's priority (higher runs first).</summary>
    /// <value>Default <c>1000</c>: policies run before the hooks that change the spec.</value>
    public int Priority { get; init; } = 1000;

    /// <summary>Absolute host paths that may be mounted besides the sandbox (each with everything under it).</summary>
    /// <value>Default empty: only the sandbox.</value>
    public IReadOnlyList<string> AllowedHostPaths { get; init; } = [];

    /// <summary>Checks the options and reports every problem at once.</summary>
    /// <exception cref="ExecutorConfigurationException">A value is invalid; the message lists them all.</exception>
    public void Validate()
    {
        var errors = new OptionErrors(HookNames.SandboxVolumes);
        errors.RequireEntries("allowed_host_paths", AllowedHostPaths);
        if (AllowedHostPaths is not null)
        {
            for (int i = 0; i < AllowedHostPaths.Count; i++)
            {
                string? path = AllowedHostPaths[i];
                if (!string.IsNullOrWhiteSpace(path) && !path.StartsWith('/'))
                {
                    errors.Add($"allowed_host_paths[{i}] '{path}' must be absolute");
                }
            }
        }

        errors.ThrowIfAny();
    }
}
