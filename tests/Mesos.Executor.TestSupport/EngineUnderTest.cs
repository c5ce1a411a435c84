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
/// One engine the integration tests run against, reached through the Docker Engine API on its
/// Unix socket: the Docker engine or Podman's Docker-compatible service. Both are set up by the
/// scripts the README's test command runs; with CI=true a missing engine fails the test,
/// elsewhere it marks the test ignored with the reason.
/// </summary>
public sealed class EngineUnderTest
{
    private readonly string _setupScript;

    internal EngineUnderTest(TestEngine kind, string socketPath, string setupScript)
    {
        Kind = kind;
        SocketPath = socketPath;
        Endpoint = new Uri("unix://" + socketPath);
        _setupScript = setupScript;
    }

    /// <summary>Which engine this is.</summary>
    public TestEngine Kind { get; }

    /// <summary>Whether this is Podman.</summary>
    public bool IsPodman => Kind == TestEngine.Podman;

    /// <summary>The engine's socket.</summary>
    public string SocketPath { get; }

    /// <summary>The endpoint URI (<c>unix://</c> + <see cref="SocketPath"/>).</summary>
    public Uri Endpoint { get; }

    /// <inheritdoc/>
    public override string ToString() => Kind.ToString();

    /// <summary>Creates a Docker.DotNet client for this engine.</summary>
    public DockerClient CreateClient() => new DockerClientBuilder().WithEndpoint(Endpoint).Build();

    /// <summary>Fails (CI) or ignores (elsewhere) the current test when the engine or the test image is missing.</summary>
    public async Task RequireAsync(CancellationToken cancellationToken = default)
    {
        string? problem = null;
        if (!File.Exists(SocketPath))
        {
            problem = $"no {Kind} engine socket at {SocketPath} (run {_setupScript})";
        }
        else
        {
            try
            {
                using var client = CreateClient();
                await client.System.PingAsync(cancellationToken);
                if (!await ImageExistsAsync(DockerTestEnvironment.TestImage, cancellationToken))
                {
                    problem = $"test image {DockerTestEnvironment.TestImage} is missing in {Kind} (run {_setupScript})";
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                problem = $"{Kind} engine at {SocketPath} does not answer: {ex.Message}";
            }
        }

        if (problem != null)
        {
            DockerTestEnvironment.FailOrIgnore(problem);
        }
    }

    /// <summary>
    /// Pushes the test image to <see cref="DockerTestEnvironment.AuthRegistry"/> under a tag of the
    /// caller's own (<c>{AuthRegistry}/mesos-executor-test/busybox:{tag}</c>) and removes the local
    /// tag again, so that a pull of it must go to the registry. Tests that pull it remove it by that name.
    /// </summary>
    /// <returns>The image name.</returns>
    public async Task<string> PushToAuthRegistryAsync(string tag, CancellationToken cancellationToken = default)
    {
        string registry = DockerTestEnvironment.AuthRegistry;
        string user = DockerTestEnvironment.AuthRegistryUser;
        string password = DockerTestEnvironment.AuthRegistryPassword;
        string repository = $"{registry}/mesos-executor-test/busybox";
        string image = $"{repository}:{tag}";
        using var client = CreateClient();
        await client.Images.TagImageAsync(DockerTestEnvironment.TestImage, new ImageTagParameters { RepositoryName = repository, Tag = tag }, cancellationToken);
        try
        {
            // The repository with the tag as its own parameter: Podman refuses a name that has both.
            await client.Images.PushImageAsync(
                repository,
                new ImagePushParameters { Tag = tag },
                new AuthConfig { Username = user, Password = password, ServerAddress = registry },
                new Progress<JSONMessage>(),
                cancellationToken);

            // The push reports failures inside its progress stream: ask the registry itself.
            using var http = new System.Net.Http.HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            using var request = new System.Net.Http.HttpRequestMessage(System.Net.Http.HttpMethod.Head, new Uri($"http://{registry}/v2/mesos-executor-test/busybox/manifests/{tag}"));
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{user}:{password}")));
            request.Headers.Accept.ParseAdd("application/vnd.docker.distribution.manifest.v2+json");
            using var response = await http.SendAsync(request, cancellationToken);
            Assert.That(response.IsSuccessStatusCode, Is.True, $"the registry {registry} has no {image} after the push ({(int)response.StatusCode})");
        }
        finally
        {
            await RemoveImageAsync(image, CancellationToken.None);
        }

        return image;
    }

    /// <summary>Removes the local image name <paramref name="image"/> (only that tag; shared layers stay); absent is fine.</summary>
    public async Task RemoveImageAsync(string image, CancellationToken cancellationToken = default)
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
    public async Task<bool> ImageExistsAsync(string image, CancellationToken cancellationToken = default)
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

    /// <summary>Removes every container (forcibly) carrying this run's label.</summary>
    public async Task CleanupAsync(CancellationToken cancellationToken = default)
    {
        if (!File.Exists(SocketPath))
        {
            return;
        }

        using var client = CreateClient();
        var filters = new Dictionary<string, IDictionary<string, bool>>
        {
            ["label"] = new Dictionary<string, bool> { [$"{DockerTestEnvironment.TestLabel}={DockerTestEnvironment.RunId}"] = true },
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
