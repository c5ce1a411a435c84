using System;
using System.Collections.Frozen;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using Mesos.Executor.Docker.Internal.Engine;
using Mesos.Executor.Docker.Internal.FlagValues;
using Mesos.Executor.Core;

namespace Mesos.Executor.Docker.Internal;

/// <summary>One <c>docker run</c> flag the containerizer maps onto the Engine API.</summary>
/// <param name="Name">The long flag name, without dashes.</param>
/// <param name="Field">The Engine API field it sets (documentation and tests).</param>
/// <param name="Apply">Parses the value strictly and edits the container.</param>
internal sealed record DockerRunFlag(string Name, string Field, Action<FlagContext, string> Apply);

/// <summary>
/// The table of <c>docker run</c> flags a task may pass as <c>ContainerInfo.docker.parameters</c>
/// (Mesos turns each into <c>--key=value</c> on the <c>docker run</c> command line). Every flag with
/// an Engine API field has an entry; flags that make no sense under an executor, or have no field,
/// are listed with the reason; anything else is unknown. Either way the task fails with a message
/// naming the flag: a parameter is never dropped silently.
/// </summary>
internal static class DockerRunFlags
{
    /// <summary>Flags handled by the mapping itself rather than the table (the first one picks the network, as in Mesos).</summary>
    public static readonly FrozenSet<string> NetworkFlags = FrozenSet.ToFrozenSet(["network", "net"], StringComparer.Ordinal);

    /// <summary>Flags whose presence stops <c>--default_container_dns</c> from applying (as in Mesos).</summary>
    public static readonly FrozenSet<string> DnsFlags = FrozenSet.ToFrozenSet(["dns", "dns-search", "dns-opt", "dns-option"], StringComparer.Ordinal);

    /// <summary>The supported flags by name (aliases included).</summary>
    public static readonly FrozenDictionary<string, DockerRunFlag> Supported = Build();

    /// <summary>Known flags the containerizer refuses, with the reason.</summary>
    public static readonly FrozenDictionary<string, string> Unsupported = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["name"] = "the executor names task containers",
        ["rm"] = "the executor removes task containers itself",
        ["detach"] = "the executor runs containers detached already",
        ["attach"] = "the executor streams the output into the sandbox itself",
        ["interactive"] = "task containers have no standard input",
        ["sig-proxy"] = "the executor signals containers itself",
        ["detach-keys"] = "task containers are never attached interactively",
        ["cidfile"] = "the executor reports the container id itself",
        ["env-file"] = "use environment variables (command.environment or env parameters)",
        ["label-file"] = "use label parameters or task labels",
        ["health-cmd"] = "use Mesos health checks (TaskInfo.health_check)",
        ["health-interval"] = "use Mesos health checks (TaskInfo.health_check)",
        ["health-retries"] = "use Mesos health checks (TaskInfo.health_check)",
        ["health-timeout"] = "use Mesos health checks (TaskInfo.health_check)",
        ["health-start-period"] = "use Mesos health checks (TaskInfo.health_check)",
        ["health-start-interval"] = "use Mesos health checks (TaskInfo.health_check)",
        ["kernel-memory"] = "kernel memory limits were removed from the Docker Engine API",
        ["cpu-count"] = "Windows only",
        ["cpu-percent"] = "Windows only",
        ["io-maxbandwidth"] = "Windows only",
        ["io-maxiops"] = "Windows only",
        ["credential-spec"] = "Windows only",
        ["gpus"] = "GPU device requests are not supported",
        ["platform"] = "the image's platform is the engine's",
        ["disable-content-trust"] = "content trust is a Docker CLI feature without an Engine API field",
        ["quiet"] = "a Docker CLI display option without an Engine API field",
        ["annotation"] = "not supported by the engines this executor targets (API 1.43+)",
        ["mac-address"] = "not supported by the Engine API version this executor uses",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Applies one parameter.</summary>
    /// <exception cref="ContainerizerException">The flag is unknown, refused, or its value is invalid; the message names it.</exception>
    public static void Apply(FlagContext context, string key, string value)
    {
        if (Supported.TryGetValue(key, out var flag))
        {
            try
            {
                flag.Apply(context, value);
            }
            catch (FlagValueException ex)
            {
                throw new ContainerizerException($"docker parameter '{key}' has an invalid value: {ex.Message}");
            }

            return;
        }

        if (Unsupported.TryGetValue(key, out string? reason))
        {
            throw Fail(key, value, reason);
        }

        throw new ContainerizerException(
            $"docker parameter '{key}' is not a docker run flag the Docker containerizer knows (parameters are docker run long flags without the dashes, e.g. key 'cap-add' for --cap-add)");
    }

