using System;
using System.Collections.Generic;

namespace Mesos.Executor.Core;

/// <summary>A command to run inside a running container.</summary>
/// <param name="Arguments">The argument vector; the first entry is the program. A shell command is <c>["/bin/sh", "-c", value]</c>.</param>
/// <param name="Environment">Variables set for the command only, or <see langword="null"/>.</param>
/// <param name="Timeout">When the command is killed and reported as timed out; <see langword="null"/> or zero means no limit.</param>
/// <param name="User">The user to run as, or <see langword="null"/> for the container's.</param>
public sealed record ExecRequest(
    IReadOnlyList<string> Arguments,
    IReadOnlyDictionary<string, string>? Environment = null,
    TimeSpan? Timeout = null,
    string? User = null);
