namespace Mesos.Executor.Docker.Internal;

/// <summary>What the containerizer remembers about a container it created.</summary>
internal sealed class TrackedContainer
{
    public TrackedContainer(string name, string? sandboxDirectory, bool tty)
    {
        Name = name;
        SandboxDirectory = sandboxDirectory;
        Tty = tty;
    }

    public string Name { get; }

    public string? SandboxDirectory { get; }

    public bool Tty { get; }

    /// <summary>The output pump, once started.</summary>
    public ContainerLogPump? Pump { get; set; }
}
