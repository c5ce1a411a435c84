using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Demo;
using Mesos.Executor.Testing;
using Mesos.Executor.TestSupport;
using Mesos.V1;
using NUnit.Framework;
using TaskState = Mesos.V1.TaskState;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Executor.Integration.Tests.Reference;

/// <summary>
/// Image pulls of the reference executor started as the agent starts <c>mesos-docker-executor</c>
/// (its flags, its environment), against the fake agent, the real engine and the loopback registry
/// that requires basic authentication: force_pull_image is the agent's business, and an absent
/// image is pulled with the sandbox's <c>.docker/config.json</c>.
/// </summary>
[TestFixture(TestEngine.Docker)]
[TestFixture(TestEngine.Podman, Category = "Podman")]
[Category("Docker")]
[NonParallelizable]
public sealed class ReferenceExecutorImagePullTests
{
    private readonly EngineUnderTest _engine;
    private readonly List<string> _images = [];
    private DirectoryInfo _directory = null!;
    private ExecutorProcess? _executor;

    public ReferenceExecutorImagePullTests(TestEngine engine) => _engine = DockerTestEnvironment.For(engine);

    [OneTimeSetUp]
    public async Task OneTimeSetUp()
    {
        await _engine.RequireAsync();
        await DockerTestEnvironment.RequireAuthRegistryAsync();
        await TestContext.Progress.WriteLineAsync("reference executor under test: " + ExecutorProcess.Binary);
    }

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("reference-executor-pull-");

    [TearDown]
    public async Task TearDownAsync()
    {
        if (_executor != null && TestContext.CurrentContext.Result.Outcome.Status != NUnit.Framework.Interfaces.TestStatus.Passed)
        {
            await TestContext.Out.WriteLineAsync("executor log:" + System.Environment.NewLine + _executor.Log);
        }

        if (_executor != null)
        {
            await _executor.DisposeAsync();
            _executor = null;
        }

        await _engine.CleanupAsync();
        foreach (string image in _images)
        {
            await _engine.RemoveImageAsync(image);
        }

        _images.Clear();
        try
        {
            _directory.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string Sandbox => Path.Combine(_directory.FullName, "sandbox");

    [Test]
    [CancelAfter(120_000)]
    public async Task DropIn_ForcePullImageOnThePrivateRegistry_RunsThePresentImageWithoutPulling(CancellationToken cancellationToken)
    {
        // The agent pulled the image (here: it is present under its private-registry name, which
        // the registry does not even have) and no credentials are anywhere: a second pull would fail.
        string image = $"{DockerTestEnvironment.AuthRegistry}/mesos-executor-test/busybox:{DockerTestEnvironment.RunId}-e2e-local";
        using (var client = _engine.CreateClient())
        {
            await client.Images.TagImageAsync(
                DockerTestEnvironment.TestImage,
                new global::Docker.DotNet.Models.ImageTagParameters { RepositoryName = image[..image.LastIndexOf(':')], Tag = image[(image.LastIndexOf(':') + 1)..] },
                cancellationToken);
        }

        _images.Add(image);

        (TaskStatus finished, int exitCode) = await RunTaskAsync(image, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(finished.State, Is.EqualTo(TaskState.TaskFinished), finished.Message);
            Assert.That(exitCode, Is.Zero, _executor!.Log);
            Assert.That(_executor.Log, Does.Not.Contain("Pulling image"), "no pull");
        });
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task DropIn_ImageAbsent_IsPulledWithTheSandboxDockerConfigJson(CancellationToken cancellationToken)
    {
        string image = await _engine.PushToAuthRegistryAsync($"{DockerTestEnvironment.RunId}-e2e-absent", cancellationToken);
        _images.Add(image);
        string auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{DockerTestEnvironment.AuthRegistryUser}:{DockerTestEnvironment.AuthRegistryPassword}"));
        Directory.CreateDirectory(Path.Combine(Sandbox, ".docker"));
        await File.WriteAllTextAsync(
            Path.Combine(Sandbox, ".docker", "config.json"),
            $$"""{"auths": {"{{DockerTestEnvironment.AuthRegistry}}": {"auth": "{{auth}}"} } }""",
            cancellationToken);

        (TaskStatus finished, int exitCode) = await RunTaskAsync(image, cancellationToken);

        Assert.Multiple(async () =>
        {
            Assert.That(finished.State, Is.EqualTo(TaskState.TaskFinished), finished.Message);
            Assert.That(exitCode, Is.Zero, _executor!.Log);
            Assert.That(_executor.Log, Does.Contain($"Pulling image {image} with the credentials of {DockerTestEnvironment.AuthRegistry} from {Path.Join(Sandbox, ".docker/config.json")}"));
            Assert.That(_executor.Log, Does.Not.Contain(DockerTestEnvironment.AuthRegistryPassword).And.Not.Contain(auth), "no credentials in the log");
            Assert.That(await _engine.ImageExistsAsync(image, cancellationToken), Is.True);
        });
    }

    /// <summary>Starts the executor with the agent's flags, launches a short task with force_pull_image, waits for its end and the executor's exit.</summary>
    private async Task<(TaskStatus Finished, int ExitCode)> RunTaskAsync(string image, CancellationToken cancellationToken)
    {
        await using FakeAgent agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);
        Directory.CreateDirectory(Sandbox);
        string config = Path.Combine(_directory.FullName, "config.yaml");
        await File.WriteAllTextAsync(config, $"""
            docker:
              extra_labels:
                {DockerTestEnvironment.TestLabel}: "{DockerTestEnvironment.RunId}"
            hooks:
              enabled: [remove-container]
            """, cancellationToken);
        string[] flags =
        [
            "--container=mesos-pull-" + Guid.NewGuid().ToString("N")[..12], "--docker=docker",
            "--docker_socket=" + _engine.SocketPath, "--sandbox_directory=" + Sandbox,
            "--mapped_directory=/mnt/mesos/sandbox", "--stop_timeout=0ns", "--launcher_dir=/usr/libexec/mesos",
            "--logging_level=INFO", "--config=" + config,
        ];
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in agent.CreateExecutorEnvironment(new FakeExecutorEnvironmentOptions { Directory = Sandbox, Sandbox = Sandbox }))
        {
            environment[name] = value;
        }

        // Neither the runner's HOME (with the CLI's ~/.docker/config.json) nor anything else: only the sandbox.
        environment["HOME"] = _directory.FullName;
        _executor = ExecutorProcess.Start(flags, environment);
        await agent.WaitForSubscribeAsync(1, cancellationToken);

        TaskInfo task = DemoTask.Create("pull-" + Guid.NewGuid().ToString("N")[..8], agent.Options.AgentId, image, "echo ran", healthPort: 0);
        task.Container.Docker.ForcePullImage = true;
        await agent.SendLaunchAsync(task, cancellationToken);
        RecordedRequest update = await agent.WaitForCallAsync(
            r => r.Call?.Update?.Status is { } s && s.TaskId.Value == task.TaskId.Value && DemoTask.IsTerminal(s.State), cancellationToken);
        TaskStatus finished = update.Call!.Update.Status;
        int exitCode = await _executor.WaitForExitAsync(cancellationToken);
        return (finished, exitCode);
    }
}
