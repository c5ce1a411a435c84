using System;
using System.Collections.Generic;

namespace Mesos.Executor.Reference.Configuration;

/// <summary>Every key that an environment variable can override.</summary>
internal static class ConfigKeys
{
    /// <summary>The table. Lists are comma-separated in the environment; maps are <c>key=value</c> pairs separated by commas.</summary>
    public static readonly IReadOnlyList<ConfigKey> All =
    [
        new("logging.level", (d, v) => Logging(d).Level = v),
        new("logging.format", (d, v) => Logging(d).Format = v),
        new("docker.socket", (d, v) => Docker(d).Socket = v),
        new("docker.api_version", (d, v) => Docker(d).ApiVersion = v),
        new("docker.pull_policy", (d, v) => Docker(d).PullPolicy = v),
        new("docker.extra_labels", (d, v) => Docker(d).ExtraLabels = ParseMap(v)),
        new("hooks.enabled", (d, v) => Hooks(d).Enabled = ParseList(v)),
        new("hooks.priorities", (d, v) => Hooks(d).Priorities = ParseMap(v)),
        new("health_checks.enabled", (d, v) => HealthChecks(d).Enabled = v),
        new("health_checks.checks_enabled", (d, v) => HealthChecks(d).ChecksEnabled = v),
        new("timeouts.default_kill_grace", (d, v) => Timeouts(d).DefaultKillGrace = v),
        new("timeouts.terminal_ack_failsafe", (d, v) => Timeouts(d).TerminalAckFailsafe = v),
        new("timeouts.drain_delay", (d, v) => Timeouts(d).DrainDelay = v),
        new("timeouts.max_drain_delay", (d, v) => Timeouts(d).MaxDrainDelay = v),
        new("memory.release_file_pages", (d, v) => Memory(d).ReleaseFilePages = v),
        new("memory.release_interval", (d, v) => Memory(d).ReleaseInterval = v),
        new("hooks.acl.label_name", (d, v) => (Hooks(d).Acl ??= new()).LabelName = v),
        new("hooks.acl.default_allowed_sources", (d, v) => (Hooks(d).Acl ??= new()).DefaultAllowedSources = ParseList(v)),
        new("hooks.acl.filter_ipv6", (d, v) => (Hooks(d).Acl ??= new()).FilterIpv6 = v),
        new("hooks.acl.iptables_command", (d, v) => (Hooks(d).Acl ??= new()).IptablesCommand = v),
        new("hooks.acl.ip6tables_command", (d, v) => (Hooks(d).Acl ??= new()).Ip6tablesCommand = v),
        new("hooks.acl.nsenter_command", (d, v) => (Hooks(d).Acl ??= new()).NsenterCommand = v),
        new("hooks.netns.directory", (d, v) => (Hooks(d).Netns ??= new()).Directory = v),
        new("hooks.iptables.filter_chain", (d, v) => (Hooks(d).Iptables ??= new()).FilterChain = v),
        new("hooks.iptables.nat_chain", (d, v) => (Hooks(d).Iptables ??= new()).NatChain = v),
        new("hooks.iptables.bridge_interface", (d, v) => (Hooks(d).Iptables ??= new()).BridgeInterface = v),
        new("hooks.iptables.enable_forwarding", (d, v) => (Hooks(d).Iptables ??= new()).EnableForwarding = v),
        new("hooks.iptables.enable_masquerading", (d, v) => (Hooks(d).Iptables ??= new()).EnableMasquerading = v),
        new("hooks.iptables.iptables_command", (d, v) => (Hooks(d).Iptables ??= new()).IptablesCommand = v),
        new("hooks.network.network_name", (d, v) => (Hooks(d).Network ??= new()).NetworkName = v),
        new("hooks.deny-privileged.allowed_frameworks", (d, v) => (Hooks(d).DenyPrivileged ??= new()).AllowedFrameworks = ParseList(v)),
        new("hooks.sandbox-volumes.allowed_host_paths", (d, v) => (Hooks(d).SandboxVolumes ??= new()).AllowedHostPaths = ParseList(v)),
        new("hooks.force-bridge.refuse", (d, v) => (Hooks(d).ForceBridge ??= new()).Refuse = v),
    ];

    /// <summary>Splits <c>a, b,c</c> into its non-empty entries.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The entries.</returns>
    public static List<string> ParseList(string text)
    {
        var list = new List<string>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            list.Add(part);
        }

        return list;
    }

    /// <summary>Splits <c>a=1,b=2</c> into a map; an entry without <c>=</c> maps to the empty string.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The map.</returns>
    public static Dictionary<string, string> ParseMap(string text)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                map[part] = string.Empty;
            }
            else
            {
                map[part[..eq].Trim()] = part[(eq + 1)..].Trim();
            }
        }

        return map;
    }

    private static LoggingSection Logging(ConfigDocument d) => d.Logging ??= new LoggingSection();

    private static DockerSection Docker(ConfigDocument d) => d.Docker ??= new DockerSection();

    private static HooksSection Hooks(ConfigDocument d) => d.Hooks ??= new HooksSection();

    private static HealthChecksSection HealthChecks(ConfigDocument d) => d.HealthChecks ??= new HealthChecksSection();

    private static TimeoutsSection Timeouts(ConfigDocument d) => d.Timeouts ??= new TimeoutsSection();

    private static MemorySection Memory(ConfigDocument d) => d.Memory ??= new MemorySection();
}
