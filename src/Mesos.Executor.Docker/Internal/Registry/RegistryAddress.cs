using System;

namespace Mesos.Executor.Docker.Internal.Registry;

/// <summary>
/// Which registry an image comes from, and which keys of a Docker config file name that registry,
/// as the Docker CLI decides them (the agent pulls with the CLI, so its rules are the ones a
/// framework's <c>.docker/config.json</c> was written for).
/// </summary>
internal static class RegistryAddress
{
    /// <summary>The registry of unqualified images (<c>busybox</c>, <c>library/busybox</c>).</summary>
    public const string DockerHub = "docker.io";

    /// <summary>The key the Docker CLI stores Docker Hub credentials under, and sends as its server address.</summary>
    public const string DockerHubKey = "https://index.docker.io/v1/";

    /// <summary>
    /// The registry of <paramref name="image"/>: its first path component when that looks like a
    /// host (contains <c>.</c> or <c>:</c>, is <c>localhost</c>, or has upper-case letters), else
    /// <see cref="DockerHub"/>. <c>index.docker.io</c> and <c>registry-1.docker.io</c> are Docker Hub too.
    /// </summary>
    public static string Of(string image)
    {
        ArgumentNullException.ThrowIfNull(image);
        int slash = image.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            return DockerHub;
        }

        string first = image[..slash];
        bool isHost = first.Contains('.', StringComparison.Ordinal)
            || first.Contains(':', StringComparison.Ordinal)
            || first == "localhost"
            || !string.Equals(first, first.ToLowerInvariant(), StringComparison.Ordinal);
        return isHost ? Canonical(first) : DockerHub;
    }

    /// <summary>The server address sent with the credentials: <see cref="DockerHubKey"/> for Docker Hub, else the registry itself.</summary>
    public static string ServerAddress(string registry) => registry == DockerHub ? DockerHubKey : registry;

    /// <summary>
    /// The registry a config file key names: the key without an <c>http://</c> / <c>https://</c>
    /// scheme and without any path (<c>/v1/</c>, <c>/v2/</c>), Docker Hub's aliases mapped to
    /// <see cref="DockerHub"/>.
    /// </summary>
    public static string Normalize(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        string host = key.Trim();
        foreach (string scheme in (ReadOnlySpan<string>)["https://", "http://"])
        {
            if (host.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                host = host[scheme.Length..];
                break;
            }
        }

        int slash = host.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            host = host[..slash];
        }

        return Canonical(host.ToLowerInvariant());
    }

    /// <summary>Whether <paramref name="key"/> names exactly <paramref name="registry"/>, as written by <c>docker login</c>.</summary>
    public static bool IsExactKey(string key, string registry) =>
        registry == DockerHub ? key == DockerHubKey : string.Equals(key, registry, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether <paramref name="key"/>, written in any of the forms <see cref="Normalize"/> accepts, names <paramref name="registry"/>.</summary>
    public static bool Matches(string key, string registry) =>
        string.Equals(Normalize(key), registry, StringComparison.OrdinalIgnoreCase);

    private static string Canonical(string host) =>
        host.ToLowerInvariant() is "docker.io" or "index.docker.io" or "registry-1.docker.io" ? DockerHub : host;
}
