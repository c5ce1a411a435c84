namespace Mesos.Executor.Hooks;

/// <summary>
/// The options of every hook of this package, for <see cref="HookCatalog"/>. Only the options of the
/// hooks actually created are used (and validated); the others may stay at their defaults.
/// </summary>
public sealed class HookSettings
{
    /// <summary>Options of <c>remove-container</c>.</summary>
    /// <value>Default: the defaults of <see cref="RemoveContainerHookOptions"/>.</value>
    public RemoveContainerHookOptions RemoveContainer { get; init; } = new();

    /// <summary>Options of <c>acl</c>.</summary>
    /// <value>Default: the defaults of <see cref="AclHookOptions"/>.</value>
    public AclHookOptions Acl { get; init; } = new();

    /// <summary>Options of <c>netns</c>.</summary>
    /// <value>Default: the defaults of <see cref="NetnsHookOptions"/>.</value>
    public NetnsHookOptions Netns { get; init; } = new();

    /// <summary>Options of <c>iptables</c>.</summary>
    /// <value>Default: the defaults of <see cref="IptablesHookOptions"/>.</value>
    public IptablesHookOptions Iptables { get; init; } = new();

    /// <summary>Options of <c>network</c>.</summary>
    /// <value>Default: the defaults of <see cref="NetworkHookOptions"/>.</value>
    public NetworkHookOptions Network { get; init; } = new();

    /// <summary>Options of <c>deny-privileged</c>.</summary>
    /// <value>Default: the defaults of <see cref="DenyPrivilegedHookOptions"/>.</value>
    public DenyPrivilegedHookOptions DenyPrivileged { get; init; } = new();

    /// <summary>Options of <c>sandbox-volumes</c>.</summary>
    /// <value>Default: the defaults of <see cref="SandboxVolumesHookOptions"/>.</value>
    public SandboxVolumesHookOptions SandboxVolumes { get; init; } = new();

    /// <summary>Options of <c>force-bridge</c>.</summary>
    /// <value>Default: the defaults of <see cref="ForceBridgeHookOptions"/>.</value>
    public ForceBridgeHookOptions ForceBridge { get; init; } = new();

    /// <summary>Options of <c>exec</c>.</summary>
    /// <value>Default: the defaults of <see cref="ExecHookOptions"/> (no command).</value>
    public ExecHookOptions Exec { get; init; } = new();
}
