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
