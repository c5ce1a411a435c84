namespace Mesos.Executor.Core;

/// <summary>The result of <see cref="IContainerizer.ExecAsync"/>.</summary>
/// <param name="ExitCode">The command's exit code; meaningless when <paramref name="TimedOut"/>.</param>
/// <param name="TimedOut">Whether the command hit its timeout and was killed.</param>
public sealed record ExecResult(int ExitCode, bool TimedOut = false);
