using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Mesos.Executor.Docker.Internal.Engine;
using Mesos.Executor.Docker.Internal.FlagValues;
using Mesos.Executor.Core;
using Mesos.V1;
using DockerNetwork = Mesos.V1.ContainerInfo.Types.DockerInfo.Types.Network;
using VariableType = Mesos.V1.Environment.Types.Variable.Types.Type;
using ContainerSpec = Mesos.Executor.Core.ContainerSpec;
using Secret = Mesos.V1.Secret;

namespace Mesos.Executor.Docker.Internal;

/// <summary>
/// Maps a task onto Docker create parameters with the semantics of Mesos's Docker executor
/// (<c>Docker::RunOptions::create</c> in src/docker/docker.cpp, then the <c>docker run</c> flags it
/// builds). Pure: no engine, no I/O besides <see cref="MappingSettings.ReadFile"/> for seccomp
/// profiles named in parameters.
/// </summary>
internal static class ContainerMapping
{
    // Mesos's cgroups constants (src/slave/containerizer/mesos/isolators/cgroups/constants.hpp).
    internal const long CpuSharesPerCpu = 1024;
    internal const long MinCpuShares = 2;
    internal const long CfsPeriodMicros = 100_000;
    internal const long MinCfsQuotaMicros = 1_000;
    internal const long MinMemoryBytes = 32L * 1024 * 1024;
    private const long Megabyte = 1024L * 1024;

    /// <summary>Builds the create parameters of <paramref name="spec"/>'s container.</summary>
    /// <exception cref="ContainerizerException">The task cannot run as a Docker container; the message says why.</exception>
    public static MappedContainer Map(ContainerSpec spec, MappingSettings settings)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(settings);
        TaskInfo task = spec.Task;
        ContainerInfo container = task.Container
            ?? throw new ContainerizerException($"task '{task.TaskId?.Value}' has no ContainerInfo: the Docker containerizer needs container.docker");
        if (container.Type != ContainerInfo.Types.Type.Docker || container.Docker is null)
        {
            throw new ContainerizerException($"task '{task.TaskId?.Value}' is not a Docker task: container.type must be DOCKER with container.docker set");
        }

        ContainerInfo.Types.DockerInfo docker = container.Docker;
        if (string.IsNullOrWhiteSpace(docker.Image))
        {
            throw new ContainerizerException($"task '{task.TaskId?.Value}' names no image (container.docker.image)");
        }

        var host = new HostConfig();
        var parameters = new CreateContainerParameters
        {
            Name = settings.ContainerName,
            Image = docker.Image,
            HostConfig = host,
        };

        var resources = task.Resources.Concat(task.Executor?.Resources ?? Enumerable.Empty<Resource>()).ToList();
        MapResources(task, resources, settings, host);

        string network = NetworkName(container, docker);
        var context = new FlagContext(parameters, NetworkFor(container, docker), settings.ReadFile);
        MapEnvironment(spec, resources, settings, context.Environment);
        ContainerVolumeMapping.Map(container, docker, spec, settings, host);
        host.Privileged = docker.Privileged;

        if (container.HasHostname)
        {
            if (network == "host")
            {
                throw new ContainerizerException("a hostname cannot be set with HOST networking (container.hostname)");
            }

            parameters.Hostname = container.Hostname;
        }

        MapPortMappings(docker, network, resources, parameters);
        MapCommand(task, settings.UseCommandUser, parameters);

        // Labels: the task's, then hooks', then the operator's; parameters may add more; ours last.
        foreach (var label in task.Labels?.Labels_ ?? Enumerable.Empty<Label>())
        {
            context.Labels[label.Key] = label.Value ?? string.Empty;
        }

        foreach (var (key, value) in spec.Labels)
        {
            context.Labels[key] = value;
        }

        foreach (var (key, value) in settings.ExtraLabels)
        {
            context.Labels[key] = value;
        }

