using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Hooks.Internal;

namespace Mesos.Executor.Hooks.Tests.Support;

/// <summary>
/// A hand-written <see cref="ICommandRunner"/>: answers each command with the next scripted result
/// and records what was run, with the token it was given. Running more
/// commands than scripted fails the test.
/// </summary>
internal sealed class ScriptedCommandRunner : ICommandRunner
{
    private readonly Queue<CommandResult> _results;

    /// <summary>Answers the commands, in order, with <paramref name="results"/>.</summary>
    public ScriptedCommandRunner(params CommandResult[] results)
    {
        _results = new Queue<CommandResult>(results);
    }

    /// <summary>Every command run: program, arguments and the token passed.</summary>
    public List<(string FileName, IReadOnlyList<string> Arguments, CancellationToken CancellationToken)> Calls { get; } = [];

    public Task<CommandResult> RunAsync(string fileName, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Calls.Add((fileName, [.. arguments], cancellationToken));
        return _results.TryDequeue(out CommandResult? result)
            ? Task.FromResult(result)
            : throw new InvalidOperationException($"Unexpected command: {fileName} {string.Join(' ', arguments)}");
    }
}
