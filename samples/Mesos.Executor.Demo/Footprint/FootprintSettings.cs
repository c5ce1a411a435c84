using System.Threading;

namespace Mesos.Executor.Demo.Footprint;

/// <summary>What every measurement of one harness run shares.</summary>
internal sealed class FootprintSettings
{
    private int _executors;

    /// <summary>The executor to measure: a binary, or a .dll run with dotnet.</summary>
    public required string Executor { get; init; }

    /// <summary>The measured configuration file, or <see langword="null"/> for built-in defaults.</summary>
    public required string? Config { get; init; }

    /// <summary>Labels the run's containers (<c>mesos-executor-footprint=&lt;id&gt;</c>) and names its cgroups.</summary>
    public required string RunId { get; init; }

    /// <summary>The Docker image of the tasks.</summary>
    public required string Image { get; init; }

    /// <summary>Where the executors' cgroups go, or <see langword="null"/> without cgroup v1 (CPU then from /proc, 10 ms ticks).</summary>
    public required CgroupHierarchy? Cgroups { get; init; }

    /// <summary>Whether the executors run inside the budget of a custom executor (0.1 CPU CFS quota, 32 MiB).</summary>
    public required bool Limits { get; init; }

    /// <summary>A name for the next executor's cgroup: <c>&lt;run-id&gt;-&lt;n&gt;</c>.</summary>
    /// <returns>The name.</returns>
    public string NextName() => $"{RunId}-{Interlocked.Increment(ref _executors)}";
}
