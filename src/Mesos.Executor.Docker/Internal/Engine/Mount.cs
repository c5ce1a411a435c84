using System.Collections.Generic;

namespace Mesos.Executor.Docker.Internal.Engine;

/// <summary>A mount of a container-create request (<c>HostConfig.Mounts</c>).</summary>
internal sealed class Mount
{
    public string? Type { get; set; }

    public string? Source { get; set; }

    public string? Target { get; set; }

    public bool? ReadOnly { get; set; }

    public string? Consistency { get; set; }

    public BindOptions? BindOptions { get; set; }

    public VolumeOptions? VolumeOptions { get; set; }

    public TmpfsOptions? TmpfsOptions { get; set; }
}

/// <summary>Options of a bind mount.</summary>
internal sealed class BindOptions
{
    public string? Propagation { get; set; }

    public bool? NonRecursive { get; set; }
}

/// <summary>Options of a volume mount.</summary>
internal sealed class VolumeOptions
{
    public bool? NoCopy { get; set; }

    public IDictionary<string, string>? Labels { get; set; }

    public Driver? DriverConfig { get; set; }
}

/// <summary>A volume driver and its options.</summary>
internal sealed class Driver
{
    public string? Name { get; set; }

    public IDictionary<string, string>? Options { get; set; }
}

/// <summary>Options of a tmpfs mount.</summary>
internal sealed class TmpfsOptions
{
    public long? SizeBytes { get; set; }

    public uint? Mode { get; set; }
}