        // Parameters, in order, as the docker run flags Mesos appends after its own: the first
        // network/net parameter picked the network above; DNS parameters switch off the defaults.
        bool networkSeen = false;
        bool dnsSpecified = false;
        foreach (var parameter in docker.Parameters)
        {
            if (DockerRunFlags.NetworkFlags.Contains(parameter.Key))
            {
                if (networkSeen)
                {
                    throw new ContainerizerException($"docker parameter '{parameter.Key}' is given more than once: a container joins one network");
                }

                networkSeen = true;
                continue;
            }

            dnsSpecified |= DockerRunFlags.DnsFlags.Contains(parameter.Key);
        }

        host.NetworkMode = context.NetworkName;
        if (!dnsSpecified && settings.DefaultDns?.Select(docker.Network, context.NetworkName) is { } dns)
        {
            host.DNS = dns.Nameservers.ToList();
            host.DNSSearch = dns.Search.ToList();
            host.DNSOptions = dns.Options.ToList();
        }

        foreach (var parameter in docker.Parameters)
        {
            if (!DockerRunFlags.NetworkFlags.Contains(parameter.Key))
            {
                DockerRunFlags.Apply(context, parameter.Key, parameter.Value);
            }
        }

        var ours = OwnLabels(spec);
        foreach (var (key, value) in ours)
        {
            context.Labels[key] = value;
        }

        ContainerVolumeMapping.Label(host, settings.ExtraLabels, ours);
        parameters.Env = context.Environment.Select(e => e.Key + "=" + e.Value).ToList();
        parameters.Labels = context.Labels;

