using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet;
using Docker.DotNet.Models;
using NUnit.Framework;

namespace Mesos.Executor.TestSupport;

/// <summary>
/// The real Docker engine the integration tests run against. The engine and the test image are set
/// up by build/ensure-docker.sh (called by the README's test command). With CI=true a missing
/// engine fails the test; elsewhere it marks the test ignored with the reason.
/// </summary>
public static class DockerTestEnvironment
{
    /// <summary>The local busybox image built by build/ensure-docker.sh (no registry is reachable).</summary>
    public const string TestImage = "mesos-executor-test/busybox:1";

    /// <summary>Label put on every container, network and volume a test creates.</summary>
    public const string TestLabel = "mesos-executor-test";

    /// <summary>The Docker socket.</summary>
    public const string SocketPath = "/var/run/docker.sock";

    /// <summary>Unique per test run; cleanup removes what carries it.</summary>
    public static readonly string RunId = Guid.NewGuid().ToString("N")[..12];

    /// <summary>The Docker endpoint URI.</summary>
    public static Uri Endpoint { get; } = new("unix://" + SocketPath);

    /// <summary>Labels marking a resource as created by this test run.</summary>
    public static IDictionary<string, string> RunLabels => new Dictionary<string, string> { [TestLabel] = RunId };

    /// <summary>Whether CI=true (then a missing engine is a failure, never a skip).</summary>
    public static bool IsCI => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Fails (CI) or ignores (elsewhere) the current test when the engine or the test image is missing.</summary>
    public static async Task RequireEngineAsync(CancellationToken cancellationToken = default)
    {
        string? problem = null;
        if (!File.Exists(SocketPath))
        {
            problem = $"no Docker engine socket at {SocketPath} (run build/ensure-docker.sh)";
        }
        else
        {
            try
            {
                using var client = CreateClient();
                await client.System.PingAsync(cancellationToken);
                var images = await client.Images.ListImagesAsync(new ImagesListParameters { All = true }, cancellationToken);
                bool found = false;
                foreach (var image in images)
                {
                    if (image.RepoTags != null && image.RepoTags.Contains(TestImage))
                    {
                        found = true;
                        break;
                    }
                }

                if (!found)
                {
                    problem = $"test image {TestImage} is missing (run build/ensure-docker.sh)";
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                problem = $"Docker engine at {SocketPath} does not answer: {ex.Message}";
            }
        }

        if (problem == null)
        {
            return;
        }

        if (IsCI)
        {
            Assert.Fail(problem);
        }

        Assert.Ignore(problem);
    }

    /// <summary>The loopback registry build/ensure-docker.sh starts, holding <c>{Registry}/{TestImage}</c>.</summary>
    public static string Registry { get; } = Environment.GetEnvironmentVariable("MESOS_EXECUTOR_TEST_REGISTRY") is { Length: > 0 } r ? r : "127.0.0.1:5123";

    /// <summary>Fails (CI) or ignores (elsewhere) the current test when the loopback registry does not answer.</summary>
    public static async Task RequireRegistryAsync(CancellationToken cancellationToken = default)
    {
        string? problem = null;
        try
        {
            using var http = new System.Net.Http.HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            using var response = await http.GetAsync(new Uri($"http://{Registry}/v2/"), cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                problem = $"the registry at {Registry} answers {(int)response.StatusCode} (run build/ensure-docker.sh)";
            }
        }
        catch (Exception ex) when (ex is System.Net.Http.HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            problem = $"no registry at {Registry} (run build/ensure-docker.sh): {ex.Message}";
        }

        if (problem == null)
        {
            return;
        }

        if (IsCI)
        {
            Assert.Fail(problem);
        }

        Assert.Ignore(problem);
    }

    /// <summary>
    /// The loopback registry build/ensure-docker.sh starts that requires basic authentication
    /// (htpasswd: <see cref="AuthRegistryUser"/> / <see cref="AuthRegistryPassword"/>), holding
    /// <c>{AuthRegistry}/{TestImage}</c>. The engine keeps no credentials: only <c>X-Registry-Auth</c> gets in.
    /// </summary>
    public static string AuthRegistry { get; } = Environment.GetEnvironmentVariable("MESOS_EXECUTOR_TEST_AUTH_REGISTRY") is { Length: > 0 } r ? r : "127.0.0.1:5124";

    /// <summary>The user of <see cref="AuthRegistry"/> (same variable and default as build/ensure-docker.sh).</summary>
    public static string AuthRegistryUser { get; } = Environment.GetEnvironmentVariable("MESOS_EXECUTOR_TEST_AUTH_REGISTRY_USER") is { Length: > 0 } u ? u : "mesos-test";

    /// <summary>The password of <see cref="AuthRegistryUser"/> (same variable and default as build/ensure-docker.sh).</summary>
    public static string AuthRegistryPassword { get; } = Environment.GetEnvironmentVariable("MESOS_EXECUTOR_TEST_AUTH_REGISTRY_PASSWORD") is { Length: > 0 } p ? p : "registry-secret-4711";

    /// <summary>Fails (CI) or ignores (elsewhere) the current test when <see cref="AuthRegistry"/> does not answer, or answers without asking for credentials.</summary>
    public static async Task RequireAuthRegistryAsync(CancellationToken cancellationToken = default)
    {
        string? problem = null;
        try
        {
            using var http = new System.Net.Http.HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            using var response = await http.GetAsync(new Uri($"http://{AuthRegistry}/v2/"), cancellationToken);
            if (response.StatusCode != System.Net.HttpStatusCode.Unauthorized)
            {
                problem = $"the registry at {AuthRegistry} answers {(int)response.StatusCode}, not 401 (run build/ensure-docker.sh)";
            }
        }
        catch (Exception ex) when (ex is System.Net.Http.HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            problem = $"no registry at {AuthRegistry} (run build/ensure-docker.sh): {ex.Message}";
        }

        if (problem == null)
        {
            return;
        }

        if (IsCI)
        {
            Assert.Fail(problem);
        }

        Assert.Ignore(problem);
    }

    /// <summary>
    /// Pushes the test image to <see cref="AuthRegistry"/> under a tag of the caller's own
    /// (<c>{AuthRegistry}/mesos-executor-test/busybox:{tag}</c>) and removes the local tag again, so
    /// that a pull of it must go to the registry. Tests that pull it remove it by that name.
    /// </summary>
    /// <returns>The image name.</returns>
    public static async Task<string> PushToAuthRegistryAsync(string tag, CancellationToken cancellationToken = default)
    {
        string repository = $"{AuthRegistry}/mesos-executor-test/busybox";
        string image = $"{repository}:{tag}";
        using var client = CreateClient();
        await client.Images.TagImageAsync(TestImage, new ImageTagParameters { RepositoryName = repository, Tag = tag }, cancellationToken);
        try
        {
            await client.Images.PushImageAsync(
                image,
                new ImagePushParameters { Tag = tag },
                new AuthConfig { Username = AuthRegistryUser, Password = AuthRegistryPassword, ServerAddress = AuthRegistry },
                new Progress<JSONMessage>(),
                cancellationToken);

            // The push reports failures inside its progress stream: ask the registry itself.
            using var http = new System.Net.Http.HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            using var request = new System.Net.Http.HttpRequestMessage(System.Net.Http.HttpMethod.Head, new Uri($"http://{AuthRegistry}/v2/mesos-executor-test/busybox/manifests/{tag}"));
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{AuthRegistryUser}:{AuthRegistryPassword}")));
            request.Headers.Accept.ParseAdd("application/vnd.docker.distribution.manifest.v2+json");
            using var response = await http.SendAsync(request, cancellationToken);
            Assert.That(response.IsSuccessStatusCode, Is.True, $"the registry {AuthRegistry} has no {image} after the push ({(int)response.StatusCode})");
        }
        finally
        {
            await RemoveImageAsync(image, CancellationToken.None);
        }

        return image;
    }

    /// <summary>Removes the local image name <paramref name="image"/> (only that tag; shared layers stay); absent is fine.</summary>
    public static async Task RemoveImageAsync(string image, CancellationToken cancellationToken = default)
    {
        using var client = CreateClient();
        try
        {
            await client.Images.DeleteImageAsync(image, new ImageDeleteParameters { Force = true, NoPrune = true }, cancellationToken);
        }
        catch (DockerImageNotFoundException)
        {
        }
    }

    /// <summary>Whether the engine has an image named <paramref name="image"/>.</summary>
    public static async Task<bool> ImageExistsAsync(string image, CancellationToken cancellationToken = default)
    {
        using var client = CreateClient();
        try
        {
            await client.Images.InspectImageAsync(image, cancellationToken);
            return true;
        }
        catch (DockerImageNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Creates a Docker.DotNet client for the test engine.</summary>
    public static DockerClient CreateClient() => new DockerClientBuilder().WithEndpoint(Endpoint).Build();

    /// <summary>Removes every container (forcibly) carrying this run's label.</summary>
    public static async Task CleanupAsync(CancellationToken cancellationToken = default)
    {
        if (!File.Exists(SocketPath))
        {
            return;
        }

        using var client = CreateClient();
        var filters = new Dictionary<string, IDictionary<string, bool>>
        {
            ["label"] = new Dictionary<string, bool> { [$"{TestLabel}={RunId}"] = true },
        };
        var containers = await client.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = filters }, cancellationToken);
        foreach (var c in containers)
        {
            try
            {
                await client.Containers.RemoveContainerAsync(c.ID, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, cancellationToken);
            }
            catch (DockerContainerNotFoundException)
            {
            }
        }
    }
}
