using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace Mesos.Executor.Docker.Internal.Engine;

/// <summary>The <c>HostConfig</c> of a container-create request (JSON names of the Engine API).</summary>
internal sealed class HostConfig
{
    public IList<string>? Binds { get; set; }

    public LogConfig? LogConfig { get; set; }

    public string? NetworkMode { get; set; }

    public IDictionary<string, IList<PortBinding>>? PortBindings { get; set; }

    public RestartPolicy? RestartPolicy { get; set; }

    public string? VolumeDriver { get; set; }

    public IList<string>? VolumesFrom { get; set; }

    public IList<string>? CapAdd { get; set; }

    public IList<string>? CapDrop { get; set; }

    public string? CgroupnsMode { get; set; }

    [JsonPropertyName("Dns")]
    public IList<string>? DNS { get; set; }

    [JsonPropertyName("DnsOptions")]
    public IList<string>? DNSOptions { get; set; }

    [JsonPropertyName("DnsSearch")]
    public IList<string>? DNSSearch { get; set; }

    public IList<string>? ExtraHosts { get; set; }

    public IList<string>? GroupAdd { get; set; }

    public string? IpcMode { get; set; }

    public IList<string>? Links { get; set; }

    public long OomScoreAdj { get; set; }

    public string? PidMode { get; set; }

    public bool Privileged { get; set; }

    public bool PublishAllPorts { get; set; }

    public bool ReadonlyRootfs { get; set; }

    public IList<string>? SecurityOpt { get; set; }

    public IDictionary<string, string>? StorageOpt { get; set; }

    public IDictionary<string, string>? Tmpfs { get; set; }

    public string? UTSMode { get; set; }

    public string? UsernsMode { get; set; }

    public long ShmSize { get; set; }

    public IDictionary<string, string>? Sysctls { get; set; }

    public string? Runtime { get; set; }

    public string? Isolation { get; set; }

    [JsonPropertyName("CpuShares")]
    public long CPUShares { get; set; }

    public long Memory { get; set; }

    [JsonPropertyName("NanoCpus")]
    public long NanoCPUs { get; set; }

    public string? CgroupParent { get; set; }

    public ushort BlkioWeight { get; set; }

    public IList<WeightDevice>? BlkioWeightDevice { get; set; }

    public IList<ThrottleDevice>? BlkioDeviceReadBps { get; set; }

    public IList<ThrottleDevice>? BlkioDeviceWriteBps { get; set; }

    public IList<ThrottleDevice>? BlkioDeviceReadIOps { get; set; }

    public IList<ThrottleDevice>? BlkioDeviceWriteIOps { get; set; }

    [JsonPropertyName("CpuPeriod")]
    public long CPUPeriod { get; set; }

    [JsonPropertyName("CpuQuota")]
    public long CPUQuota { get; set; }

    [JsonPropertyName("CpuRealtimePeriod")]
    public long CPURealtimePeriod { get; set; }

    [JsonPropertyName("CpuRealtimeRuntime")]
    public long CPURealtimeRuntime { get; set; }

    public string? CpusetCpus { get; set; }

    public string? CpusetMems { get; set; }

    public IList<DeviceMapping>? Devices { get; set; }

    public IList<string>? DeviceCgroupRules { get; set; }

    public long MemoryReservation { get; set; }

    public long MemorySwap { get; set; }

    public long? MemorySwappiness { get; set; }

    public bool? OomKillDisable { get; set; }

    public long? PidsLimit { get; set; }

    public IList<Ulimit>? Ulimits { get; set; }

    public IList<Mount>? Mounts { get; set; }

    public bool? Init { get; set; }
}

/// <summary>The container's log driver.</summary>
internal sealed class LogConfig
{
    public string? Type { get; set; }

    public IDictionary<string, string>? Config { get; set; }
}

/// <summary>The restart policy; the executor only ever sets <c>no</c>.</summary>
internal sealed class RestartPolicy
{
    /// <summary><c>no</c>, <c>always</c>, <c>unless-stopped</c> or <c>on-failure</c>.</summary>
    public string? Name { get; set; }
}

/// <summary>One host port a container port is published on.</summary>
internal sealed class PortBinding
{
    [JsonPropertyName("HostIp")]
    public string? HostIP { get; set; }

    public string? HostPort { get; set; }
}

/// <summary>A block-IO weight for one device.</summary>
internal sealed class WeightDevice
{
    public string? Path { get; set; }

    public ushort Weight { get; set; }
}

/// <summary>A block-IO rate limit for one device.</summary>
internal sealed class ThrottleDevice
{
    public string? Path { get; set; }

    public ulong Rate { get; set; }
}

/// <summary>A host device made available in the container.</summary>
internal sealed class DeviceMapping
{
    public string? PathOnHost { get; set; }

    public string? PathInContainer { get; set; }

    public string? CgroupPermissions { get; set; }
}

/// <summary>A resource limit (<c>--ulimit</c>).</summary>
internal sealed class Ulimit
{
    public string? Name { get; set; }

    public long Hard { get; set; }

    public long Soft { get; set; }
}
