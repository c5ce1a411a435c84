using System;
using System.Collections.Generic;
using System.Text;

namespace Mesos.Executor.Docker.Internal;

/// <summary>Everything besides the <see cref="Core.ContainerSpec"/> that decides a container's create parameters.</summary>
internal sealed record MappingSettings
{
    /// <summary>The container's name (also <c>MESOS_CONTAINER_NAME</c>).</summary>
    public required string ContainerName { get; init; }

    /// <summary>The sandbox on the host, or <see langword="null"/> for none.</summary>
    public string? SandboxDirectory { get; init; }

    public string MappedDirectory { get; init; } = "/mnt/mesos/sandbox";

    public IReadOnlyDictionary<string, string> TaskEnvironment { get; init; } = new Dictionary<string, string>();

    public DefaultDnsSettings? DefaultDns { get; init; }

    public bool CgroupsEnableCfs { get; init; }

    public PullPolicy Pull { get; init; } = PullPolicy.IfNotPresent;

    /// <summary>See <see cref="DockerContainerizerOptions.ImagePulledByAgent"/>: <c>force_pull_image</c> does not mean <see cref="PullPolicy.Always"/>.</summary>
    public bool ImagePulledByAgent { get; init; }

    public IReadOnlyDictionary<string, string> ExtraLabels { get; init; } = new Dictionary<string, string>();

    /// <summary>The host's memory, for the OOM score adjustment of tasks with a memory limit above their request; <see langword="null"/> skips it.</summary>
    public long? HostMemoryBytes { get; init; }

    /// <summary>Whether <c>CommandInfo.user</c> becomes the container's user (Mesos ignores it).</summary>
    public bool UseCommandUser { get; init; }

    /// <summary>Whether the memory+swap limit equals the memory limit (Mesos leaves it to Docker).</summary>
    public bool DisableSwap { get; init; }

    /// <summary>
    /// Reads host files (seccomp profiles named by a <c>security-opt</c> parameter): a task chooses the
    /// path, so the read is bounded and never blocks (<see cref="Registry.ConfigFileReader.ReadNamedByTask"/>).
    /// </summary>
    public Func<string, string> ReadFile { get; init; } = path => Encoding.UTF8.GetString(Registry.ConfigFileReader.ReadNamedByTask(path));
}
