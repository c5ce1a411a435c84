using System.Collections.Generic;

namespace Mesos.Executor.Reference.Configuration;

// The per-hook settings sections under `hooks:`, one per hook of Mesos.Executor.Hooks that has
// settings (remove-container has none but its priority). Each mirrors the hook's XxxHookOptions;
// priorities live in hooks.priorities.

/// <summary><c>hooks.acl</c>: <see cref="Mesos.Executor.Hooks.AclHookOptions"/>.</summary>
internal sealed class AclSection
{
    /// <summary><c>label_name</c>.</summary>
    public string? LabelName { get; set; }

    /// <summary><c>default_allowed_sources</c>.</summary>
    public List<string>? DefaultAllowedSources { get; set; }

    /// <summary><c>filter_ipv6</c>.</summary>
    public string? FilterIpv6 { get; set; }

    /// <summary><c>iptables_command</c>.</summary>
    public string? IptablesCommand { get; set; }

    /// <summary><c>ip6tables_command</c>.</summary>
    public string? Ip6tablesCommand { get; set; }

    /// <summary><c>nsenter_command</c>.</summary>
    public string? NsenterCommand { get; set; }
}

/// <summary><c>hooks.netns</c>: <see cref="Mesos.Executor.Hooks.NetnsHookOptions"/>.</summary>
internal sealed class NetnsSection
{
    /// <summary><c>directory</c>.</summary>
    public string? Directory { get; set; }
}

/// <summary><c>hooks.iptables</c>: <see cref="Mesos.Executor.Hooks.IptablesHookOptions"/>.</summary>
internal sealed class IptablesSection
{
    /// <summary><c>filter_chain</c>.</summary>
    public string? FilterChain { get; set; }

    /// <summary><c>nat_chain</c>.</summary>
    public string? NatChain { get; set; }

    /// <summary><c>bridge_interface</c>.</summary>
    public string? BridgeInterface { get; set; }

    /// <summary><c>enable_forwarding</c>.</summary>
    public string? EnableForwarding { get; set; }

    /// <summary><c>enable_masquerading</c>.</summary>
    public string? EnableMasquerading { get; set; }

    /// <summary><c>iptables_command</c>.</summary>
    public string? IptablesCommand { get; set; }
}

/// <summary><c>hooks.network</c>: <see cref="Mesos.Executor.Hooks.NetworkHookOptions"/>.</summary>
internal sealed class NetworkSection
{
    /// <summary><c>network_name</c>.</summary>
    public string? NetworkName { get; set; }
}

/// <summary><c>hooks.deny-privileged</c>: <see cref="Mesos.Executor.Hooks.DenyPrivilegedHookOptions"/>.</summary>
internal sealed class DenyPrivilegedSection
{
    /// <summary><c>allowed_frameworks</c>.</summary>
    public List<string>? AllowedFrameworks { get; set; }
}

/// <summary><c>hooks.sandbox-volumes</c>: <see cref="Mesos.Executor.Hooks.SandboxVolumesHookOptions"/>.</summary>
internal sealed class SandboxVolumesSection
{
    /// <summary><c>allowed_host_paths</c>.</summary>
    public List<string>? AllowedHostPaths { get; set; }
}

/// <summary><c>hooks.force-bridge</c>: <see cref="Mesos.Executor.Hooks.ForceBridgeHookOptions"/>.</summary>
internal sealed class ForceBridgeSection
{
    /// <summary><c>refuse</c>.</summary>
    public string? Refuse { get; set; }
}

/// <summary><c>hooks.exec</c>: <see cref="Mesos.Executor.Hooks.ExecHookOptions"/>, one command per phase.</summary>
internal sealed class ExecSection
{
    /// <summary><c>max_output_bytes</c>.</summary>
    public string? MaxOutputBytes { get; set; }

    /// <summary><c>pre-create</c>.</summary>
    public ExecCommandSection? PreCreate { get; set; }

    /// <summary><c>pre-run</c>.</summary>
    public ExecCommandSection? PreRun { get; set; }

    /// <summary><c>post-run</c>.</summary>
    public ExecCommandSection? PostRun { get; set; }

    /// <summary><c>ready</c>.</summary>
    public ExecCommandSection? Ready { get; set; }

    /// <summary><c>health-changed</c>.</summary>
    public ExecCommandSection? HealthChanged { get; set; }

    /// <summary><c>draining</c>.</summary>
    public ExecCommandSection? Draining { get; set; }

    /// <summary><c>pre-stop</c>.</summary>
    public ExecCommandSection? PreStop { get; set; }

    /// <summary><c>post-stop</c>.</summary>
    public ExecCommandSection? PostStop { get; set; }
}

/// <summary>One phase of <c>hooks.exec</c>: <see cref="Mesos.Executor.Hooks.ExecHookCommand"/>.</summary>
internal sealed class ExecCommandSection
{
    /// <summary><c>command</c>: the program (an absolute path) and its arguments.</summary>
    public List<string>? Command { get; set; }

    /// <summary><c>timeout</c>, a Mesos duration.</summary>
    public string? Timeout { get; set; }

    /// <summary><c>fail_task</c> (pre-create, pre-run and post-run only).</summary>
    public string? FailTask { get; set; }
}
