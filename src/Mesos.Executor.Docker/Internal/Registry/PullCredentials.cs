using System;

namespace Mesos.Executor.Docker.Internal.Registry;

/// <summary>The credentials a pull sends, and where they came from (for messages; never the secrets).</summary>
/// <param name="Registry">The image's registry (<see cref="RegistryAddress.Of"/>).</param>
/// <param name="Credential">The credentials, or <see langword="null"/> to pull anonymously.</param>
/// <param name="Source">The config file consulted, or <see langword="null"/> when there was none.</param>
/// <param name="Key">The config file key the credentials came from.</param>
internal sealed record PullCredentials(string Registry, RegistryCredential? Credential, string? Source, string? Key)
{
    /// <summary>
    /// <paramref name="error"/> (a failed pull's message) with a note on the credentials sent. An
    /// anonymous pull with no config file gets the note only when the registry refused access.
    /// </summary>
    public string Explain(string error)
    {
        bool refused = error.Contains("auth", StringComparison.OrdinalIgnoreCase)
            || error.Contains("denied", StringComparison.OrdinalIgnoreCase)
            || error.Contains("login", StringComparison.OrdinalIgnoreCase);
        return Credential == null && Source == null && !refused ? error : $"{error} ({Describe()})";
    }

    /// <summary>Says, for an error message, which credentials the pull used.</summary>
    public string Describe() => Credential != null
        ? $"sent the credentials of '{Key}' from {Source} for registry {Registry}"
        : Source != null
            ? $"no credentials for registry {Registry} in {Source}"
            : $"no credentials for registry {Registry}: the sandbox has no .docker/config.json or .dockercfg and no operator Docker config file is set";
}
