using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.Executor.Hooks.Internal;
using Mesos.V1;

namespace Mesos.Executor.Hooks;

/// <summary>
/// <c>network</c>: puts every container into a user-defined Docker network, named by
/// <see cref="NetworkHookOptions.NetworkName"/> or, when that is unset, after the task's framework.
/// </summary>
/// <remarks>
/// Before the container is created (pre-create) the task's <c>container.docker.network</c> becomes
/// <c>USER</c> and <c>container.network_infos[0].name</c> the network's name (a network info is added
/// when there is none; missing container or Docker settings are created). Docker parameters
/// <c>net</c> / <c>network</c>, which would override it, are removed. The network must exist;
/// creating it is the operator's job. A framework name with no usable character fails the task.
/// </remarks>
public sealed class NetworkHook : IHook
{
    private readonly NetworkHookOptions _options;

    /// <summary>Creates the hook.</summary>
    /// <param name="options">Its options; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ExecutorConfigurationException">The options are invalid.</exception>
    public NetworkHook(NetworkHookOptions? options = null)
    {
        _options = options ?? new NetworkHookOptions();
        _options.Validate();
    }

    /// <inheritdoc />
    public string Name => HookNames.Network;

    /// <inheritdoc />
    public int Priority => _options.Priority;

    /// <inheritdoc />
    /// <exception cref="HookFailedException">No network name can be derived from the framework's name.</exception>
    public Task PreCreateAsync(HookContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        cancellationToken.ThrowIfCancellationRequested();
        string frameworkName = context.Framework.Name ?? string.Empty;
        string network = _options.NetworkName
            ?? Names.DockerNetworkName(frameworkName)
            ?? throw new HookFailedException(Name, HookPhase.PreCreate, $"the framework name '{frameworkName}' yields no Docker network name; set network_name");

        TaskInfo task = context.Spec.Task;
        ContainerInfo.Types.DockerInfo docker = TaskFacts.EnsureDocker(task);
        docker.Network = ContainerInfo.Types.DockerInfo.Types.Network.User;
        if (task.Container.NetworkInfos.Count == 0)
        {
            task.Container.NetworkInfos.Add(new NetworkInfo());
        }

        task.Container.NetworkInfos[0].Name = network;

        List<Parameter> overriding = [.. TaskFacts.DockerParameters(task.Container, "net", "network")];
        TaskFacts.RemoveParameters(docker, overriding);
        context.Logger.NetworkForced(TaskFacts.TaskId(context), network, overriding.Count);
        return Task.CompletedTask;
    }
}
