using System;
using System.Collections.Generic;

namespace Mesos.Executor.Core;

/// <summary>A command to run inside a running container (see <see cref="IContainerExec"/>).</summary>
/// <remarks>
/// An init-only type rather than a positional record, so that members can be added later without
/// breaking callers: create it with an object initializer (<c>new ExecRequest { Arguments = ["true"] }</c>).
/// </remarks>
public sealed record ExecRequest
{
    /// <summary>The argument vector; the first entry is the program. A shell command is <c>["/bin/sh", "-c", value]</c>.</summary>
    public required IReadOnlyList<string> Arguments { get; init; }

    /// <summary>Variables set for the command only, or <see langword="null"/>.</summary>
    /// <value>Default <see langword="null"/>.</value>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary>When the command is killed and reported as timed out; <see langword="null"/> or zero means no limit.</summary>
    /// <value>Default <see langword="null"/>.</value>
    public TimeSpan? Timeout { get; init; }

    /// <summary>The user to run as, or <see langword="null"/> for the container's.</summary>
    /// <value>Default <see langword="null"/>.</value>
    public string? User { get; init; }
}
