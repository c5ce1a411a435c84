using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.Executor.Hooks.Internal;
using Mesos.V1;
using DockerNetwork = Mesos.V1.ContainerInfo.Types.DockerInfo.Types.Network;

namespace Mesos.Executor.Hooks;

/// <summary>
/// <c>force-bridge</c>: keeps containers off the host's network namespace. HOST and NONE networking
/// become BRIDGE (or fail the task when <see cref="ForceBridgeHookOptions.Refuse"/> is set).
/// </summary>
/// <remarks>
/// Before the container is created (pre-create). A task without a network mode is HOST (the Mesos
/// default) and so is rewritten; missing container or Docker settings are created. Docker
/// parameters <c>net</c> / <c>network</c> with value <c>host</c>, <c>none</c> or
/// <c>container:...</c>, which would override the mode, are removed (or refused). BRIDGE and USER
/// networks are left alone. A rewritten task is reachable only through its port mappings.
/// </remarks>
public sealed class ForceBridgeHook : IHook
{
    private readonly ForceBridgeHookOptions _options;

    /// <summary>Creates the hook.</summary>
    /// <param name="options">Its options; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ExecutorConfigurationException">The options are invalid.</exception>
    public ForceBridgeHook(ForceBridgeHookOptions? options = null)
    {
        _options = options ?? new ForceBridgeHookOptions();
        _options.Validate();
    }

    /// <inheritdoc />
    public string Name => HookNames.ForceBridge;

    /// <inheritdoc />
    public int Priority => _options.Priority;

    /// <inheritdoc />
    /// <exception cref="HookFailedException"><see cref="ForceBridgeHookOptions.Refuse"/> is set and the task asks for HOST or NONE networking.</exception>
    public Task PreCreateAsync(HookContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        cancellationToken.ThrowIfCancellationRequested();
        TaskInfo task = context.Spec.Task;
        ContainerInfo.Types.DockerInfo? docker = task.Container?.Docker;
        DockerNetwork mode = docker is { HasNetwork: true } ? docker.Network : DockerNetwork.Host;
        bool rewriteMode = mode is DockerNetwork.Host or DockerNetwork.None;
        List<Parameter> overriding = [];
        foreach (Parameter parameter in TaskFacts.DockerParameters(task.Container, "net", "network"))
        {
            string value = parameter.Value.Trim();
            if (value is "host" or "none" || value.StartsWith("container:", StringComparison.Ordinal))
            {
                overriding.Add(parameter);
            }
        }

        if (!rewriteMode && overriding.Count == 0)
        {
            return Task.CompletedTask;
        }

        if (_options.Refuse)
        {
            var reasons = new List<string>();
            if (rewriteMode)
            {
                reasons.Add($"network {mode.ToString().ToUpperInvariant()}");
            }

            reasons.AddRange(overriding.ConvertAll(p => $"parameter {p.Key}={p.Value}"));
            throw new HookFailedException(Name, HookPhase.PreCreate, $"only BRIDGE or USER networking is allowed, the task asks for {string.Join(", ", reasons)}");
        }

        docker = TaskFacts.EnsureDocker(task);
        if (rewriteMode)
        {
            docker.Network = DockerNetwork.Bridge;
        }

        TaskFacts.RemoveParameters(docker, overriding);
        context.Logger.BridgeForced(TaskFacts.TaskId(context), rewriteMode ? mode.ToString().ToUpperInvariant() : "(unchanged)", overriding.Count);
        return Task.CompletedTask;
    }
}
