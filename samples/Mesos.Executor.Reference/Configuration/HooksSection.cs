using System.Collections.Generic;

namespace Mesos.Executor.Reference.Configuration;

/// <summary>
/// <c>hooks</c>: which hooks run, in which order, and each hook's settings in a section named
/// like the hook (<c>hooks.acl</c>, <c>hooks.deny-privileged</c>, ...).
/// </summary>
internal sealed class HooksSection
{
    /// <summary><c>hooks.enabled</c>: hook names from the catalog.</summary>
    public List<string>? Enabled { get; set; }

    /// <summary><c>hooks.priorities</c>: hook name to priority (higher runs first), overriding each hook's default.</summary>
    public Dictionary<string, string>? Priorities { get; set; }

    /// <summary><c>hooks.acl</c>.</summary>
    public AclSection? Acl { get; set; }

    /// <summary><c>hooks.netns</c>.</summary>
    public NetnsSection? Netns { get; set; }

    /// <summary><c>hooks.iptables</c>.</summary>
    public IptablesSection? Iptables { get; set; }

    /// <summary><c>hooks.network</c>.</summary>
    public NetworkSection? Network { get; set; }

    /// <summary><c>hooks.deny-privileged</c>.</summary>
    public DenyPrivilegedSection? DenyPrivileged { get; set; }

    /// <summary><c>hooks.sandbox-volumes</c>.</summary>
    public SandboxVolumesSection? SandboxVolumes { get; set; }

    /// <summary><c>hooks.force-bridge</c>.</summary>
    public ForceBridgeSection? ForceBridge { get; set; }

    /// <summary><c>hooks.exec</c>: file only, never from the environment.</summary>
    public ExecSection? Exec { get; set; }
}
