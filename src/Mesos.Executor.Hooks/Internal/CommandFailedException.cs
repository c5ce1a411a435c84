using System;
using System.Collections.Generic;

namespace Mesos.Executor.Hooks.Internal;

/// <summary>
/// A command run by a hook failed. Internal: hooks turn it into a
/// <see cref="Core.HookFailedException"/> naming the hook and phase.
/// </summary>
internal sealed class CommandFailedException : Exception
{
    public CommandFailedException(string fileName, IReadOnlyList<string> arguments, CommandResult result, bool namespaceUnavailable = false)
        : base(Describe(fileName, arguments, result))
    {
        Result = result;
        NamespaceUnavailable = namespaceUnavailable;
    }

    public CommandResult Result { get; }

    /// <summary>Whether nsenter could not enter the network namespace (the container is gone).</summary>
    public bool NamespaceUnavailable { get; }

    private static string Describe(string fileName, IReadOnlyList<string> arguments, CommandResult result)
    {
        string error = result.StandardError.Trim();
        if (error.Length == 0)
        {
            error = result.StandardOutput.Trim();
        }

        return $"'{fileName} {string.Join(' ', arguments)}' exited with {result.ExitCode}"
            + (error.Length > 0 ? $": {error}" : string.Empty);
    }
}
