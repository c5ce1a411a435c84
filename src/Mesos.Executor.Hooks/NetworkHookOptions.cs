using Mesos.Executor.Core;
using Mesos.Executor.Hooks.Internal;

namespace Mesos.Executor.Hooks;

/// <summary>Options of the <c>network</c> hook (<see cref="NetworkHook"/>).</summary>
public sealed class NetworkHookOptions
{
    /// <summary>The hook's priority (higher runs first).</summary>
    /// <value>Default <c>400</c>.</value>
    public int Priority { get; init; } = 400;

    /// <summary>
    /// The user-defined Docker network every container joins (it must exist); <see langword="null"/>
    /// for a network named after the task's framework (its name with characters Docker does not
    /// accept replaced by <c>-</c>).
    /// </summary>
    /// <value>Default <see langword="null"/>.</value>
    public string? NetworkName { get; init; }

    /// <summary>Checks the options and reports every problem at once.</summary>
    /// <exception cref="ExecutorConfigurationException">A value is invalid; the message lists them all.</exception>
    public void Validate()
    {
        var errors = new OptionErrors(HookNames.Network);
        if (NetworkName is not null && !Names.IsValidDockerNetworkName(NetworkName))
        {
            errors.Add($"network_name '{NetworkName}' is not a Docker network name ([a-zA-Z0-9][a-zA-Z0-9_.-]*)");
        }

        errors.ThrowIfAny();
    }
}
