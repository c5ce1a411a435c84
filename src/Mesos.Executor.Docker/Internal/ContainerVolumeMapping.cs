using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Mesos.Executor.Docker.Internal.Engine;
using Mesos.Executor.Docker.Internal.FlagValues;
using Mesos.Executor.Core;
using Mesos.V1;
using SourceType = Mesos.V1.Volume.Types.Source.Types.Type;
using ContainerSpec = Mesos.Executor.Core.ContainerSpec;
using Volume = Mesos.V1.Volume;

namespace Mesos.Executor.Docker.Internal;

/// <summary>
/// The volume part of <see cref="ContainerMapping"/>: a task's volumes (host paths, sandbox paths,
/// Docker volumes with their driver), the sandbox mount, and the labels on the volumes the
/// container creates, with the semantics of Mesos's Docker executor (src/docker/docker.cpp).
/// </summary>
internal static class ContainerVolumeMapping
{
    public static void Map(ContainerInfo container, ContainerInfo.Types.DockerInfo docker, ContainerSpec spec, MappingSettings settings, HostConfig host)
    {
        var binds = new List<string>();
        string? sandbox = settings.SandboxDirectory;
        foreach (var volume in container.Volumes)
        {
            string mode = volume.Mode switch
            {
                Volume.Types.Mode.Rw => "rw",
                Volume.Types.Mode.Ro => "ro",
                _ => throw new ContainerizerException($"volume '{volume.ContainerPath}' has an unsupported mode"),
            };

            if (volume.Image != null)
            {
                throw new ContainerizerException($"volume '{volume.ContainerPath}': image volumes are not supported by the Docker containerizer");
            }

            // A relative container path is inside the mapped sandbox.
            string target = IsAbsolute(volume.ContainerPath)
                ? volume.ContainerPath
                : JoinPath(settings.MappedDirectory, volume.ContainerPath);

            if (volume.HasHostPath)
            {
                if (!IsAbsolute(volume.HostPath) && !IsAbsolute(volume.ContainerPath))
                {
                    throw new ContainerizerException(
                        $"both host_path '{volume.HostPath}' and container_path '{volume.ContainerPath}' of a volume are relative");
                }

                string source = volume.HostPath;
                if (!IsAbsolute(source) && !HasVolumeDriver(docker))
                {
                    // Relative host paths live in the sandbox (with a volume driver they are volume names).
                    source = JoinPath(RequireSandbox(sandbox, volume), source);
                }

                AddBind(host, binds, source, target, mode);
                continue;
            }

            var source2 = volume.Source ?? throw new ContainerizerException($"volume '{volume.ContainerPath}' needs a host_path or a source");
            switch (source2.Type)
            {
                case SourceType.DockerVolume when source2.DockerVolume is { } dockerVolume:
                    {
                        var mount = new Mount
                        {
                            Type = "volume",
                            Source = dockerVolume.Name,
                            Target = target,
                            ReadOnly = mode == "ro",
                        };
                        var options = new Dictionary<string, string>(StringComparer.Ordinal);
                        foreach (var option in dockerVolume.DriverOptions?.Parameter ?? Enumerable.Empty<Parameter>())
                        {
                            options[option.Key] = option.Value;
                        }

                        if (dockerVolume.HasDriver || options.Count > 0)
                        {
                            mount.VolumeOptions = new VolumeOptions
                            {
                                DriverConfig = new Driver { Name = dockerVolume.HasDriver ? dockerVolume.Driver : string.Empty, Options = options },
                            };
                        }

                        host.Mounts = FlagContext.Append(host.Mounts, mount);
                        break;
                    }

                case SourceType.HostPath when source2.HostPath is { } hostPath:
                    if (!IsAbsolute(hostPath.Path))
                    {
                        throw new ContainerizerException($"volume '{volume.ContainerPath}': source.host_path.path '{hostPath.Path}' must be absolute");
                    }

                    AddBind(host, binds, hostPath.Path, target, mode);
                    break;
                case SourceType.SandboxPath when source2.SandboxPath is { } sandboxPath
                    && sandboxPath.Type != Volume.Types.Source.Types.SandboxPath.Types.Type.Parent:
                    if (IsAbsolute(sandboxPath.Path) || sandboxPath.Path.Split('/').Contains(".."))
                    {
                        throw new ContainerizerException($"volume '{volume.ContainerPath}': source.sandbox_path.path '{sandboxPath.Path}' must be relative and stay inside the sandbox");
                    }

                    AddBind(host, binds, JoinPath(RequireSandbox(sandbox, volume), sandboxPath.Path), target, mode);
                    break;
                default:
                    throw new ContainerizerException(
                        $"volume '{volume.ContainerPath}': source type {source2.Type} is not supported by the Docker containerizer (DOCKER_VOLUME, HOST_PATH and SANDBOX_PATH of type SELF are)");
            }
        }

        if (sandbox != null)
        {
            AddBind(host, binds, sandbox, settings.MappedDirectory, mode: null);
        }

        if (HasVolumeDriver(docker))
        {
#pragma warning disable CS0612 // Deprecated in Mesos, but its Docker executor still honours it.
            host.VolumeDriver = docker.VolumeDriver;
#pragma warning restore CS0612
        }

        host.Binds = binds;
    }

    /// <summary>
    /// A bind mount: <c>source:target[:mode]</c> in <c>Binds</c> (<c>docker run -v</c>, which creates a
    /// missing source), or a <c>Mounts</c> entry of type bind when the source contains ':', which
    /// <c>Binds</c> cannot express ("invalid volume specification"): sandboxes of tasks whose ids
    /// contain ':' (MESOS-1833), and volumes relative to them.
    /// </summary>
    private static void AddBind(HostConfig host, List<string> binds, string source, string target, string? mode)
    {
        if (!source.Contains(':', StringComparison.Ordinal))
        {
            binds.Add(mode is null ? $"{source}:{target}" : $"{source}:{target}:{mode}");
            return;
        }

        var mount = new Mount { Type = "bind", Source = source, Target = target };
        if (mode == "ro")
        {
            mount.ReadOnly = true;
        }

        host.Mounts = FlagContext.Append(host.Mounts, mount);
    }

#pragma warning disable CS0612 // Deprecated in Mesos, but its Docker executor still honours it.
    private static bool HasVolumeDriver(ContainerInfo.Types.DockerInfo docker) => docker.HasVolumeDriver && docker.VolumeDriver.Length > 0;
#pragma warning restore CS0612

    private static string RequireSandbox(string? sandbox, Volume volume) =>
        sandbox ?? throw new ContainerizerException($"volume '{volume.ContainerPath}' is relative to the sandbox, but the task has no sandbox directory");

    /// <summary>Labels the named volumes Docker creates for the container like the container itself (explicit labels win).</summary>
    public static void Label(HostConfig host, IReadOnlyDictionary<string, string> extraLabels, Dictionary<string, string> ownLabels)
    {
        if (host.Mounts is null)
        {
            return;
        }

        foreach (var mount in host.Mounts)
        {
            if (mount.Type != "volume" || string.IsNullOrEmpty(mount.Source))
            {
                continue;
            }

            var options = mount.VolumeOptions ??= new VolumeOptions();
            var labels = options.Labels ??= new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in extraLabels.Concat(ownLabels))
            {
                labels.TryAdd(key, value);
            }
        }
    }

    private static bool IsAbsolute(string path) => path.StartsWith('/');

    /// <summary>stout's <c>path::join</c>: one slash between the parts.</summary>
    internal static string JoinPath(string first, string second) =>
        first.TrimEnd('/') + "/" + second.TrimStart('/');
}