    private static ContainerizerException Fail(string key, string value, string reason) =>
        new($"docker parameter '{key}' (value '{value}') is not supported: {reason}");

    private static FrozenDictionary<string, DockerRunFlag> Build()
    {
        var flags = new List<DockerRunFlag>
        {
            // Environment, labels, identity
            new("env", "Config.Env", (c, v) =>
            {
                var (name, val) = BasicValues.KeyValue(v);
                c.Environment[name] = val;
            }),
            new("label", "Config.Labels", (c, v) =>
            {
                var (name, val) = BasicValues.KeyValue(v, valueOptional: true);
                c.Labels[name] = val;
            }),
            new("user", "Config.User", (c, v) => c.Container.User = BasicValues.NonEmpty(v)),
            new("workdir", "Config.WorkingDir", (c, v) => c.Container.WorkingDir = BasicValues.AbsolutePath(v)),
            new("hostname", "Config.Hostname", (c, v) => c.Container.Hostname = BasicValues.NonEmpty(v)),
            new("domainname", "Config.Domainname", (c, v) => c.Container.Domainname = BasicValues.NonEmpty(v)),
            new("entrypoint", "Config.Entrypoint", (c, v) => c.Container.Entrypoint = [v]),
            new("stop-signal", "Config.StopSignal", (c, v) => c.Container.StopSignal = SignalValues.Signal(v)),
            new("stop-timeout", "Config.StopTimeout", (c, v) => c.Container.StopTimeout = TimeSpan.FromSeconds(BasicValues.Int64InRange(v, -1, int.MaxValue))),
            new("tty", "Config.Tty", (c, v) => c.Container.Tty = BasicValues.Bool(v)),
            new("expose", "Config.ExposedPorts", (c, v) =>
            {
                foreach (string port in PortValues.Expose(v))
                {
                    c.CountPort();
                    c.Container.ExposedPorts = FlagContext.Put(c.Container.ExposedPorts, port, default(EmptyStruct));
                }
            }),
            new("no-healthcheck", "Config.Healthcheck", (c, v) =>
            {
                if (BasicValues.Bool(v))
                {
                    c.Container.Healthcheck = new HealthcheckConfig { Test = ["NONE"] };
                }
            }),

            // Storage
            new("volume", "HostConfig.Binds / Config.Volumes", (c, v) =>
            {
                var (bind, destination) = VolumeValues.Volume(v);
                if (bind is null)
                {
                    c.Container.Volumes = FlagContext.Put(c.Container.Volumes, destination, default(EmptyStruct));
                }
                else
                {
                    c.Host.Binds = FlagContext.Append(c.Host.Binds, bind);
                }
            }),
            new("volumes-from", "HostConfig.VolumesFrom", (c, v) => c.Host.VolumesFrom = FlagContext.Append(c.Host.VolumesFrom, VolumeValues.VolumesFrom(v))),
            new("volume-driver", "HostConfig.VolumeDriver", (c, v) => c.Host.VolumeDriver = BasicValues.NonEmpty(v)),
            new("mount", "HostConfig.Mounts", (c, v) => c.Host.Mounts = FlagContext.Append(c.Host.Mounts, MountValues.Mount(v))),
            new("tmpfs", "HostConfig.Tmpfs", (c, v) =>
            {
                var (path, options) = VolumeValues.Tmpfs(v);
                c.Host.Tmpfs = FlagContext.Put(c.Host.Tmpfs, path, options);
            }),
            new("read-only", "HostConfig.ReadonlyRootfs", (c, v) => c.Host.ReadonlyRootfs = BasicValues.Bool(v)),
            new("storage-opt", "HostConfig.StorageOpt", (c, v) =>
            {
                var (name, val) = BasicValues.KeyValue(v);
                c.Host.StorageOpt = FlagContext.Put(c.Host.StorageOpt, name, val);
            }),
            new("shm-size", "HostConfig.ShmSize", (c, v) => c.Host.ShmSize = ResourceValues.Size(v)),

            // Security
            new("privileged", "HostConfig.Privileged", (c, v) => c.Host.Privileged = BasicValues.Bool(v)),
            new("cap-add", "HostConfig.CapAdd", (c, v) => c.Host.CapAdd = FlagContext.Append(c.Host.CapAdd, CapabilityValues.Capability(v))),
            new("cap-drop", "HostConfig.CapDrop", (c, v) => c.Host.CapDrop = FlagContext.Append(c.Host.CapDrop, CapabilityValues.Capability(v))),
            new("security-opt", "HostConfig.SecurityOpt", (c, v) => c.Host.SecurityOpt = FlagContext.Append(c.Host.SecurityOpt, SecurityOption(c, v))),
            new("group-add", "HostConfig.GroupAdd", (c, v) => c.Host.GroupAdd = FlagContext.Append(c.Host.GroupAdd, BasicValues.NonEmpty(v))),
            new("userns", "HostConfig.UsernsMode", (c, v) => c.Host.UsernsMode = BasicValues.Mode(v, false, "host", string.Empty)),
            new("device", "HostConfig.Devices", (c, v) => c.Host.Devices = FlagContext.Append(c.Host.Devices, DeviceValues.Device(v))),
            new("device-cgroup-rule", "HostConfig.DeviceCgroupRules", (c, v) => c.Host.DeviceCgroupRules = FlagContext.Append(c.Host.DeviceCgroupRules, BasicValues.NonEmpty(v))),
            new("init", "HostConfig.Init", (c, v) => c.Host.Init = BasicValues.Bool(v)),

            // Namespaces and runtime
            new("pid", "HostConfig.PidMode", (c, v) => c.Host.PidMode = BasicValues.Mode(v, true, "host", string.Empty)),
            new("ipc", "HostConfig.IpcMode", (c, v) => c.Host.IpcMode = BasicValues.Mode(v, true, "none", "private", "shareable", "host", string.Empty)),
            new("uts", "HostConfig.UTSMode", (c, v) => c.Host.UTSMode = BasicValues.Mode(v, false, "host", string.Empty)),
            new("cgroupns", "HostConfig.CgroupnsMode", (c, v) => c.Host.CgroupnsMode = BasicValues.Mode(v, false, "host", "private")),
            new("cgroup-parent", "HostConfig.CgroupParent", (c, v) => c.Host.CgroupParent = BasicValues.NonEmpty(v)),
            new("runtime", "HostConfig.Runtime", (c, v) => c.Host.Runtime = BasicValues.NonEmpty(v)),
            new("isolation", "HostConfig.Isolation", (c, v) => c.Host.Isolation = BasicValues.Mode(v, false, "default")),
            new("sysctl", "HostConfig.Sysctls", (c, v) =>
            {
                var (name, val) = BasicValues.KeyValue(v);
                c.Host.Sysctls = FlagContext.Put(c.Host.Sysctls, name, val);
            }),
            new("ulimit", "HostConfig.Ulimits", (c, v) => c.Host.Ulimits = FlagContext.Append(c.Host.Ulimits, UlimitValues.Ulimit(v))),
            new("restart", "HostConfig.RestartPolicy", (c, v) => c.Host.RestartPolicy = v == "no"
                ? new RestartPolicy { Name = "no" }
                : throw new FlagValueException($"'{v}': only 'no' is accepted, the executor owns the container's life")),
            new("log-driver", "HostConfig.LogConfig.Type", (c, v) => (c.Host.LogConfig ??= new LogConfig()).Type = BasicValues.NonEmpty(v)),
            new("log-opt", "HostConfig.LogConfig.Config", (c, v) =>
            {
                var (name, val) = BasicValues.KeyValue(v);
                var log = c.Host.LogConfig ??= new LogConfig();
                log.Config = FlagContext.Put(log.Config, name, val);
            }),

            // Resources
            new("cpu-shares", "HostConfig.CpuShares", (c, v) => c.Host.CPUShares = BasicValues.Int64InRange(v, 0, long.MaxValue)),
            new("cpu-quota", "HostConfig.CpuQuota", (c, v) => c.Host.CPUQuota = BasicValues.Int64InRange(v, -1, long.MaxValue)),
            new("cpu-period", "HostConfig.CpuPeriod", (c, v) => c.Host.CPUPeriod = BasicValues.Int64InRange(v, 0, 1_000_000)),
            new("cpu-rt-period", "HostConfig.CpuRealtimePeriod", (c, v) => c.Host.CPURealtimePeriod = BasicValues.Int64InRange(v, 0, long.MaxValue)),
            new("cpu-rt-runtime", "HostConfig.CpuRealtimeRuntime", (c, v) => c.Host.CPURealtimeRuntime = BasicValues.Int64InRange(v, -1, long.MaxValue)),
            new("cpus", "HostConfig.NanoCpus", (c, v) => c.Host.NanoCPUs = ResourceValues.NanoCpus(v)),
            new("cpuset-cpus", "HostConfig.CpusetCpus", (c, v) => c.Host.CpusetCpus = ResourceValues.CpuSet(v)),
            new("cpuset-mems", "HostConfig.CpusetMems", (c, v) => c.Host.CpusetMems = ResourceValues.CpuSet(v)),
            new("memory", "HostConfig.Memory", (c, v) => c.Host.Memory = ResourceValues.Size(v)),
            new("memory-swap", "HostConfig.MemorySwap", (c, v) => c.Host.MemorySwap = ResourceValues.SizeOrUnlimited(v)),
            new("memory-reservation", "HostConfig.MemoryReservation", (c, v) => c.Host.MemoryReservation = ResourceValues.Size(v)),
            new("memory-swappiness", "HostConfig.MemorySwappiness", (c, v) => c.Host.MemorySwappiness = BasicValues.Int64InRange(v, -1, 100) is var s && s < 0 ? null : s),
            new("oom-kill-disable", "HostConfig.OomKillDisable", (c, v) => c.Host.OomKillDisable = BasicValues.Bool(v)),
            new("oom-score-adj", "HostConfig.OomScoreAdj", (c, v) => c.Host.OomScoreAdj = BasicValues.Int64InRange(v, -1000, 1000)),
            new("pids-limit", "HostConfig.PidsLimit", (c, v) => c.Host.PidsLimit = BasicValues.Int64InRange(v, -1, long.MaxValue)),
            new("blkio-weight", "HostConfig.BlkioWeight", (c, v) => c.Host.BlkioWeight = (ushort)BlkioWeight(v)),
            new("blkio-weight-device", "HostConfig.BlkioWeightDevice", (c, v) => c.Host.BlkioWeightDevice = FlagContext.Append(c.Host.BlkioWeightDevice, DeviceValues.WeightDevice(v))),
            new("device-read-bps", "HostConfig.BlkioDeviceReadBps", (c, v) => c.Host.BlkioDeviceReadBps = FlagContext.Append(c.Host.BlkioDeviceReadBps, DeviceValues.ThrottleBytes(v))),
            new("device-write-bps", "HostConfig.BlkioDeviceWriteBps", (c, v) => c.Host.BlkioDeviceWriteBps = FlagContext.Append(c.Host.BlkioDeviceWriteBps, DeviceValues.ThrottleBytes(v))),
            new("device-read-iops", "HostConfig.BlkioDeviceReadIOps", (c, v) => c.Host.BlkioDeviceReadIOps = FlagContext.Append(c.Host.BlkioDeviceReadIOps, DeviceValues.ThrottleIops(v))),
            new("device-write-iops", "HostConfig.BlkioDeviceWriteIOps", (c, v) => c.Host.BlkioDeviceWriteIOps = FlagContext.Append(c.Host.BlkioDeviceWriteIOps, DeviceValues.ThrottleIops(v))),

            // Network
            new("publish", "HostConfig.PortBindings", (c, v) =>
            {
                foreach (var (port, binding) in PortValues.Publish(v))
                {
                    c.CountPort();
                    var bindings = c.Host.PortBindings ??= new Dictionary<string, IList<PortBinding>>(StringComparer.Ordinal);
                    bindings[port] = FlagContext.Append(bindings.TryGetValue(port, out var existing) ? existing : null, binding);
                    c.Container.ExposedPorts = FlagContext.Put(c.Container.ExposedPorts, port, default(EmptyStruct));
                }
            }),
            new("publish-all", "HostConfig.PublishAllPorts", (c, v) => c.Host.PublishAllPorts = BasicValues.Bool(v)),
            new("dns", "HostConfig.Dns", (c, v) => c.Host.DNS = FlagContext.Append(c.Host.DNS, NetworkAddressValues.IPAddressText(v))),
            new("dns-search", "HostConfig.DnsSearch", (c, v) => c.Host.DNSSearch = FlagContext.Append(c.Host.DNSSearch, NetworkAddressValues.DnsSearch(v))),
            new("dns-option", "HostConfig.DnsOptions", (c, v) => c.Host.DNSOptions = FlagContext.Append(c.Host.DNSOptions, BasicValues.NonEmpty(v))),
            new("add-host", "HostConfig.ExtraHosts", (c, v) => c.Host.ExtraHosts = FlagContext.Append(c.Host.ExtraHosts, NetworkAddressValues.ExtraHost(v))),
            new("link", "HostConfig.Links", (c, v) => c.Host.Links = FlagContext.Append(c.Host.Links, BasicValues.NonEmpty(v))),
            new("network-alias", "NetworkingConfig.EndpointsConfig[network].Aliases", (c, v) =>
            {
                var endpoint = c.Endpoint();
                endpoint.Aliases = FlagContext.Append(endpoint.Aliases, BasicValues.NonEmpty(v));
            }),
            new("ip", "NetworkingConfig.EndpointsConfig[network].IPAMConfig.IPv4Address", (c, v) =>
            {
                var endpoint = c.Endpoint();
                (endpoint.IPAMConfig ??= new EndpointIPAMConfig()).IPv4Address = NetworkAddressValues.IPAddressText(v);
            }),
            new("ip6", "NetworkingConfig.EndpointsConfig[network].IPAMConfig.IPv6Address", (c, v) =>
            {
                var endpoint = c.Endpoint();
                (endpoint.IPAMConfig ??= new EndpointIPAMConfig()).IPv6Address = NetworkAddressValues.IPAddressText(v);
            }),
            new("link-local-ip", "NetworkingConfig.EndpointsConfig[network].IPAMConfig.LinkLocalIPs", (c, v) =>
            {
                var ipam = c.Endpoint().IPAMConfig ??= new EndpointIPAMConfig();
                ipam.LinkLocalIPs = FlagContext.Append(ipam.LinkLocalIPs, NetworkAddressValues.IPAddressText(v));
            }),

            // Executor behaviour
            new("pull", "(image pull policy)", (c, v) => c.Pull = v switch
            {
                "always" => PullPolicy.Always,
                "missing" => PullPolicy.IfNotPresent,
                "never" => PullPolicy.Never,
                _ => throw new FlagValueException($"'{v}' is not always, missing or never"),
            }),
        };

        var table = new Dictionary<string, DockerRunFlag>(StringComparer.Ordinal);
        foreach (var flag in flags)
        {
            table.Add(flag.Name, flag);
        }

        // Aliases the Docker CLI accepts.
        table.Add("dns-opt", table["dns-option"] with { Name = "dns-opt" });
        table.Add("net-alias", table["network-alias"] with { Name = "net-alias" });
        return table.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static long BlkioWeight(string value)
    {
        long weight = BasicValues.Int64InRange(value, 0, 1000);
        return weight is > 0 and < 10 ? throw new FlagValueException($"{weight} is outside 10..1000 (or 0 for the default)") : weight;
    }

    /// <summary>
    /// As the Docker CLI: <c>seccomp=&lt;file&gt;</c> is replaced by the profile's JSON (the engine
    /// wants the profile itself); <c>seccomp=unconfined</c> / <c>builtin</c> and other options pass unchanged.
    /// </summary>
    private static string SecurityOption(FlagContext context, string value)
    {
        BasicValues.NonEmpty(value);
        int separator = value.IndexOf('=', StringComparison.Ordinal);
        if (separator < 0)
        {
            separator = value.IndexOf(':', StringComparison.Ordinal);
        }

        if (separator < 0)
        {
            return value;
        }

        string key = value[..separator];
        string option = value[(separator + 1)..];
        if (key != "seccomp" || option is "unconfined" or "builtin")
        {
            return value;
        }

        string profile;
        try
        {
            profile = context.ReadFile(option);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new FlagValueException($"cannot read seccomp profile '{option}': {ex.Message}", ex);
        }

        try
        {
            using var document = JsonDocument.Parse(profile);
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                document.WriteTo(writer);
            }

            return "seccomp=" + Encoding.UTF8.GetString(buffer.ToArray());
        }
        catch (JsonException ex)
        {
            // Where, never what: the task chose the file, and the parser's message quotes its content.
            throw new FlagValueException($"seccomp profile '{option}' is not JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1})", ex);
        }
    }
}
