namespace Mesos.Executor.Core;

/// <summary>The outcome of one probe.</summary>
/// <remarks>
/// An init-only type rather than a positional record, so that members can be added later without
/// breaking callers: create it with an object initializer (<c>new ProbeResult { Succeeded = true }</c>).
/// </remarks>
public sealed record ProbeResult
{
    /// <summary>Whether the probe passed by health-check rules (exit code 0, HTTP 200..399, TCP connected).</summary>
    public required bool Succeeded { get; init; }

    /// <summary>The HTTP status code, when an HTTP(S) response was received.</summary>
    /// <value>Default <see langword="null"/>.</value>
    public int? StatusCode { get; init; }

    /// <summary>The command's exit code, when a command finished.</summary>
    /// <value>Default <see langword="null"/>.</value>
    public int? ExitCode { get; init; }

    /// <summary>Whether the probe hit its timeout.</summary>
    /// <value>Default <see langword="false"/>.</value>
    public bool TimedOut { get; init; }

    /// <summary>A short explanation of a failure, or <see langword="null"/>.</summary>
    /// <value>Default <see langword="null"/>.</value>
    public string? Message { get; init; }
}
