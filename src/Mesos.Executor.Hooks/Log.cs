using System;
using Microsoft.Extensions.Logging;

namespace Mesos.Executor.Hooks;

/// <summary>Every log message of the hooks (event ids 3000-3999). Never logs task environment values.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3000, EventName = "HookContainerRemoved", Level = LogLevel.Debug,
        Message = "remove-container: removed container {ContainerId} of task {TaskId}")]
    public static partial void ContainerRemoved(this ILogger logger, string taskId, string containerId);

    [LoggerMessage(EventId = 3010, EventName = "HookAclNoLabel", Level = LogLevel.Debug,
        Message = "acl: task {TaskId} has no {LabelName} label; no ACL")]
    public static partial void AclNoLabel(this ILogger logger, string taskId, string labelName);

    [LoggerMessage(EventId = 3011, EventName = "HookAclApplied", Level = LogLevel.Information,
        Message = "acl: task {TaskId} (container {ContainerId}) accepts {SourceCount} listed source(s); {RuleCount} rule(s) added in its network namespace")]
    public static partial void AclApplied(this ILogger logger, string taskId, string containerId, int sourceCount, int ruleCount);

    [LoggerMessage(EventId = 3012, EventName = "HookAclRemoved", Level = LogLevel.Information,
        Message = "acl: removed {RuleCount} rule(s) of task {TaskId}")]
    public static partial void AclRemoved(this ILogger logger, string taskId, int ruleCount);

    [LoggerMessage(EventId = 3013, EventName = "HookAclNamespaceGone", Level = LogLevel.Debug,
        Message = "acl: the network namespace of task {TaskId} is gone, and its {RuleCount} rule(s) with it")]
    public static partial void AclNamespaceGone(this ILogger logger, string taskId, int ruleCount);

    [LoggerMessage(EventId = 3020, EventName = "HookNetnsLinked", Level = LogLevel.Information,
        Message = "netns: task {TaskId} network namespace is named {NetnsName} (-> {Target})")]
    public static partial void NetnsLinked(this ILogger logger, string taskId, string netnsName, string target);

    [LoggerMessage(EventId = 3021, EventName = "HookNetnsUnlinked", Level = LogLevel.Debug,
        Message = "netns: removed the name {NetnsName} of task {TaskId}")]
    public static partial void NetnsUnlinked(this ILogger logger, string taskId, string netnsName);

    [LoggerMessage(EventId = 3030, EventName = "HookIptablesApplied", Level = LogLevel.Information,
        Message = "iptables: task {TaskId}: {AddedCount} host rule(s) added, {PresentCount} already present")]
    public static partial void IptablesApplied(this ILogger logger, string taskId, int addedCount, int presentCount);

    [LoggerMessage(EventId = 3031, EventName = "HookIptablesRemoved", Level = LogLevel.Information,
        Message = "iptables: removed {RuleCount} host rule(s) of task {TaskId}")]
    public static partial void IptablesRemoved(this ILogger logger, string taskId, int ruleCount);

    [LoggerMessage(EventId = 3032, EventName = "HookIptablesSkipped", Level = LogLevel.Debug,
        Message = "iptables: no rule for task {TaskId}: {Reason}")]
    public static partial void IptablesSkipped(this ILogger logger, string taskId, string reason);

    [LoggerMessage(EventId = 3033, EventName = "HookIptablesChainCreated", Level = LogLevel.Information,
        Message = "iptables: created chain {Chain} in table {Table}")]
    public static partial void IptablesChainCreated(this ILogger logger, string table, string chain);

    [LoggerMessage(EventId = 3040, EventName = "HookNetworkForced", Level = LogLevel.Information,
        Message = "network: task {TaskId} joins Docker network {NetworkName} ({RemovedParameters} overriding parameter(s) removed)")]
    public static partial void NetworkForced(this ILogger logger, string taskId, string networkName, int removedParameters);

    [LoggerMessage(EventId = 3050, EventName = "HookPrivilegedAllowed", Level = LogLevel.Information,
        Message = "deny-privileged: task {TaskId} runs privileged, allowed for framework {FrameworkName}")]
    public static partial void PrivilegedAllowed(this ILogger logger, string taskId, string frameworkName);

    [LoggerMessage(EventId = 3060, EventName = "HookBridgeForced", Level = LogLevel.Information,
        Message = "force-bridge: task {TaskId} network {Network} rewritten to BRIDGE ({RemovedParameters} overriding parameter(s) removed)")]
    public static partial void BridgeForced(this ILogger logger, string taskId, string network, int removedParameters);

    [LoggerMessage(EventId = 3070, EventName = "HookExecCompleted", Level = LogLevel.Information,
        Message = "exec: {Phase} command {Program} for task {TaskId} exited with status {ExitCode} after {Elapsed}")]
    public static partial void ExecCompleted(this ILogger logger, string taskId, string phase, string program, int exitCode, TimeSpan elapsed);

    [LoggerMessage(EventId = 3071, EventName = "HookExecOutput", Level = LogLevel.Information,
        Message = "exec: {Phase} command {Program} for task {TaskId} wrote on {Stream}: {Output}{Truncated}")]
    public static partial void ExecOutput(this ILogger logger, string taskId, string phase, string program, string stream, string output, string truncated);

    [LoggerMessage(EventId = 3072, EventName = "HookExecFailed", Level = LogLevel.Warning,
        Message = "exec: {Phase} command {Program} for task {TaskId} failed: {Reason}; the task goes on")]
    public static partial void ExecFailed(this ILogger logger, string taskId, string phase, string program, string reason);
}
