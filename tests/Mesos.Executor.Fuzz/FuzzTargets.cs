using System;
using System.Collections.Generic;
using System.Linq;
using Mesos.Executor.Fuzz.Targets;

namespace Mesos.Executor.Fuzz;

/// <summary>Every fuzz target, by name.</summary>
public static class FuzzTargets
{
    /// <summary>All targets, in the order the runner reports them.</summary>
    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        new AgentStreamTarget(),
        new ContainerMappingTarget(),
        new AclTarget(),
        new DurationTarget(),
        new DockerJsonFlagsTarget(),
        new ChecksTarget(),
        new YamlConfigTarget(),
        new RegistryConfigTarget(),
        new EngineAnswersTarget(),
        new LogStreamTarget(),
    ];

    /// <summary>The target named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No target has that name.</exception>
    public static FuzzTarget Get(string name) =>
        All.FirstOrDefault(t => t.Name == name)
        ?? throw new ArgumentException($"unknown fuzz target '{name}'; targets: {string.Join(", ", All.Select(t => t.Name))}", nameof(name));
}
