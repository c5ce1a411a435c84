namespace Mesos.Executor.Core;

/// <summary>How a container ended.</summary>
/// <param name="ExitCode">The exit code of the container's main process (128 + signal when killed by a signal).</param>
/// <param name="OomKilled">Whether the kernel's OOM killer ended it (Mesos reports REASON_CONTAINER_LIMITATION_MEMORY).</param>
/// <param name="Error">The runtime's own error text, if any.</param>
public sealed record ContainerExit(int ExitCode, bool OomKilled = false, string? Error = null);
