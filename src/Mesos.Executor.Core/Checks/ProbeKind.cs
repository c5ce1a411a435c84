namespace Mesos.Executor.Core;

/// <summary>The kinds of probe.</summary>
public enum ProbeKind
{
    /// <summary>A command run inside the container; success is exit code 0.</summary>
    Command,

    /// <summary>An HTTP GET; success is a status in 200..399.</summary>
    Http,

    /// <summary>An HTTPS GET without certificate verification; success is a status in 200..399.</summary>
    Https,

    /// <summary>A TCP connect; success is an established connection.</summary>
    Tcp,
}
