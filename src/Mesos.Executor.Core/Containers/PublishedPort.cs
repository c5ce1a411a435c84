namespace Mesos.Executor.Core;

/// <summary>A container port published on the host.</summary>
/// <remarks>
/// An init-only type rather than a positional record, so that members can be added later without
/// breaking callers: create it with an object initializer.
/// </remarks>
public sealed record PublishedPort
{
    /// <summary>The port on the host.</summary>
    public required int HostPort { get; init; }

    /// <summary>The port inside the container.</summary>
    public required int ContainerPort { get; init; }

    /// <summary><c>tcp</c> or <c>udp</c>.</summary>
    public required string Protocol { get; init; }

    /// <summary>The host address it is bound to, or <see langword="null"/> for all.</summary>
    /// <value>Default <see langword="null"/>.</value>
    public string? HostIP { get; init; }
}
