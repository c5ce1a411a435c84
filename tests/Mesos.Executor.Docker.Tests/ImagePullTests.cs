#nullable disable warnings
using System;
using System.Formats.Tar;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
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
[TestFixture(TestEngine.Docker)]
[TestFixture(TestEngine.Podman, Category = "Podman")]
[Category("Docker")]
[NonParallelizable]
public sealed class ImagePullTests
{
    private readonly EngineUnderTest _engine;
    private DockerClient _client;

    public ImagePullTests(TestEngine engine) => _engine = DockerTestEnvironment.For(engine);

    private static string RegistryImage => $"{DockerTestEnvironment.Registry}/{DockerTestEnvironment.TestImage}";

    [OneTimeSetUp]
    public async Task OneTimeSetUp()
    {
        await _engine.RequireAsync();
        await DockerTestEnvironment.RequireRegistryAsync();
        _client = _engine.CreateClient();
    }

    [TearDown]
    public async Task TearDown()
    {
        await DockerTestCleanup.CleanupAsync(_engine);
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
        await using var containerizer = new DockerContainerizer(DockerContainerizerTests.Options(_engine), loggerFactory);

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
        await using var containerizer = new DockerContainerizer(DockerContainerizerTests.Options(_engine));

        var ex = await Assert.ThrowsAsync<ContainerizerException>(() =>
            containerizer.CreateAsync(TestTasks.Spec(TestTasks.Task("true", image: missing)), cancellationToken));

        Assert.That(ex.Message, Does.Contain($"pulling image '{missing}' failed").And.Contain("absent"));
    }

    [Test]
    [CancelAfter(90_000)]
    public async Task Create_LayerMissingFromTheRegistry_FailsWithTheErrorTheEngineStreams(CancellationToken cancellationToken)
    {
        // A one-file image of its own (so no other image shares its layer), pushed, then its
        // layer deleted from the registry: the engine answers the pull with 200 and reports the
        // failure inside the progress stream.
        string repository = $"{DockerTestEnvironment.Registry}/mesos-executor-test/broken";
        string tag = DockerTestEnvironment.RunId;
        string image = $"{repository}:{tag}";
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, leaveOpen: true))
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, "marker") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(tag)) };
            await writer.WriteEntryAsync(entry, cancellationToken);
        }

        tar.Position = 0;
        await _client.Images.CreateImageAsync(new ImagesCreateParameters { FromSrc = "-", Repo = repository, Tag = tag }, tar, null, new Progress<JSONMessage>(), cancellationToken);
        if (_engine.IsPodman)
        {
            // Podman 4.3's import ignores the tag parameter and names the image :latest.
            await _client.Images.TagImageAsync($"{repository}:latest", new ImageTagParameters { RepositoryName = repository, Tag = tag }, cancellationToken);
            await _client.Images.DeleteImageAsync($"{repository}:latest", new ImageDeleteParameters { NoPrune = true }, cancellationToken);
        }

        try
        {
            await _client.Images.PushImageAsync(repository, new ImagePushParameters { Tag = tag }, new AuthConfig(), new Progress<JSONMessage>(), cancellationToken);
            await DeleteLayerBlobAsync("mesos-executor-test/broken", tag, cancellationToken);
            await _client.Images.DeleteImageAsync(image, new ImageDeleteParameters { Force = true }, cancellationToken);
            await using var containerizer = new DockerContainerizer(DockerContainerizerTests.Options(_engine));

            var ex = await Assert.ThrowsAsync<ContainerizerException>(() =>
                containerizer.CreateAsync(TestTasks.Spec(TestTasks.Task("true", image: image)), cancellationToken));

            await TestContext.Out.WriteLineAsync(ex.Message);
            Assert.That(ex.Message, Does.StartWith($"pulling image '{image}' failed: ").And.Not.Contain("HTTP "), "the error came in the stream, not as a status");
        }
        finally
        {
            try
            {
                await _client.Images.DeleteImageAsync(image, new ImageDeleteParameters { Force = true }, CancellationToken.None);
            }
            catch (DockerImageNotFoundException)
            {
            }
        }
    }

    private static async Task DeleteLayerBlobAsync(string name, string tag, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://{DockerTestEnvironment.Registry}/v2/{name}/") };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"manifests/{tag}");
        request.Headers.Accept.ParseAdd("application/vnd.docker.distribution.manifest.v2+json");
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json"); // Podman pushes OCI manifests
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var manifest = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        string digest = manifest.RootElement.GetProperty("layers")[0].GetProperty("digest").GetString();
        using var deleted = await http.DeleteAsync($"blobs/{digest}", cancellationToken);
        Assert.That((int)deleted.StatusCode, Is.EqualTo(202), "the registry deletes the layer blob");
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
