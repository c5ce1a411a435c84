using System;
using System.Collections.Generic;
using Mesos.V1;

namespace Mesos.Executor.Core;

/// <summary>
/// Everything a containerizer needs to create a task's container. Pre-create hooks may change it
/// (image, network, volumes, environment, labels, privileged) by editing <see cref="Task"/>,
/// <see cref="Environment"/> and <see cref="Labels"/> before the container is created.
/// </summary>
public sealed class ContainerSpec
{
    /// <summary>A private copy of the task; its <c>container</c> and <c>command</c> describe the container.</summary>
    public required TaskInfo Task { get; init; }

    /// <summary>The framework that launched the task.</summary>
    public required FrameworkInfo Framework { get; init; }

    /// <summary>This executor.</summary>
    public required ExecutorInfo Executor { get; init; }

    /// <summary>The agent, when known from SUBSCRIBED.</summary>
    public AgentInfo? Agent { get; init; }

    /// <summary>
    /// The container name to use, or <see langword="null"/> to let the containerizer choose
    /// (the Docker containerizer uses <c>--container</c>, else <c>mesos-&lt;uuid&gt;</c>).
    /// </summary>
    public string? ContainerName { get; set; }

    /// <summary>The sandbox directory on the host (<c>MESOS_DIRECTORY</c>), when there is one.</summary>
    public string? SandboxDirectory { get; init; }

    /// <summary>Environment variables added to the task's own (<c>command.environment</c>); later entries win.</summary>
    public IDictionary<string, string> Environment { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Labels added to the container besides the task's labels.</summary>
    public IDictionary<string, string> Labels { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
