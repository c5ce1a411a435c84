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
/// The real engines the integration tests run against: the Docker engine (<see cref="Docker"/>) and
/// Podman's Docker-compatible service (<see cref="Podman"/>). The engines and the test image are set
/// up by build/ensure-docker.sh and build/ensure-podman.sh (called by the README's test command).
/// With CI=true a missing engine fails the test; elsewhere it marks the test ignored with the reason.
/// The members without an engine are the Docker engine's.
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

    /// <summary>The Podman socket build/ensure-podman.sh starts <c>podman system service</c> on (same variable and default).</summary>
    public static string PodmanSocketPath { get; } =
        Environment.GetEnvironmentVariable("MESOS_EXECUTOR_TEST_PODMAN_SOCKET") is { Length: > 0 } p ? p : "/run/mesos-executor-test/podman.sock";

    /// <summary>The Docker engine (<see cref="SocketPath"/>).</summary>
    public static EngineUnderTest Docker { get; } = new(TestEngine.Docker, SocketPath, "build/ensure-docker.sh");

    /// <summary>Podman's Docker-compatible service (<see cref="PodmanSocketPath"/>).</summary>
    public static EngineUnderTest Podman { get; } = new(TestEngine.Podman, PodmanSocketPath, "build/ensure-podman.sh");

    /// <summary>The engine <paramref name="engine"/> names.</summary>
    public static EngineUnderTest For(TestEngine engine) => engine == TestEngine.Podman ? Podman : Docker;

    /// <summary>Fails (CI) or ignores (elsewhere) the current test when the Docker engine or the test image is missing.</summary>
    public static Task RequireEngineAsync(CancellationToken cancellationToken = default) => Docker.RequireAsync(cancellationToken);

    /// <summary>Fails (CI) or ignores (elsewhere) the current test with <paramref name="problem"/>.</summary>
    internal static void FailOrIgnore(string problem)
    {
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
    /// Pushes the test image to <see cref="AuthRegistry"/> from the Docker engine (see
    /// <see cref="EngineUnderTest.PushToAuthRegistryAsync"/>).
    /// </summary>
    /// <returns>The image name.</returns>
    public static Task<string> PushToAuthRegistryAsync(string tag, CancellationToken cancellationToken = default) =>
        Docker.PushToAuthRegistryAsync(tag, cancellationToken);

    /// <summary>Removes the local image name <paramref name="image"/> from the Docker engine; absent is fine.</summary>
    public static Task RemoveImageAsync(string image, CancellationToken cancellationToken = default) =>
        Docker.RemoveImageAsync(image, cancellationToken);

    /// <summary>Whether the Docker engine has an image named <paramref name="image"/>.</summary>
    public static Task<bool> ImageExistsAsync(string image, CancellationToken cancellationToken = default) =>
        Docker.ImageExistsAsync(image, cancellationToken);

    /// <summary>Creates a Docker.DotNet client for the Docker engine.</summary>
    public static DockerClient CreateClient() => Docker.CreateClient();

    /// <summary>Removes every container (forcibly) carrying this run's label from the Docker engine.</summary>
    public static Task CleanupAsync(CancellationToken cancellationToken = default) => Docker.CleanupAsync(cancellationToken);
}
