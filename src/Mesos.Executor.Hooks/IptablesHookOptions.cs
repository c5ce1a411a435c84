using System;
using Mesos.Executor.Core;
using Mesos.Executor.Hooks.Internal;

namespace Mesos.Executor.Hooks;

/// <summary>Options of the <c>iptables</c> hook (<see cref="IptablesHook"/>).</summary>
public sealed class IptablesHookOptions
{
    /// <summary>The hook's priority (higher runs first).</summary>
    /// <value>Default <c>200</c>.</value>
    public int Priority { get; init; } = 200;

    /// <summary>The chain of the <c>filter</c> table holding the forwarding rules, jumped to from <c>FORWARD</c>.</summary>
    /// <value>Default <c>MESOS-EXECUTOR-FORWARD</c>.</value>
    public string FilterChain { get; init; } = "MESOS-EXECUTOR-FORWARD";

    /// <summary>The chain of the <c>nat</c> table holding the masquerading rules, jumped to from <c>POSTROUTING</c>.</summary>
    /// <value>Default <c>MESOS-EXECUTOR-POSTROUTING</c>.</value>
    public string NatChain { get; init; } = "MESOS-EXECUTOR-POSTROUTING";

    /// <summary>The bridge interface the containers are attached to.</summary>
    /// <value>Default <c>docker0</c>.</value>
    public string BridgeInterface { get; init; } = "docker0";

    /// <summary>Whether to accept forwarded traffic to and from the container's published ports.</summary>
    /// <value>Default <see langword="true"/>.</value>
    public bool EnableForwarding { get; init; } = true;

    /// <summary>Whether to masquerade the container's outbound traffic and its hairpin traffic.</summary>
    /// <value>Default <see langword="true"/>.</value>
    public bool EnableMasquerading { get; init; } = true;

    /// <summary>The <c>iptables</c> program.</summary>
    /// <value>Default <c>iptables</c> (looked up in PATH).</value>
    public string IptablesCommand { get; init; } = "iptables";

    /// <summary>Checks the options and reports every problem at once.</summary>
    /// <exception cref="ExecutorConfigurationException">A value is invalid; the message lists them all.</exception>
    public void Validate()
    {
        var errors = new OptionErrors(HookNames.Iptables);
        ValidateChain(errors, "filter_chain", FilterChain);
        ValidateChain(errors, "nat_chain", NatChain);
        if (BridgeInterface is null || !Names.IsValidInterfaceName(BridgeInterface))
        {
            errors.Add($"bridge_interface '{BridgeInterface}' is not an interface name (1-{Names.MaxInterfaceNameLength} of letters, digits, '.', '_', '-', '@', '+')");
        }

        AclHookOptions.RequireCommand(errors, "iptables_command", IptablesCommand);
        errors.ThrowIfAny();
    }

    private static void ValidateChain(OptionErrors errors, string key, string? chain)
    {
        if (chain is null || !Names.IsValidChainName(chain))
        {
            errors.Add($"{key} '{chain}' is not a chain name (1-{Names.MaxChainNameLength} of letters, digits, '.', '_', '-', not starting with '-')");
        }
        else if (chain is "INPUT" or "OUTPUT" or "FORWARD" or "PREROUTING" or "POSTROUTING")
        {
            errors.Add($"{key} '{chain}' is a built-in chain; name a chain of its own");
        }
        else if (chain.StartsWith("DOCKER", StringComparison.Ordinal))
        {
            errors.Add($"{key} '{chain}' would mix with Docker's own chains");
        }
    }
}
