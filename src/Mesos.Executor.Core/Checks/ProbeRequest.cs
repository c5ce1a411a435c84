using System;
using Mesos.V1;

namespace Mesos.Executor.Core;

/// <summary>One probe to perform.</summary>
public sealed record ProbeRequest
{
    /// <summary>The kind of probe.</summary>
    public required ProbeKind Kind { get; init; }

    /// <summary>The container to probe.</summary>
    public required ContainerDetails Container { get; init; }

    /// <summary>The containerizer that runs the container (for command probes).</summary>
    public required IContainerizer Containerizer { get; init; }

    /// <summary>The port for HTTP(S) and TCP probes.</summary>
    public int Port { get; init; }

    /// <summary>The path for HTTP(S) probes, starting with '/'.</summary>
    /// <value>Defaults to <c>/</c>.</value>
    public string Path { get; init; } = "/";

    /// <summary>Whether to probe <c>[::1]</c> instead of <c>127.0.0.1</c>.</summary>
    public bool IPv6 { get; init; }

    /// <summary>The command for command probes (shell semantics as in <see cref="CommandInfo"/>).</summary>
    public CommandInfo? Command { get; init; }

    /// <summary>When the probe counts as failed; <see cref="TimeSpan.Zero"/> means no limit.</summary>
    public TimeSpan Timeout { get; init; }
}
