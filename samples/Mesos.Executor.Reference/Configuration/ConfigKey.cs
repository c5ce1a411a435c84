using System;

namespace Mesos.Executor.Reference.Configuration;

/// <summary>
/// One configuration key: its dotted path, its environment variable, and how an environment
/// value is put into the document. The table is in <see cref="ConfigKeys"/>.
/// </summary>
/// <param name="Path">The dotted path, e.g. <c>docker.socket</c>.</param>
/// <param name="Apply">Puts an environment variable's text into the document.</param>
internal sealed record ConfigKey(string Path, Action<ConfigDocument, string> Apply)
{
    /// <summary>The prefix of every configuration environment variable.</summary>
    public const string EnvironmentPrefix = "MESOS_EXECUTOR_";

    /// <summary>
    /// The environment variable overriding this key: <c>MESOS_EXECUTOR_</c> plus the upper-cased
    /// path with <c>__</c> between levels (<c>docker.socket</c> → <c>MESOS_EXECUTOR_DOCKER__SOCKET</c>).
    /// Every key sits in a section, so the name always contains <c>__</c> and never collides with
    /// the agent's own <c>MESOS_EXECUTOR_ID</c> or <c>MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD</c>.
    /// </summary>
    /// <remarks>Dashes of hook names become underscores (<c>hooks.deny-privileged.allowed_frameworks</c> →
    /// <c>MESOS_EXECUTOR_HOOKS__DENY_PRIVILEGED__ALLOWED_FRAMEWORKS</c>): shells cannot set names with dashes.</remarks>
    public string EnvironmentVariable =>
        EnvironmentPrefix + Path.Replace(".", "__", StringComparison.Ordinal).Replace('-', '_').ToUpperInvariant();
}
