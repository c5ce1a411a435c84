using Mesos.Executor.Core;
using Mesos.Executor.Hooks.Internal;

namespace Mesos.Executor.Hooks;

/// <summary>Options of the <c>remove-container</c> hook (<see cref="RemoveContainerHook"/>).</summary>
public sealed class RemoveContainerHookOptions
{
    /// <summary>The hook's priority (higher runs first).</summary>
    /// <value>Default <c>-1000</c>: after every other post-stop hook, which may still need the container.</value>
    public int Priority { get; init; } = -1000;

    /// <summary>Checks the options.</summary>
    /// <exception cref="ExecutorConfigurationException">Never for now: every value is valid.</exception>
    public void Validate() => new OptionErrors(HookNames.RemoveContainer).ThrowIfAny();
}
