namespace Mesos.Executor.Core;

/// <summary>The result of <see cref="IContainerExec.ExecAsync"/>.</summary>
/// <remarks>
/// An init-only type rather than a positional record, so that members can be added later without
/// breaking callers: create it with an object initializer (<c>new ExecResult { ExitCode = 0 }</c>).
/// </remarks>
public sealed record ExecResult
{
    /// <summary>The command's exit code; meaningless when <see cref="TimedOut"/>.</summary>
    public required int ExitCode { get; init; }

    /// <summary>Whether the command hit its timeout and was killed.</summary>
    /// <value>Default <see langword="false"/>.</value>
    public bool TimedOut { get; init; }
}