        // Under the Docker containerizer the agent honours force_pull_image itself, pulling before it
        // starts the executor (src/slave/containerizer/docker.cpp, pull): pulling again would only
        // repeat that work, without the agent's credentials.
        bool forcePull = docker.ForcePullImage && !settings.ImagePulledByAgent;
        PullPolicy pull = context.Pull ?? (forcePull ? PullPolicy.Always : settings.Pull);
        return new MappedContainer(parameters, docker.Image, pull);
    }

    /// <summary>The labels identifying the task's container (see <see cref="DockerLabels"/>).</summary>
    internal static Dictionary<string, string> OwnLabels(ContainerSpec spec)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (spec.Task.TaskId?.Value is { Length: > 0 } taskId)
        {
            labels[DockerLabels.TaskId] = taskId;
        }

        if (spec.Executor?.ExecutorId?.Value is { Length: > 0 } executorId)
        {
            labels[DockerLabels.ExecutorId] = executorId;
        }

        string? frameworkId = spec.Framework?.Id?.Value ?? spec.Executor?.FrameworkId?.Value;
        if (frameworkId is { Length: > 0 })
        {
            labels[DockerLabels.FrameworkId] = frameworkId;
        }

        return labels;
    }

    /// <summary>The network Mesos would pass to <c>docker run --net</c>, before parameters.</summary>
    private static string NetworkName(ContainerInfo container, ContainerInfo.Types.DockerInfo docker)
    {
        switch (docker.Network)
        {
            case DockerNetwork.Host:
                return "host";
            case DockerNetwork.Bridge:
                return "bridge";
            case DockerNetwork.None:
                return "none";
            case DockerNetwork.User:
                if (container.NetworkInfos.Count == 0)
                {
                    throw new ContainerizerException("USER networking needs container.network_infos with the network's name");
                }

                if (container.NetworkInfos.Count > 1)
                {
                    throw new ContainerizerException("USER networking supports exactly one entry in container.network_infos");
                }

                if (!container.NetworkInfos[0].HasName || container.NetworkInfos[0].Name.Length == 0)
                {
                    throw new ContainerizerException("USER networking needs a network name in container.network_infos[0].name");
                }

                return container.NetworkInfos[0].Name;
            default:
                throw new ContainerizerException($"unsupported Docker network mode {docker.Network}");
        }
    }

    /// <summary>The network the container joins: the first <c>network</c>/<c>net</c> parameter, else the mode's.</summary>
    private static string NetworkFor(ContainerInfo container, ContainerInfo.Types.DockerInfo docker)
    {
        foreach (var parameter in docker.Parameters)
        {
            if (DockerRunFlags.NetworkFlags.Contains(parameter.Key))
            {
                return parameter.Value.Length > 0
                    ? parameter.Value
                    : throw new ContainerizerException($"docker parameter '{parameter.Key}' has an invalid value: the value must not be empty");
            }
        }

        return NetworkName(container, docker);
    }

    private static void MapResources(TaskInfo task, List<Resource> resources, MappingSettings settings, HostConfig host)
    {
        double? cpuRequest = Scalar(resources, "cpus");
        double? memRequest = Scalar(resources, "mem");
        double? cpuLimit = task.Limits.TryGetValue("cpus", out var cpus) ? cpus.Value : null;
        double? memLimit = task.Limits.TryGetValue("mem", out var mem) ? mem.Value : null;

        if (cpuRequest is { } request)
        {
            host.CPUShares = Math.Max((long)(CpuSharesPerCpu * request), MinCpuShares);
        }

        // The CFS quota follows the CPU limit when there is one (none when infinite), else the
        // request when --cgroups_enable_cfs is set.
        double? quotaCpus = cpuLimit is { } limit
            ? (double.IsPositiveInfinity(limit) ? null : limit)
            : (settings.CgroupsEnableCfs ? cpuRequest : null);
        if (quotaCpus is { } q)
        {
            host.CPUQuota = Math.Max((long)(CfsPeriodMicros * q), MinCfsQuotaMicros);
            host.CPUPeriod = CfsPeriodMicros;
        }

        long? memRequestBytes = memRequest is { } m ? (long)m * Megabyte : null;
        if (memLimit is { } memoryLimit)
        {
            long? limitBytes = double.IsPositiveInfinity(memoryLimit) ? null : (long)memoryLimit * Megabyte;
            if (limitBytes is { } bytes)
            {
                host.Memory = Math.Max(bytes, MinMemoryBytes);
            }

            if (memRequestBytes is { } requested)
            {
                host.MemoryReservation = Math.Max(requested, MinMemoryBytes);
                if ((limitBytes is null || requested < limitBytes) && settings.HostMemoryBytes is > 0 and { } total)
                {
                    // Mesos's calculateOOMScoreAdj: tasks using less of their request are killed later.
                    host.OomScoreAdj = 1000 - (long)(1000m * requested / total);
                }
            }
        }
        else if (memRequestBytes is { } requested)
        {
            host.Memory = Math.Max(requested, MinMemoryBytes);
        }

        // Mesos sets --memory (and --memory-reservation) but never --memory-swap, so Docker lets the
        // container swap as much again; operators who want no swap opt in.
        if (settings.DisableSwap && host.Memory > 0)
        {
            host.MemorySwap = host.Memory;
        }
    }

    private static double? Scalar(List<Resource> resources, string name)
    {
        double? sum = null;
        foreach (var resource in resources)
        {
            if (resource.Name == name && resource.Scalar is { } scalar)
            {
                sum = (sum ?? 0) + scalar.Value;
            }
        }

        return sum;
    }

    private static void MapEnvironment(ContainerSpec spec, List<Resource> resources, MappingSettings settings, Dictionary<string, string> env)
    {
        // Mesos: the agent's task environment first and it wins over the task's own variables.
        foreach (var (name, value) in settings.TaskEnvironment)
        {
            env[name] = value;
        }

        foreach (var variable in spec.Task.Command?.Environment?.Variables ?? Enumerable.Empty<Mesos.V1.Environment.Types.Variable>())
        {
            if (settings.TaskEnvironment.ContainsKey(variable.Name))
            {
                continue;
            }

            env[variable.Name] = VariableValue(variable);
        }

        foreach (var (name, value) in spec.Environment)
        {
            env[name] = value;
        }

        env["MESOS_SANDBOX"] = settings.MappedDirectory;
        env["MESOS_CONTAINER_NAME"] = settings.ContainerName;
        if (resources.Count > 0)
        {
            env["MESOS_ALLOCATION_ROLE"] = resources[0].AllocationInfo?.Role ?? string.Empty;
        }
    }

    private static string VariableValue(Mesos.V1.Environment.Types.Variable variable)
    {
        switch (variable.Type)
        {
            case VariableType.Value:
                return variable.Value;
            case VariableType.Secret:
                var secret = variable.Secret;
                if (secret?.Type == Secret.Types.Type.Value && secret.Value is { } inline)
                {
                    return Encoding.UTF8.GetString(inline.Data.Span);
                }

                throw new ContainerizerException(
                    $"environment variable '{variable.Name}' is a secret reference; the Docker containerizer has no secret resolver (only secrets of type VALUE are supported)");
            default:
                throw new ContainerizerException($"environment variable '{variable.Name}' has an unknown type");
        }
    }

    private static void MapPortMappings(ContainerInfo.Types.DockerInfo docker, string network, List<Resource> resources, CreateContainerParameters parameters)
    {
        if (docker.PortMappings.Count == 0)
        {
            return;
        }

        if (network is "host" or "none")
        {
            throw new ContainerizerException("port mappings need BRIDGE or USER networking");
        }

        var ranges = resources
            .Where(r => r.Name == "ports")
            .SelectMany(r => r.Ranges?.Range ?? Enumerable.Empty<Value.Types.Range>())
            .ToList();
        if (ranges.Count == 0)
        {
            throw new ContainerizerException("port mappings need port resources (the task has no 'ports' resource)");
        }

        var bindings = parameters.HostConfig!.PortBindings ??= new Dictionary<string, IList<PortBinding>>(StringComparer.Ordinal);
        foreach (var mapping in docker.PortMappings)
        {
            if (!ranges.Any(r => mapping.HostPort >= r.Begin && mapping.HostPort <= r.End))
            {
                throw new ContainerizerException(string.Create(CultureInfo.InvariantCulture, $"host port {mapping.HostPort} of a port mapping is not in the task's port resources"));
            }

            string protocol = mapping.HasProtocol ? mapping.Protocol.ToLowerInvariant() : "tcp";
            if (protocol is not ("tcp" or "udp" or "sctp"))
            {
                throw new ContainerizerException($"port mapping protocol '{mapping.Protocol}' is not tcp, udp or sctp");
            }

            if (mapping.ContainerPort is 0 or > 65535 || mapping.HostPort > 65535)
            {
                throw new ContainerizerException(string.Create(CultureInfo.InvariantCulture, $"port mapping {mapping.HostPort}:{mapping.ContainerPort} has an invalid port"));
            }

            string key = PortValues.PortKey((int)mapping.ContainerPort, protocol);
            var binding = new PortBinding { HostIP = string.Empty, HostPort = mapping.HostPort.ToString(CultureInfo.InvariantCulture) };
            bindings[key] = FlagContext.Append(bindings.TryGetValue(key, out var existing) ? existing : null, binding);
            parameters.ExposedPorts = FlagContext.Put(parameters.ExposedPorts, key, default(EmptyStruct));
        }
    }

    private static void MapCommand(TaskInfo task, bool useCommandUser, CreateContainerParameters parameters)
    {
        CommandInfo? command = task.Command;
        if (command is null)
        {
            return;
        }

        // Mesos never passes CommandInfo.user to Docker (RunOptions::create): frameworks set it to a
        // user that need not exist in the image. The "user" parameter sets the container's user.
        if (useCommandUser && command.HasUser && command.User.Length > 0)
        {
            parameters.User = command.User;
        }

        if (command.Shell)
        {
            // Mesos overrides the entrypoint: the command runs in a shell, not through the image's entrypoint (MESOS-1770).
            if (!command.HasValue)
            {
                throw new ContainerizerException("the command has shell=true but no value");
            }

            parameters.Entrypoint = ["/bin/sh"];
            parameters.Cmd = ["-c", command.Value];
            return;
        }

        var arguments = new List<string>();
        if (command.HasValue)
        {
            arguments.Add(command.Value);
        }

        arguments.AddRange(command.Arguments);
        if (arguments.Count > 0)
        {
            parameters.Cmd = arguments;
        }
    }
}
