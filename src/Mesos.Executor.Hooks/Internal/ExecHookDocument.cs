using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace Mesos.Executor.Hooks.Internal;

/// <summary>The JSON document an <c>exec</c> hook command reads on stdin: the task and the moment.</summary>
internal sealed class ExecHookDocument
{
    public required string Phase { get; init; }

    public required string TaskId { get; init; }

    public required string TaskName { get; init; }

    public required string FrameworkId { get; init; }

    public string? FrameworkName { get; init; }

    public required string ExecutorId { get; init; }

    public string? AgentId { get; init; }

    public string? AgentHostname { get; init; }

    public List<ExecHookLabel> Labels { get; init; } = [];

    public string? ContainerId { get; init; }

    public string? ContainerName { get; init; }

    public List<string> ContainerIps { get; init; } = [];

    public List<ExecHookPortMapping> PortMappings { get; init; } = [];

    /// <summary>TASK_STARTING, TASK_RUNNING, TASK_KILLING, the terminal state, ...; <see langword="null"/> when unknown.</summary>
    public string? State { get; init; }

    public bool? Healthy { get; init; }

    public ExecHookCheckStatus? CheckStatus { get; init; }

    public string? SandboxDirectory { get; init; }
}

/// <summary>One task label (labels may repeat, so a list rather than an object).</summary>
internal sealed record ExecHookLabel(string Key, string Value);

/// <summary>A container port published on the host.</summary>
internal sealed record ExecHookPortMapping(int HostPort, int ContainerPort, string Protocol, string? HostIp);

/// <summary>The generalized check's latest result.</summary>
internal sealed class ExecHookCheckStatus
{
    public required string Type { get; init; }

    public int? CommandExitCode { get; init; }

    public int? HttpStatusCode { get; init; }

    public bool? TcpSucceeded { get; init; }
}

/// <summary>Source-generated serializer (NativeAOT: no reflection).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ExecHookDocument))]
internal sealed partial class ExecHookJsonContext : JsonSerializerContext
{
}
