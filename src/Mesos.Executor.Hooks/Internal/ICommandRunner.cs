using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Mesos.Executor.Hooks.Internal;

/// <summary>Runs a program with an argument vector (never through a shell) and captures its output.</summary>
internal interface ICommandRunner
{
    /// <summary>Runs <paramref name="fileName"/> with <paramref name="arguments"/> and waits for it to exit.</summary>
    /// <param name="fileName">The program (a path, or a name looked up in PATH).</param>
    /// <param name="arguments">The arguments, each passed as one argv entry.</param>
    /// <param name="cancellationToken">Kills the program and cancels the call.</param>
    /// <returns>The exit code and output; exit code 127 when the program could not be started.</returns>
    Task<CommandResult> RunAsync(string fileName, IReadOnlyList<string> arguments, CancellationToken cancellationToken);
}
