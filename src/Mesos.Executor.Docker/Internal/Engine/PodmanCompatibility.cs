using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;

namespace Mesos.Executor.Docker.Internal.Engine;

/// <summary>
/// Where Podman's Docker-compatible API (<c>podman system service</c>, tested with Podman 4.3)
/// answers differently from the Docker engine, and how the Engine API client evens it out, so
/// the containerizer sees one engine. Each difference has a test (PodmanCompatibilityTests) and
/// runs for real in the Podman fixtures of the integration suites.
/// </summary>
internal static class PodmanCompatibility
{
    /// <summary>The name Podman gives its default network (the one <c>NetworkMode: bridge</c> joins).</summary>
    internal const string DefaultNetwork = "podman";

    /// <summary>
    /// Whether the answer to <c>GET /_ping</c> comes from Podman: it sends <c>Libpod-API-Version</c>
    /// and <c>Server: Libpod/…</c>; Docker sends neither.
    /// </summary>
    public static bool IsPodman(HttpResponseMessage ping) =>
        ping.Headers.Contains("Libpod-API-Version")
        || ping.Headers.Server.Any(p => string.Equals(p.Product?.Name, "Libpod", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The status Docker gives the error Podman answered with <paramref name="status"/>. Podman
    /// answers 500 for conflicts and bad requests that Docker answers 409 or 400, and the
    /// containerizer treats 5xx as transient (retry): a name in use, a container that is not
    /// running (kill, exec) and an unknown signal would be retried until the call times out.
    /// Podman's error bodies carry a <c>cause</c> (Docker's never do), so Docker's answers pass unchanged.
    /// </summary>
    public static HttpStatusCode DockerStatus(HttpStatusCode status, ReadOnlySpan<byte> body)
    {
        if (status != HttpStatusCode.InternalServerError || Cause(body) is not { } cause)
        {
            return status;
        }

        if (cause.Equals("that name is already in use", StringComparison.OrdinalIgnoreCase)
            || cause.Equals("container state improper", StringComparison.OrdinalIgnoreCase)
            || cause.Contains("already being removed", StringComparison.OrdinalIgnoreCase))
        {
            return HttpStatusCode.Conflict;
        }

        if (cause.StartsWith("invalid signal", StringComparison.OrdinalIgnoreCase))
        {
            return HttpStatusCode.BadRequest;
        }

        return status;
    }

    /// <summary>
    /// Adapts a create request to Podman. Podman lists its default network as <c>bridge</c> but
    /// refuses an <c>EndpointsConfig</c> entry of that name ("unable to find network with name or
    /// ID bridge"); the endpoint settings (aliases, addresses) go to the network's real name.
    /// </summary>
    public static void AdaptCreate(CreateContainerParameters parameters)
    {
        var endpoints = parameters.NetworkingConfig?.EndpointsConfig;
        string? mode = parameters.HostConfig?.NetworkMode;
        if (endpoints is null
            || (mode is { Length: > 0 } && mode != "bridge" && mode != "default")
            || !endpoints.Remove("bridge", out var settings))
        {
            return;
        }

        endpoints[DefaultNetwork] = settings;
    }

    /// <summary>
    /// The named volumes to create before the container. Docker creates a missing named volume of
    /// a mount with the mount's <c>VolumeOptions</c> (driver, driver options, labels); Podman 4.3
    /// creates it plain, without them. Creating an existing volume is a no-op on both engines, as
    /// the mount's options are on Docker.
    /// </summary>
    public static IReadOnlyList<VolumeCreateParameters> VolumesToCreate(CreateContainerParameters parameters)
    {
        var volumes = new List<VolumeCreateParameters>();
        foreach (var mount in parameters.HostConfig?.Mounts ?? [])
        {
            if (mount.Type != "volume" || string.IsNullOrEmpty(mount.Source) || mount.VolumeOptions is not { } options
                || (options.DriverConfig is null && options.Labels is not { Count: > 0 }))
            {
                continue;
            }

            volumes.Add(new VolumeCreateParameters
            {
                Name = mount.Source,
                Driver = options.DriverConfig?.Name is { Length: > 0 } driver ? driver : null,
                DriverOpts = options.DriverConfig?.Options is { Count: > 0 } driverOptions ? driverOptions : null,
                Labels = options.Labels is { Count: > 0 } labels ? labels : null,
            });
        }

        return volumes;
    }

    private static string? Cause(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("cause", out var cause)
                && cause.ValueKind == JsonValueKind.String
                ? cause.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
