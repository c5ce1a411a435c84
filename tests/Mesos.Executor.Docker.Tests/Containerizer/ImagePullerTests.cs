using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.Executor.Docker.Internal;
using Mesos.Executor.Docker.Internal.Registry;
using Mesos.Executor.TestSupport;
using Microsoft.Extensions.Logging.Testing;
using NUnit.Framework;

namespace Mesos.Executor.Docker.Tests.Containerizer;

/// <summary>
/// <see cref="ImagePuller"/> on its own against the real engine: when it pulls, when it does not, and
/// what a failure says. Pulls with progress and credentials through the whole containerizer are in
/// <see cref="ImagePullTests"/> and <see cref="RegistryCredentialsPullTests"/>.
/// </summary>
[TestFixture]
[Category("Docker")]
public sealed class ImagePullerTests
{
    private DockerEngine _engine = null!;
    private FakeLogger _logger = null!;
    private ImagePuller _puller = null!;

    [OneTimeSetUp]
    public async Task OneTimeSetUp()
    {
        await DockerTestEnvironment.RequireEngineAsync();
        await DockerTestEnvironment.RequireRegistryAsync();
    }

    [SetUp]
    public void SetUp()
    {
        _logger = new FakeLogger();
        _engine = new DockerEngine(DockerTestEnvironment.Endpoint, null, _logger);
        var calls = new EngineCalls(_engine, TimeSpan.FromSeconds(30), TimeProvider.System, CancellationToken.None);
        _puller = new ImagePuller(calls, new RegistryCredentialResolver(null, _logger), _logger);
    }

    [TearDown]
    public void TearDown() => _engine.Dispose();

    [Test]
    [CancelAfter(30_000)]
    public async Task EnsureAsync_PresentImage_DoesNotPull(CancellationToken cancellationToken)
    {
        await _puller.EnsureAsync(DockerTestEnvironment.TestImage, PullPolicy.IfNotPresent, sandbox: null, forcePullLeftToAgent: false, cancellationToken);

        Assert.That(Events(), Has.None.EqualTo("DockerImagePulling"));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task EnsureAsync_PresentImageWithForcePullLeftToAgent_LogsThatTheAgentPulled(CancellationToken cancellationToken)
    {
        await _puller.EnsureAsync(DockerTestEnvironment.TestImage, PullPolicy.IfNotPresent, sandbox: null, forcePullLeftToAgent: true, cancellationToken);

        Assert.That(Events(), Does.Contain("DockerImagePullLeftToAgent").And.None.EqualTo("DockerImagePulling"));
    }

    [Test]
    [CancelAfter(30_000)]
    public void EnsureAsync_AbsentImageWithPolicyNever_FailsNamingIt(CancellationToken cancellationToken)
    {
        string image = $"mesos-executor-test/absent-{DockerTestEnvironment.RunId}:1";

        Assert.That(
            () => _puller.EnsureAsync(image, PullPolicy.Never, sandbox: null, forcePullLeftToAgent: false, cancellationToken),
            Throws.TypeOf<ContainerizerException>().With.Message.EqualTo($"image '{image}' is not present and the pull policy is Never"));
        Assert.That(Events(), Has.None.EqualTo("DockerImagePulling"));
    }

    [Test]
    [CancelAfter(60_000)]
    public void EnsureAsync_ImageTheRegistryDoesNotHave_FailsNamingIt(CancellationToken cancellationToken)
    {
        string image = $"{DockerTestEnvironment.Registry}/mesos-executor-test/absent-{DockerTestEnvironment.RunId}";

        Assert.That(
            () => _puller.EnsureAsync(image, PullPolicy.IfNotPresent, sandbox: null, forcePullLeftToAgent: false, cancellationToken),
            Throws.TypeOf<ContainerizerException>().With.Message.StartsWith($"pulling image '{image}' failed: "));
        Assert.That(Events(), Does.Contain("DockerImagePulling"), "the default tag was added and the pull attempted");
    }

    private string?[] Events() => _logger.Collector.GetSnapshot().Select(r => r.Id.Name).ToArray();
}
