namespace Mesos.Executor.Core;

/// <summary>The outcome of one probe.</summary>
/// <param name="Succeeded">Whether the probe passed by health-check rules (exit code 0, HTTP 200..399, TCP connected).</param>
/// <param name="StatusCode">The HTTP status code, when an HTTP(S) response was received.</param>
/// <param name="ExitCode">The command's exit code, when a command finished.</param>
/// <param name="TimedOut">Whether the probe hit its timeout.</param>
/// <param name="Message">A short explanation of a failure, or <see langword="null"/>.</param>
public sealed record ProbeResult(bool Succeeded, int? StatusCode = null, int? ExitCode = null, bool TimedOut = false, string? Message = null);
