#nullable disable warnings
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.Executor.Docker.Tests.Support;
using Mesos.Executor.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using NUnit.Framework;

namespace Mesos.Executor.Docker.Tests;

/// <summary>
/// Pulls from the loopback registry that requires basic authentication (build/ensure-docker.sh):
/// the engine keeps no credentials, so only the <c>X-Registry-Auth</c> header the containerizer
/// sends, from the sandbox's <c>.docker/config.json</c> / <c>.dockercfg</c> or the operator's
/// config file, gets an image in. Each test pushes its own tag and removes it locally afterwards.
/// </summary>
[TestFixture(TestEngine.Docker)]
[TestFixture(TestEngine.Podman, Category = "Podman")]
[Category("Docker")]
[NonParallelizable]
public sealed class RegistryCredentialsPullTests
{
    private readonly EngineUnderTest _engine;
    private readonly List<string> _images = [];
    private int _tags;

    public RegistryCredentialsPullTests(TestEngine engine) => _engine = DockerTestEnvironment.For(engine);

    private static string User => DockerTestEnvironment.AuthRegistryUser;

    private static string Password => DockerTestEnvironment.AuthRegistryPassword;

    [OneTimeSetUp]
    public async Task OneTimeSetUp()
    {
        await _engine.RequireAsync();
        await DockerTestEnvironment.RequireAuthRegistryAsync();
    }

