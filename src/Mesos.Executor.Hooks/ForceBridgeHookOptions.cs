using Mesos.Executor.Core;
using Mesos.Executor.Hooks.Internal;

namespace Mesos.Executor.Hooks;

/// <summary>Options of the <c>force-bridge</c> hook (<see cref="ForceBridgeHook"/>).</summary>
public sealed class ForceBridgeHookOptions
{
    /// <summary>The hook's priority (higher runs first).</summary>
    /// <value>Default <c>500</c>.</value>
    public int Priority { get; init; } = 500;

    /// <summary>
    /// Whether to fail tasks asking for HOST or NONE networking (or a <c>net</c>/<c>network</c>
    /// parameter of <c>host</c>, <c>none</c> or <c>container:...</c>) instead of rewriting them to BRIDGE.
    /// </summary>
    /// <value>Default <see langword="false"/>: rewrite.</value>
    public bool Refuse { get; init; }

    /// <summary>Checks the options.</summary>
    /// <exception cref="ExecutorConfigurationException">Never for now: every value is valid.</exception>
    public void Validate() => new OptionErrors(HookNames.ForceBridge).ThrowIfAny();
}
