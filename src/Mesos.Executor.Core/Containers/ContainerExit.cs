namespace Mesos.Executor.Core;

/// <summary>How a container ended.</summary>
/// <remarks>
/// An init-only type rather than a positional record, so that members can be added later without
/// breaking callers: create it with an object initializer (<c>new ContainerExit { ExitCode = 0 }</c>).
/// </remarks>
public sealed record ContainerExit
{
    /// <summary>The exit code of the container's main process (128 + signal when killed by a signal).</summary>
    public required int ExitCode { get; init; }

    /// <summary>Whether the kernel's OOM killer ended it (Mesos reports REASON_CONTAINER_LIMITATION_MEMORY).</summary>
    /// <value>Default <see langword="false"/>.</value>
    public bool OomKilled { get; init; }

    /// <summary>The runtime's own error text, if any.</summary>
    /// <value>Default <see langword="null"/>.</value>
    public string? Error { get; init; }
}
