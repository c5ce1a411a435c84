using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Text;
using Mesos.Executor.Docker.Internal.Engine;
using NUnit.Framework;

namespace Mesos.Executor.Docker.Tests;

/// <summary>
/// The Engine API client's handling of Podman's answers, each difference on its own (the Podman
/// fixtures of the integration suites run them against the real service).
/// </summary>
[TestFixture]
public sealed class PodmanCompatibilityTests
{
    [Test]
    public void IsPodman_PingFromPodman_IsRecognizedByItsLibpodHeaders()
    {
        using var podman = new HttpResponseMessage(HttpStatusCode.OK);
        podman.Headers.TryAddWithoutValidation("Libpod-API-Version", "4.3.1");
        podman.Headers.TryAddWithoutValidation("Server", "Libpod/4.3.1 (linux)");
        using var serverOnly = new HttpResponseMessage(HttpStatusCode.OK);
        serverOnly.Headers.TryAddWithoutValidation("Server", "Libpod/5.0.0 (linux)");
        using var docker = new HttpResponseMessage(HttpStatusCode.OK);
        docker.Headers.TryAddWithoutValidation("Server", "Docker/20.10.24+dfsg1 (linux)");
        docker.Headers.TryAddWithoutValidation("API-Version", "1.41");

        Assert.Multiple(() =>
        {
            Assert.That(PodmanCompatibility.IsPodman(podman), Is.True);
            Assert.That(PodmanCompatibility.IsPodman(serverOnly), Is.True);
            Assert.That(PodmanCompatibility.IsPodman(docker), Is.False);
        });
    }

    // Podman 4.3's answers, verbatim.
    [TestCase("{\"cause\":\"that name is already in use\",\"message\":\"container create: creating container storage: the container name \\\"x\\\" is already in use by 95. You have to remove that container to be able to reuse that name: that name is already in use\",\"response\":500}", HttpStatusCode.Conflict)]
    [TestCase("{\"cause\":\"container state improper\",\"message\":\"can only kill running containers. 95 is in state created: container state improper\",\"response\":500}", HttpStatusCode.Conflict)]
    [TestCase("{\"cause\":\"container state improper\",\"message\":\"can only create exec sessions on running containers: container state improper\",\"response\":500}", HttpStatusCode.Conflict)]
    [TestCase("{\"cause\":\"invalid signal: SIGFOO\",\"message\":\"invalid signal: SIGFOO\",\"response\":500}", HttpStatusCode.BadRequest)]
    [TestCase("{\"cause\":\"no space left on device\",\"message\":\"no space left on device\",\"response\":500}", HttpStatusCode.InternalServerError)]
    public void DockerStatus_PodmanErrorWithCause_IsDockersStatus(string body, HttpStatusCode expected)
    {
        Assert.That(PodmanCompatibility.DockerStatus(HttpStatusCode.InternalServerError, Encoding.UTF8.GetBytes(body)), Is.EqualTo(expected));
    }

    [TestCase(HttpStatusCode.InternalServerError, "{\"message\":\"container state improper\"}")]
    [TestCase(HttpStatusCode.InternalServerError, "not json")]
    [TestCase(HttpStatusCode.NotFound, "{\"cause\":\"no such container\",\"message\":\"no such container\",\"response\":404}")]
    public void DockerStatus_DockerErrorsAndOtherStatuses_AreUnchanged(HttpStatusCode status, string body)
    {
        Assert.That(PodmanCompatibility.DockerStatus(status, Encoding.UTF8.GetBytes(body)), Is.EqualTo(status));
    }

    [TestCase(null)]
    [TestCase("bridge")]
    public void AdaptCreate_BridgeEndpoint_GoesToPodmansDefaultNetwork(string? networkMode)
    {
        var settings = new EndpointSettings { Aliases = ["web"] };
        var parameters = new CreateContainerParameters
        {
            HostConfig = new HostConfig { NetworkMode = networkMode },
            NetworkingConfig = new NetworkingConfig { EndpointsConfig = new Dictionary<string, EndpointSettings> { ["bridge"] = settings } },
        };

        PodmanCompatibility.AdaptCreate(parameters);

        Assert.That(parameters.NetworkingConfig.EndpointsConfig, Is.EqualTo(new Dictionary<string, EndpointSettings> { ["podman"] = settings }));
    }

    [Test]
    public void AdaptCreate_UserNetworkNamedBridgeInAnotherMode_IsLeftAlone()
    {
        var parameters = new CreateContainerParameters
        {
            HostConfig = new HostConfig { NetworkMode = "host" },
            NetworkingConfig = new NetworkingConfig { EndpointsConfig = new Dictionary<string, EndpointSettings> { ["bridge"] = new() } },
        };

        PodmanCompatibility.AdaptCreate(parameters);

        Assert.That(parameters.NetworkingConfig.EndpointsConfig.Keys, Is.EqualTo(new[] { "bridge" }));
    }

    [Test]
    public void VolumesToCreate_NamedVolumeMountsWithOptions_AreCreatedFirstWithDriverOptionsAndLabels()
    {
        var parameters = new CreateContainerParameters
        {
            HostConfig = new HostConfig
            {
                Mounts =
                [
                    new Mount
                    {
                        Type = "volume",
                        Source = "data",
                        Target = "/data",
                        VolumeOptions = new VolumeOptions
                        {
                            Labels = new Dictionary<string, string> { ["owner"] = "task" },
                            DriverConfig = new Driver { Name = "local", Options = new Dictionary<string, string> { ["type"] = "tmpfs" } },
                        },
                    },
                    new Mount { Type = "volume", Source = "plain", Target = "/plain" },
                    new Mount { Type = "bind", Source = "/host", Target = "/host", VolumeOptions = new VolumeOptions { Labels = new Dictionary<string, string> { ["x"] = "y" } } },
                    new Mount { Type = "volume", Target = "/anonymous", VolumeOptions = new VolumeOptions { Labels = new Dictionary<string, string> { ["x"] = "y" } } },
                ],
            },
        };

        var volumes = PodmanCompatibility.VolumesToCreate(parameters);

        Assert.That(volumes, Has.Count.EqualTo(1));
        Assert.Multiple(() =>
        {
            Assert.That(volumes[0].Name, Is.EqualTo("data"));
            Assert.That(volumes[0].Driver, Is.EqualTo("local"));
            Assert.That(volumes[0].DriverOpts, Is.EqualTo(new Dictionary<string, string> { ["type"] = "tmpfs" }));
            Assert.That(volumes[0].Labels, Is.EqualTo(new Dictionary<string, string> { ["owner"] = "task" }));
        });
    }
}
