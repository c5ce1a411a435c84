using Mesos.Executor.Core;
using Mesos.Executor.Hooks.Internal;

namespace Mesos.Executor.Hooks;

/// <summary>Options of the <c>netns</c> hook (<see cref="NetnsHook"/>).</summary>
public sealed class NetnsHookOptions
{
    /// <summary>The hook's priority (higher runs first).</summary>
    /// <value>Default <c>300</c>.</value>
    public int Priority { get; init; } = 300;

    /// <summary>The directory <c>ip netns</c> reads named namespaces from; created when missing.</summary>
    /// <value>Default <c>/var/run/netns</c>.</value>
    public string Directory { get; init; } = "/var/run/netns";

    /// <summary>Checks the options and reports every problem at once.</summary>
    /// <exception cref="ExecutorConfigurationException">A value is invalid; the message lists them all.</exception>
    public void Validate()
    {
        var errors = new OptionErrors(HookNames.Netns);
        if (string.IsNullOrWhiteSpace(Directory) || !Directory.StartsWith('/'))
        {
            errors.Add($"directory '{Directory}' must be an absolute path");
        }

        errors.ThrowIfAny();
    }
}
