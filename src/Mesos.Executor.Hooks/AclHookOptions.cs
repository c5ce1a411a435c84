using System.Collections.Generic;
using Mesos.Executor.Core;
using Mesos.Executor.Hooks.Internal;

namespace Mesos.Executor.Hooks;

/// <summary>Options of the <c>acl</c> hook (<see cref="AclHook"/>).</summary>
public sealed class AclHookOptions
{
    /// <summary>The hook's priority (higher runs first).</summary>
    /// <value>Default <c>200</c>.</value>
    public int Priority { get; init; } = 200;

    /// <summary>The task label holding the comma-separated list of allowed sources.</summary>
    /// <value>Default <c>EXECUTOR_ALLOWED_IP</c>.</value>
    public string LabelName { get; init; } = "EXECUTOR_ALLOWED_IP";

    /// <summary>
    /// Sources (addresses or CIDR networks) allowed for every task that has the label, accepted after
    /// the label's own. Tasks without the label get no ACL at all.
    /// </summary>
    /// <value>Default empty.</value>
    public IReadOnlyList<string> DefaultAllowedSources { get; init; } = [];

    /// <summary>
    /// Whether the ACL also applies to IPv6 (with <c>ip6tables</c>): when <see langword="true"/>, IPv6
    /// traffic is dropped except from the IPv6 entries, the container's IPv6 gateways, loopback,
    /// established connections and neighbour discovery. When <see langword="false"/>, IPv6 is left
    /// alone and an IPv6 entry fails the task.
    /// </summary>
    /// <value>Default <see langword="true"/>.</value>
    public bool FilterIPv6 { get; init; } = true;

    /// <summary>The <c>iptables</c> program.</summary>
    /// <value>Default <c>iptables</c> (looked up in PATH).</value>
    public string IptablesCommand { get; init; } = "iptables";

    /// <summary>The <c>ip6tables</c> program.</summary>
    /// <value>Default <c>ip6tables</c> (looked up in PATH).</value>
    public string Ip6tablesCommand { get; init; } = "ip6tables";

    /// <summary>The <c>nsenter</c> program (util-linux) used to enter the container's network namespace.</summary>
    /// <value>Default <c>nsenter</c> (looked up in PATH).</value>
    public string NsenterCommand { get; init; } = "nsenter";

    /// <summary>Checks the options and reports every problem at once.</summary>
    /// <exception cref="ExecutorConfigurationException">A value is invalid; the message lists them all.</exception>
    public void Validate() => _ = ParseDefaultSources();

    /// <summary>Validates and returns the parsed <see cref="DefaultAllowedSources"/>.</summary>
    internal List<CidrBlock> ParseDefaultSources()
    {
        var errors = new OptionErrors(HookNames.Acl);
        if (string.IsNullOrWhiteSpace(LabelName))
        {
            errors.Add("label_name must not be empty");
        }

        RequireCommand(errors, "iptables_command", IptablesCommand);
        RequireCommand(errors, "ip6tables_command", Ip6tablesCommand);
        RequireCommand(errors, "nsenter_command", NsenterCommand);

        var sources = new List<CidrBlock>();
        if (DefaultAllowedSources is null)
        {
            errors.Add("default_allowed_sources must not be null");
        }
        else
        {
            for (int i = 0; i < DefaultAllowedSources.Count; i++)
            {
                string entry = DefaultAllowedSources[i]?.Trim() ?? string.Empty;
                if (!CidrBlock.TryParse(entry, out CidrBlock block, out string error))
                {
                    errors.Add($"default_allowed_sources[{i}] '{entry}': {error}");
                }
                else if (block.Family == IpFamily.IPv6 && !FilterIPv6)
                {
                    errors.Add($"default_allowed_sources[{i}] '{entry}' is IPv6 but filter_ipv6 is false");
                }
                else
                {
                    sources.Add(block);
                }
            }
        }

        errors.ThrowIfAny();
        return sources;
    }

    internal static void RequireCommand(OptionErrors errors, string key, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add($"{key} must not be empty");
        }
    }
}
