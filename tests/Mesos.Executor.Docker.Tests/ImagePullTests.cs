#nullable disable warnings
using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet;
using Docker.DotNet.Models;
using Mesos.Executor.Core;
using Mesos.Executor.Docker.Tests.Support;
using Mesos.Executor.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using NUnit.Framework;

namespace Mesos.Executor.Docker.Tests;

/// <summary>
/// Image pulls through the engine from the loopback registry build/ensure-docker.sh runs: the
/// engine's streamed progress is read message by message, and a missing image fails naming it.
/// </summary>
[TestFixture]
[Category("Docker")]
[NonParallelizable]
public sealed class ImagePullTests
{
    private DockerClient _client;

    private static string RegistryImage => $"{DockerTestEnvironment.Registry}/{DockerTestEnvironment.TestImage}";

    [OneTimeSetUp]
    public async Task OneTimeSetUp()
    {
        await DockerTestEnvironment.RequireEngineAsync();
        await DockerTestEnvironment.RequireRegistryAsync();
        _client = DockerTestEnvironment.CreateClient();
    }

    [TearDown]
    public async Task TearDown()
    {
        await DockerTestCleanup.CleanupAsync();
        await UntagAsync(CancellationToken.None);
    }

    [OneTimeTearDown]
    public void OneTimeTearDown() => _client?.Dispose();

    [Test]
    [CancelAfter(60_000)]
    public async Task Create_ImageOnlyInTheRegistry_PullsItReadingTheProgressStreamAndCreates(CancellationToken cancellationToken)
    {
        await UntagAsync(cancellationToken);
        using var logs = new FakeLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        await using var containerizer = new DockerContainerizer(DockerContainerizerTests.Options(), loggerFactory);

        string id = await containerizer.CreateAsync(TestTasks.Spec(TestTasks.Task("true", image: RegistryImage), DockerTestCleanup.NewSandbox()), cancellationToken);

        var inspect = await _client.Containers.InspectContainerAsync(id, cancellationToken);
        var events = logs.Collector.GetSnapshot().Select(r => r.Id.Name).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(inspect.Config.Image, Is.EqualTo(RegistryImage));
            Assert.That(events, Does.Contain("DockerImagePulling").And.Contain("DockerImagePulled"));
            Assert.That(events, Does.Contain("DockerImagePullProgress"), "the engine's status messages (e.g. 'Pull complete') were read from the stream");
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Create_TagMissingFromTheRegistry_FailsNamingTheImage(CancellationToken cancellationToken)
    {
        string missing = $"{DockerTestEnvironment.Registry}/mesos-executor-test/busybox:absent";
        await using var containerizer = new DockerContainerizer(DockerContainerizerTests.Options());

        var ex = await Assert.ThrowsAsync<ContainerizerException>(() =>
            containerizer.CreateAsync(TestTasks.Spec(TestTasks.Task("true", image: missing)), cancellationToken));

        Assert.That(ex.Message, Does.Contain($"pulling image '{missing}' failed").And.Contain("absent"));
    }

    private async Task UntagAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Only the registry tag: the image itself stays, under its local name.
            await _client.Images.DeleteImageAsync(RegistryImage, new ImageDeleteParameters { Force = false, NoPrune = true }, cancellationToken);
        }
        catch (DockerImageNotFoundException)
        {
        }
    }
}