    [TearDown]
    public async Task TearDown()
    {
        await DockerTestCleanup.CleanupAsync(_engine);
        foreach (string image in _images)
        {
            await _engine.RemoveImageAsync(image);
        }

        _images.Clear();
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Create_NoCredentials_FailsSayingThatNoneWereFound(CancellationToken cancellationToken)
    {
        string image = await PushedImageAsync(cancellationToken);
        await using var containerizer = new DockerContainerizer(Options());

        var ex = await Assert.ThrowsAsync<ContainerizerException>(() =>
            containerizer.CreateAsync(TestTasks.Spec(TestTasks.Task("true", image: image), DockerTestCleanup.NewSandbox()), cancellationToken));

        await TestContext.Out.WriteLineAsync(ex.Message);
        Assert.That(ex.Message, Does.StartWith($"pulling image '{image}' failed: ")
            .And.Contain($"no credentials for registry {DockerTestEnvironment.AuthRegistry}: the sandbox has no .docker/config.json or .dockercfg"));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Create_SandboxDockerConfigJson_PullsWithItsCredentials_AndLogsNoSecret(CancellationToken cancellationToken)
    {
        string image = await PushedImageAsync(cancellationToken);
        string sandbox = DockerTestCleanup.NewSandbox();
        string auth = WriteConfigJson(sandbox, User, Password);
        using var logs = new FakeLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        await using var containerizer = new DockerContainerizer(Options(), loggerFactory);

        string id = await containerizer.CreateAsync(TestTasks.Spec(TestTasks.Task("true", image: image), sandbox), cancellationToken);

        var records = logs.Collector.GetSnapshot();
        string text = string.Join("\n", records.Select(r => r.Message + " " + string.Join(",", r.StructuredState?.Select(p => p.Key + "=" + p.Value) ?? [])));
        Assert.Multiple(() =>
        {
            Assert.That(id, Is.Not.Empty);
            Assert.That(records.Select(r => r.Id.Name), Does.Contain("DockerImagePullCredentials").And.Contain("DockerImagePulled"));
            Assert.That(text, Does.Contain(Path.Join(sandbox, ".docker/config.json")), "the log names the file the credentials came from");
            Assert.That(text, Does.Not.Contain(Password), "never the password");
            Assert.That(text, Does.Not.Contain(auth), "never the auth string");
            Assert.That(text, Does.Not.Contain("X-Registry-Auth").And.Not.Contain("eyJ"), "never the header");
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Create_SandboxLegacyDockercfg_PullsWithItsCredentials(CancellationToken cancellationToken)
    {
        string image = await PushedImageAsync(cancellationToken);
        string sandbox = DockerTestCleanup.NewSandbox();
        File.WriteAllText(Path.Combine(sandbox, ".dockercfg"),
            $$"""{"{{DockerTestEnvironment.AuthRegistry}}":{"auth":"{{Auth(User, Password)}}","email":"test@example.com"} }""");
        await using var containerizer = new DockerContainerizer(Options());

        string id = await containerizer.CreateAsync(TestTasks.Spec(TestTasks.Task("true", image: image), sandbox), cancellationToken);

        Assert.That(await _engine.ImageExistsAsync(image, cancellationToken), Is.True, $"container {id} from the pulled image");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Create_OperatorConfigFileWithAUrlKey_PullsWithItsCredentials(CancellationToken cancellationToken)
    {
        string image = await PushedImageAsync(cancellationToken);
        string operatorFile = OperatorFile($$"""{"auths":{"https://{{DockerTestEnvironment.AuthRegistry}}/v2/":{"username":"{{User}}","password":"{{Password}}"} } }""");
        await using var containerizer = new DockerContainerizer(Options(dockerConfigPath: operatorFile));

        await containerizer.CreateAsync(TestTasks.Spec(TestTasks.Task("true", image: image), DockerTestCleanup.NewSandbox()), cancellationToken);

        Assert.That(await _engine.ImageExistsAsync(image, cancellationToken), Is.True);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Create_SandboxFileAndOperatorFile_TheSandboxFileWins(CancellationToken cancellationToken)
    {
        string image = await PushedImageAsync(cancellationToken);
        string sandbox = DockerTestCleanup.NewSandbox();
        WriteConfigJson(sandbox, User, Password);
        string operatorFile = OperatorFile($$"""{"auths":{"{{DockerTestEnvironment.AuthRegistry}}":{"auth":"{{Auth(User, "wrong-password")}}"} } }""");
        await using var containerizer = new DockerContainerizer(Options(dockerConfigPath: operatorFile));

        await containerizer.CreateAsync(TestTasks.Spec(TestTasks.Task("true", image: image), sandbox), cancellationToken);

        Assert.That(await _engine.ImageExistsAsync(image, cancellationToken), Is.True);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Create_SandboxFileWithoutTheRegistry_DoesNotFallBackToTheOperatorFile(CancellationToken cancellationToken)
    {
        // As with the agent's HOME=sandbox: a config file in the sandbox replaces the operator's.
        string image = await PushedImageAsync(cancellationToken);
        string sandbox = DockerTestCleanup.NewSandbox();
        Directory.CreateDirectory(Path.Combine(sandbox, ".docker"));
        File.WriteAllText(Path.Combine(sandbox, ".docker", "config.json"), """{"auths":{"registry.example.com":{"auth":"dTpw"}}}""");
        string operatorFile = OperatorFile($$"""{"auths":{"{{DockerTestEnvironment.AuthRegistry}}":{"auth":"{{Auth(User, Password)}}"} } }""");
        await using var containerizer = new DockerContainerizer(Options(dockerConfigPath: operatorFile));

        var ex = await Assert.ThrowsAsync<ContainerizerException>(() =>
            containerizer.CreateAsync(TestTasks.Spec(TestTasks.Task("true", image: image), sandbox), cancellationToken));

        Assert.That(ex.Message, Does.Contain($"no credentials for registry {DockerTestEnvironment.AuthRegistry} in {Path.Join(sandbox, ".docker/config.json")}"));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Create_WrongPassword_FailsNamingTheCredentialsSent_WithoutTheSecret(CancellationToken cancellationToken)
    {
        string image = await PushedImageAsync(cancellationToken);
        string sandbox = DockerTestCleanup.NewSandbox();
        string auth = WriteConfigJson(sandbox, User, "wrong-password-0815");
        using var logs = new FakeLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        await using var containerizer = new DockerContainerizer(Options(), loggerFactory);

        var ex = await Assert.ThrowsAsync<ContainerizerException>(() =>
            containerizer.CreateAsync(TestTasks.Spec(TestTasks.Task("true", image: image), sandbox), cancellationToken));

        await TestContext.Out.WriteLineAsync(ex.Message);
        string logText = string.Join("\n", logs.Collector.GetSnapshot().Select(r => r.Message));
        Assert.Multiple(() =>
        {
            Assert.That(ex.Message, Does.StartWith($"pulling image '{image}' failed: ")
                .And.Contain($"sent the credentials of '{DockerTestEnvironment.AuthRegistry}' from {Path.Join(sandbox, ".docker/config.json")}"));
            Assert.That(ex.Message + logText, Does.Not.Contain("wrong-password-0815").And.Not.Contain(auth));
        });
    }

    [TestCase("{\"auths\": {", "is not valid JSON")]
    [TestCase("{\"auths\":{\"REGISTRY\":{\"auth\":\"%%not-base64%%\"}}}", "has an 'auth' that is not base64")]
    [CancelAfter(60_000)]
    public async Task Create_MalformedSandboxConfig_FailsClearly(string json, string problem, CancellationToken cancellationToken)
    {
        string image = await PushedImageAsync(cancellationToken);
        string sandbox = DockerTestCleanup.NewSandbox();
        Directory.CreateDirectory(Path.Combine(sandbox, ".docker"));
        File.WriteAllText(Path.Combine(sandbox, ".docker", "config.json"), json.Replace("REGISTRY", DockerTestEnvironment.AuthRegistry, StringComparison.Ordinal));
        await using var containerizer = new DockerContainerizer(Options());

        var ex = await Assert.ThrowsAsync<ContainerizerException>(() =>
            containerizer.CreateAsync(TestTasks.Spec(TestTasks.Task("true", image: image), sandbox), cancellationToken));

        Assert.That(ex.Message, Does.StartWith($"pulling image '{image}' failed: registry credentials: {Path.Join(sandbox, ".docker/config.json")}")
            .And.Contain(problem));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Create_SandboxConfigIsASymlinkToAHostFile_IsNotFollowed(CancellationToken cancellationToken)
    {
        string image = await PushedImageAsync(cancellationToken);
        string sandbox = DockerTestCleanup.NewSandbox();
        string hostFile = OperatorFile($$"""{"{{DockerTestEnvironment.AuthRegistry}}":{"auth":"{{Auth(User, Password)}}"} }""");
        File.CreateSymbolicLink(Path.Combine(sandbox, ".dockercfg"), hostFile);
        await using var containerizer = new DockerContainerizer(Options());

        var ex = await Assert.ThrowsAsync<ContainerizerException>(() =>
            containerizer.CreateAsync(TestTasks.Spec(TestTasks.Task("true", image: image), sandbox), cancellationToken));

        Assert.That(ex.Message, Does.Contain("'.dockercfg' is a symbolic link, which is never followed"));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Create_ImagePulledByAgentAndForcePull_UsesThePresentImageWithoutPulling(CancellationToken cancellationToken)
    {
        // The image exists only locally, under a name on the authenticating registry, and no
        // credentials are anywhere: any pull would fail, so success proves there was none.
        string image = $"{DockerTestEnvironment.AuthRegistry}/mesos-executor-test/busybox:{DockerTestEnvironment.RunId}-local";
        using (var client = _engine.CreateClient())
        {
            await client.Images.TagImageAsync(
                DockerTestEnvironment.TestImage,
                new global::Docker.DotNet.Models.ImageTagParameters { RepositoryName = image[..image.LastIndexOf(':')], Tag = image[(image.LastIndexOf(':') + 1)..] },
                cancellationToken);
        }

        _images.Add(image);
        var task = TestTasks.Task("true", image: image);
        task.Container.Docker.ForcePullImage = true;
        await using var dropIn = new DockerContainerizer(Options(imagePulledByAgent: true));
        await using var custom = new DockerContainerizer(Options());

        string id = await dropIn.CreateAsync(TestTasks.Spec(task, DockerTestCleanup.NewSandbox()), cancellationToken);
        var ex = await Assert.ThrowsAsync<ContainerizerException>(() => custom.CreateAsync(TestTasks.Spec(task, DockerTestCleanup.NewSandbox()), cancellationToken));

        Assert.Multiple(() =>
        {
            Assert.That(id, Is.Not.Empty, "drop-in: force_pull_image was the agent's business");
            Assert.That(ex.Message, Does.StartWith($"pulling image '{image}' failed"), "as a custom executor, force_pull_image pulls");
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Create_ImagePulledByAgentButAbsent_PullsWithTheSandboxCredentials(CancellationToken cancellationToken)
    {
        string image = await PushedImageAsync(cancellationToken);
        string sandbox = DockerTestCleanup.NewSandbox();
        WriteConfigJson(sandbox, User, Password);
        var task = TestTasks.Task("true", image: image);
        task.Container.Docker.ForcePullImage = true;
        await using var containerizer = new DockerContainerizer(Options(imagePulledByAgent: true));

        await containerizer.CreateAsync(TestTasks.Spec(task, sandbox), cancellationToken);

        Assert.That(await _engine.ImageExistsAsync(image, cancellationToken), Is.True);
    }

    private DockerContainerizerOptions Options(bool imagePulledByAgent = false, string dockerConfigPath = null) => new()
    {
        Endpoint = _engine.Endpoint,
        ExtraLabels = new Dictionary<string, string>(DockerTestEnvironment.RunLabels),
        ShortCallTimeout = TimeSpan.FromSeconds(20),
        EnvironmentReader = _ => null,
        ImagePulledByAgent = imagePulledByAgent,
        DockerConfigPath = dockerConfigPath,
    };

    private static string Auth(string user, string password) => Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));

    /// <summary>Writes the sandbox's <c>.docker/config.json</c> as <c>docker login</c> would; returns the auth string.</summary>
    private static string WriteConfigJson(string sandbox, string user, string password)
    {
        string auth = Auth(user, password);
        Directory.CreateDirectory(Path.Combine(sandbox, ".docker"));
        File.WriteAllText(Path.Combine(sandbox, ".docker", "config.json"), $$"""{"auths":{"{{DockerTestEnvironment.AuthRegistry}}":{"auth":"{{auth}}"} } }""");
        return auth;
    }

    /// <summary>An operator's config file outside every sandbox.</summary>
    private static string OperatorFile(string json)
    {
        string path = Path.Combine(DockerTestCleanup.NewSandbox(), "operator-docker-config.json");
        File.WriteAllText(path, json);
        return path;
    }

    private async Task<string> PushedImageAsync(CancellationToken cancellationToken)
    {
        string image = await _engine.PushToAuthRegistryAsync($"{DockerTestEnvironment.RunId}-{++_tags}", cancellationToken);
        _images.Add(image);
        return image;
    }
}
