namespace Mesos.Executor.Docker.Internal.Registry;

/// <summary>What a Docker config file holds for one registry.</summary>
/// <param name="Credential">The credentials, or <see langword="null"/>.</param>
/// <param name="Key">The config file key they came from.</param>
/// <param name="Helper">
/// A credential helper the file names for the registry (<c>credHelpers</c>, else <c>credsStore</c>
/// when <c>auths</c> has no credentials for it): the executor cannot run helpers.
/// </param>
internal sealed record RegistryLookup(RegistryCredential? Credential, string? Key, string? Helper)
{
    public static readonly RegistryLookup None = new(null, null, null);
}
