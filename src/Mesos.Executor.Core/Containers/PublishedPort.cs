namespace Mesos.Executor.Core;

/// <summary>A container port published on the host.</summary>
/// <param name="HostPort">The port on the host.</param>
/// <param name="ContainerPort">The port inside the container.</param>
/// <param name="Protocol"><c>tcp</c> or <c>udp</c>.</param>
/// <param name="HostIP">The host address it is bound to, or <see langword="null"/> for all.</param>
public sealed record PublishedPort(int HostPort, int ContainerPort, string Protocol, string? HostIP = null);
