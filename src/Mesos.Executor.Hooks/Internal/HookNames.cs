namespace Mesos.Executor.Hooks.Internal;

/// <summary>The configuration names of the hooks in this package.</summary>
internal static class HookNames
{
    public const string RemoveContainer = "remove-container";
    public const string Acl = "acl";
    public const string Netns = "netns";
    public const string Iptables = "iptables";
    public const string Network = "network";
    public const string DenyPrivileged = "deny-privileged";
    public const string SandboxVolumes = "sandbox-volumes";
    public const string ForceBridge = "force-bridge";
    public const string Exec = "exec";
}
