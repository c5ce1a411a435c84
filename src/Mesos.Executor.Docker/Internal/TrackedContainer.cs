namespace Mesos.Executor.Docker.Internal;

/// <summary>What <see cref="ContainerOutput"/> remembers about a container the containerizer created.</summary>
internal sealed class TrackedContainer
{
    public TrackedContainer(bool tty) => Tty = tty;

    /// <summary>Whether the container has a TTY (its output is one raw stream, not multiplexed frames).</summary>
    public bool Tty { get; }

    /// <summary>The output pump, once started.</summary>
    public ContainerLogPump? Pump { get; set; }
}
