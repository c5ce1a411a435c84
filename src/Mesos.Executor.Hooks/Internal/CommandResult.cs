namespace Mesos.Executor.Hooks.Internal;

/// <summary>How a command ended.</summary>
/// <param name="ExitCode">The exit code; 127 when the program could not be started.</param>
/// <param name="StandardOutput">What it wrote to stdout.</param>
/// <param name="StandardError">What it wrote to stderr (or why it could not be started).</param>
internal sealed record CommandResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>The exit code used when the program could not be started (as a shell does).</summary>
    public const int NotStartedExitCode = 127;

    /// <summary>A successful run with no output.</summary>
    public static CommandResult Success { get; } = new(0, string.Empty, string.Empty);
}
