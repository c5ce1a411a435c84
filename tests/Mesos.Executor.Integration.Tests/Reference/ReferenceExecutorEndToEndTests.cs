using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet.Models;
using Mesos.Executor.Core;
using Mesos.Executor.Demo;
using Mesos.Executor.Testing;
using Mesos.Executor.TestSupport;
using Mesos.V1;
using Mesos.V1.Executor;
using NUnit.Framework;
using TaskState = Mesos.V1.TaskState;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Executor.Integration.Tests.Reference;

/// <summary>
/// The reference executor as the agent runs it: a separate process with the agent's environment
/// and flags, against the fake agent (real HTTP on loopback) and a real engine: the Docker engine
/// and Podman's Docker-compatible service, chosen by the socket alone (<c>--docker_socket</c>), as
/// an operator does. The few tests without an engine run in both fixtures (they take a second).
/// </summary>
[TestFixture(TestEngine.Docker)]
[TestFixture(TestEngine.Podman, Category = "Podman")]
public sealed partial class ReferenceExecutorEndToEndTests
{
    private readonly EngineUnderTest _engine;
    private DirectoryInfo _directory = null!;
    private ExecutorProcess? _executor;

    public ReferenceExecutorEndToEndTests(TestEngine engine) => _engine = DockerTestEnvironment.For(engine);

    [OneTimeSetUp]
    public void OneTimeSetUp() => TestContext.Progress.WriteLine("reference executor under test: " + ExecutorProcess.Binary);

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("reference-executor-e2e-");

    [TearDown]
    public async Task TearDownAsync()
    {
        if (_executor != null && TestContext.CurrentContext.Result.Outcome.Status != NUnit.Framework.Interfaces.TestStatus.Passed)
        {
            await TestContext.Out.WriteLineAsync("executor log:" + System.Environment.NewLine + _executor.Log);
        }

        _executor = null;
        await _engine.CleanupAsync();
        try
        {
            _directory.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string Sandbox => Path.Combine(_directory.FullName, "sandbox");

    /// <summary>The flags a Mesos agent passes to its Docker executor, plus extras.</summary>
    private string[] AgentFlags(params string[] extra)
    {
        Directory.CreateDirectory(Sandbox);
        return
        [
            "--container=mesos-e2e-" + Guid.NewGuid().ToString("N")[..12], "--docker=docker",
            "--docker_socket=" + _engine.SocketPath, "--sandbox_directory=" + Sandbox,
            "--mapped_directory=/mnt/mesos/sandbox", "--stop_timeout=0ns", "--launcher_dir=/usr/libexec/mesos",
            "--cgroups_enable_cfs=false", "--logging_level=INFO", "--logbufsecs=0", "--quiet=false",
            "--initialize_driver_logging=true", .. extra,
        ];
    }

    private string WriteConfig(string yaml)
    {
        string path = Path.Combine(_directory.FullName, "config.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    /// <summary>A configuration that labels the containers with this run's label and removes them.</summary>
    private string TestConfig(string extra = "") => WriteConfig($"""
        docker:
          extra_labels:
            {DockerTestEnvironment.TestLabel}: "{DockerTestEnvironment.RunId}"
        hooks:
          enabled: [remove-container]
        {extra}
        """);

    private ExecutorProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, ExecutorOutputFiles? files = null) =>
        _executor = ExecutorProcess.Start(arguments, environment, files);

    private static Dictionary<string, string?> Environment(FakeAgent agent, string? sandbox, params (string Name, string Value)[] extra)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in agent.CreateExecutorEnvironment(new FakeExecutorEnvironmentOptions { Directory = sandbox, Sandbox = sandbox }))
        {
            environment[name] = value;
        }

        foreach (var (name, value) in extra)
        {
            environment[name] = value;
        }

        return environment;
    }

    private async Task<IList<ContainerListResponse>> RunContainersAsync(CancellationToken cancellationToken)
    {
        using var client = _engine.CreateClient();
        return await client.Containers.ListContainersAsync(
            new ContainersListParameters
            {
                All = true,
                Filters = new Dictionary<string, IDictionary<string, bool>>
                {
                    ["label"] = new Dictionary<string, bool> { [$"{DockerTestEnvironment.TestLabel}={DockerTestEnvironment.RunId}"] = true },
                },
            },
            cancellationToken);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Help_PrintsEveryFlagAndExitsZero(CancellationToken cancellationToken)
    {
        await using ExecutorProcess executor = Start(["--help"], new Dictionary<string, string?>());

        int exitCode = await executor.WaitForExitAsync(cancellationToken);

        string usage = string.Join("\n", executor.StandardOutput);
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero, executor.Log);
            Assert.That(usage, Does.Contain("--docker_socket").And.Contain("--task_environment").And.Contain("--[no-]quiet"));
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task ConfigError_ExitsNonZeroNamingTheKeyBeforeSubscribing(CancellationToken cancellationToken)
    {
        await using FakeAgent agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);
        string config = WriteConfig("timeouts:\n  default_kill_grace: soon\nhooks:\n  enabled: [firewall]\nenvironment_overrides: [docker.pull_policy]\n");
        await using ExecutorProcess executor = Start(
            AgentFlags("--config=" + config),
            Environment(agent, Sandbox, ("MESOS_EXECUTOR_DOCKER__PULL_POLICY", "sometimes")));

        int exitCode = await executor.WaitForExitAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ExecutorExitCodes.ConfigurationError), executor.Log);
            Assert.That(executor.Log, Does.Contain("timeouts.default_kill_grace").And.Contain("soon"));
            Assert.That(executor.Log, Does.Contain("hooks.enabled[0]").And.Contain("firewall"));
            Assert.That(executor.Log, Does.Contain("docker.pull_policy").And.Contain("MESOS_EXECUTOR_DOCKER__PULL_POLICY"));
            Assert.That(agent.SubscribeCalls, Is.Empty);
            Assert.That(agent.Requests, Is.Empty);
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task NoAgentEnvironment_ExitsNonZeroNamingTheMissingVariables(CancellationToken cancellationToken)
    {
        string config = TestConfig();
        await using ExecutorProcess executor = Start(AgentFlags("--config", config), new Dictionary<string, string?>());

        int exitCode = await executor.WaitForExitAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ExecutorExitCodes.ConfigurationError), executor.Log);
            Assert.That(executor.Log, Does.Contain("MESOS_FRAMEWORK_ID"));
        });
    }

    [Test]
    [Category("Docker")]
    [CancelAfter(180_000)]
    public async Task AgentLaunch_HealthCheckedTask_SubscribesRunsHealthyKillsAndCleansUp(CancellationToken cancellationToken)
    {
        await _engine.RequireAsync(cancellationToken);
        await using FakeAgent agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);
        string[] flags = AgentFlags("--config=" + TestConfig(), "--future_flag=1", "--another_new_one", "value");
        string container = flags[0]["--container=".Length..];
        await using ExecutorProcess executor = Start(flags, Environment(agent, Sandbox));

        Call subscribe = await agent.WaitForSubscribeAsync(1, cancellationToken);
        Assert.That(subscribe.Subscribe, Is.Not.Null);

        TaskInfo task = DemoTask.Create("e2e-" + DockerTestEnvironment.RunId, agent.Options.AgentId, DockerTestEnvironment.TestImage,
            "echo started-in-$MESOS_SANDBOX; " + DemoTask.DefaultCommand(8080), 8080);
        await agent.SendLaunchAsync(task, cancellationToken);
        await agent.WaitForStatusAsync(task.TaskId.Value, TaskState.TaskRunning, cancellationToken);
        RecordedRequest healthy = await agent.WaitForCallAsync(
            r => r.Call?.Update?.Status is { HasHealthy: true, Healthy: true } s && s.TaskId.Value == task.TaskId.Value, cancellationToken);
        Assert.That(healthy.Call!.Update.Status.Reason, Is.EqualTo(TaskStatus.Types.Reason.TaskHealthCheckStatusUpdated));

        IList<ContainerListResponse> running = await RunContainersAsync(cancellationToken);
        Assert.That(running.Select(c => c.Names.Single()), Is.EquivalentTo(new[] { "/" + container }), "--container names the container; extra_labels label it");

        await agent.SendKillAsync(task.TaskId, cancellationToken: cancellationToken);
        TaskStatus killed = await agent.WaitForStatusAsync(task.TaskId.Value, TaskState.TaskKilled, cancellationToken);
        int exitCode = await executor.WaitForExitAsync(cancellationToken);

        Assert.Multiple(async () =>
        {
            Assert.That(killed.Source, Is.EqualTo(TaskStatus.Types.Source.Executor));
            Assert.That(exitCode, Is.EqualTo(ExecutorExitCodes.Success), executor.Log);
            Assert.That(agent.PendingAcknowledgements, Is.Empty);
            Assert.That(executor.Log, Does.Contain("--future_flag").And.Contain("--another_new_one"), "unknown flags are warned about");
            Assert.That(executor.StandardError.Where(l => l.Contains(" WARN ", StringComparison.Ordinal) && l.Contains("unknown flag", StringComparison.Ordinal)), Has.Exactly(2).Items);
            Assert.That(await RunContainersAsync(cancellationToken), Is.Empty, "remove-container removed the container");
            Assert.That(executor.StandardOutput, Does.Contain("started-in-/mnt/mesos/sandbox"), "the task's stdout is the executor's");
            string shortId = running.Single().ID[..12];
            Assert.That(
                executor.StandardError.Where(l => l.Contains("[Mesos.Executor.Docker.", StringComparison.Ordinal)
                    && l.EndsWith($"{{TaskId={task.TaskId.Value}, ContainerId={shortId}}}", StringComparison.Ordinal)),
                Is.Not.Empty,
                "the containerizer's lines carry the task and container ids: " + executor.Log);
            Assert.That(
                executor.StandardError.Where(l => l.Contains("ended in TASK_KILLED", StringComparison.Ordinal)
                    && l.EndsWith($"{{TaskId={task.TaskId.Value}, ContainerId={shortId}}}", StringComparison.Ordinal)),
                Is.Not.Empty,
                "the status update lines carry the task and container ids: " + executor.Log);
        });
    }

    [Test]
    [Category("Docker")]
    [CancelAfter(180_000)]
    public async Task TaskOutput_WithPipes_GoesToTheExecutorsStdoutAndStderrNotToSandboxFiles(CancellationToken cancellationToken)
    {
        ExecutorProcess executor = await RunChattyTaskAsync(files: null, cancellationToken);

        AssertOutputStreams(executor.StandardOutput, executor.StandardError);
        Assert.Multiple(() =>
        {
            Assert.That(Path.Combine(Sandbox, "stdout"), Does.Not.Exist, "the executor never opens the sandbox's log files");
            Assert.That(Path.Combine(Sandbox, "stderr"), Does.Not.Exist);
        });
    }

    [Test]
    [Category("Docker")]
    [CancelAfter(180_000)]
    public async Task TaskOutput_WithAppendFiles_KeepsTheLoggersLinesTheExecutorsLogAndTheTasksOutput(CancellationToken cancellationToken)
    {
        // The agent's default container logger: the sandbox's stdout/stderr opened with O_APPEND.
        Directory.CreateDirectory(Sandbox);
        var files = new ExecutorOutputFiles(Path.Combine(Sandbox, "stdout"), Path.Combine(Sandbox, "stderr"));
        await File.WriteAllTextAsync(files.StandardOutput, "agent: fetched\n", cancellationToken);
        await File.WriteAllTextAsync(files.StandardError, "agent: starting executor\n", cancellationToken);

        ExecutorProcess executor = await RunChattyTaskAsync(files, cancellationToken);

        IReadOnlyCollection<string> stdout = executor.StandardOutput;
        IReadOnlyCollection<string> stderr = executor.StandardError;
        Assert.Multiple(() =>
        {
            Assert.That(stdout.First(), Is.EqualTo("agent: fetched"), "appended, not truncated");
            Assert.That(stderr.First(), Is.EqualTo("agent: starting executor"), "appended, not truncated");
        });
        AssertOutputStreams(stdout.Skip(1).ToList(), stderr.Skip(1).ToList());
    }

    [Test]
    [Category("Docker")]
    [CancelAfter(180_000)]
    public async Task AgentLaunch_SandboxWithColonAndUnknownCommandUser_TaskFinishesWritingIntoTheSandbox(CancellationToken cancellationToken)
    {
        // MESOS-1833: a task id with ':' (Chronos) gives a sandbox path with ':'; the agent passes a
        // symlink without ':' as --sandbox_directory and the real path as MESOS_DIRECTORY.
        // CommandInfo.user names the framework's user, which the image does not have.
        await _engine.RequireAsync(cancellationToken);
        await using FakeAgent agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);
        string real = Directory.CreateDirectory(Path.Combine(_directory.FullName, "executors", "ct:1700000000000:0:job:", "runs", "R1")).FullName;
        string link = Path.Combine(Directory.CreateDirectory(Path.Combine(_directory.FullName, "links")).FullName, Guid.NewGuid().ToString("D"));
        File.CreateSymbolicLink(link, real);
        string[] flags = AgentFlags("--config=" + TestConfig()).Select(f => f.StartsWith("--sandbox_directory=", StringComparison.Ordinal) ? "--sandbox_directory=" + link : f).ToArray();
        await using ExecutorProcess executor = Start(flags, Environment(agent, real));
        await agent.WaitForSubscribeAsync(1, cancellationToken);
        TaskInfo task = DemoTask.Create("colon-" + DockerTestEnvironment.RunId, agent.Options.AgentId, DockerTestEnvironment.TestImage,
            "echo written > $MESOS_SANDBOX/out; id -u", healthPort: 0);
        task.Command.User = "nosuchuser";

        await agent.SendLaunchAsync(task, cancellationToken);
        TaskStatus finished = await agent.WaitForStatusAsync(task.TaskId.Value, TaskState.TaskFinished, cancellationToken);
        int exitCode = await executor.WaitForExitAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(finished.State, Is.EqualTo(TaskState.TaskFinished), finished.Message);
            Assert.That(exitCode, Is.EqualTo(ExecutorExitCodes.Success), executor.Log);
            Assert.That(File.ReadAllText(Path.Combine(real, "out")), Is.EqualTo("written\n"));
            Assert.That(executor.StandardOutput, Is.EqualTo(new[] { "0" }), "the image's user, not CommandInfo.user");
        });
    }

    /// <summary>Runs a task writing long lines to both streams until it finishes and the executor exits.</summary>
    private async Task<ExecutorProcess> RunChattyTaskAsync(ExecutorOutputFiles? files, CancellationToken cancellationToken)
    {
        await _engine.RequireAsync(cancellationToken);
        await using FakeAgent agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);
        ExecutorProcess executor = Start(AgentFlags("--config=" + TestConfig()), Environment(agent, Sandbox), files);
        await agent.WaitForSubscribeAsync(1, cancellationToken);
        TaskInfo task = DemoTask.Create("output-" + DockerTestEnvironment.RunId, agent.Options.AgentId, DockerTestEnvironment.TestImage,
            $"for i in $(seq 1 {ChattyLines}); do echo out-$i-{ChattyPadding}; echo err-$i-{ChattyPadding} >&2; done", healthPort: 0);

        await agent.SendLaunchAsync(task, cancellationToken);
        TaskStatus finished = await agent.WaitForStatusAsync(task.TaskId.Value, TaskState.TaskFinished, cancellationToken);
        int exitCode = await executor.WaitForExitAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(finished.Source, Is.EqualTo(TaskStatus.Types.Source.Executor));
            Assert.That(exitCode, Is.EqualTo(ExecutorExitCodes.Success), executor.Log);
        });
        return executor;
    }

    private const int ChattyLines = 300;

    private static readonly string ChattyPadding = new('x', 2000);

    /// <summary>The task's stdout on stdout, its stderr and the executor's whole log lines on stderr, nothing cut.</summary>
    private static void AssertOutputStreams(IReadOnlyCollection<string> stdout, IReadOnlyCollection<string> stderr)
    {
        var expectedOut = Enumerable.Range(1, ChattyLines).Select(i => $"out-{i}-{ChattyPadding}").ToList();
        var expectedErr = Enumerable.Range(1, ChattyLines).Select(i => $"err-{i}-{ChattyPadding}").ToList();
        var logLines = stderr.Where(l => !l.StartsWith("err-", StringComparison.Ordinal)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(stdout, Is.EqualTo(expectedOut), "exactly the task's stdout, in order");
            Assert.That(stderr.Where(l => l.StartsWith("err-", StringComparison.Ordinal)), Is.EqualTo(expectedErr), "the task's stderr, in order, lines whole");
            Assert.That(logLines, Is.Not.Empty, "the executor's own log lines");
            Assert.That(logLines, Has.All.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z [A-Z]+ +\[[^\]]+\] "), "whole log lines, none cut into");
            Assert.That(logLines, Has.Some.Contains("TASK_FINISHED"));
        });
    }

    [Test]
    [Category("Docker")]
    [CancelAfter(180_000)]
    public async Task Sigterm_WhileATaskRuns_KillsItReportsKilledAndExitsZero(CancellationToken cancellationToken)
    {
        await _engine.RequireAsync(cancellationToken);
        await using FakeAgent agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);
        await using ExecutorProcess executor = Start(
            AgentFlags("--config=" + TestConfig("environment_overrides: [logging.format]")),
            Environment(agent, Sandbox, ("MESOS_EXECUTOR_LOGGING__FORMAT", "json")));
        await agent.WaitForSubscribeAsync(1, cancellationToken);
        TaskInfo task = DemoTask.Create("sigterm-" + DockerTestEnvironment.RunId, agent.Options.AgentId, DockerTestEnvironment.TestImage,
            "trap 'exit 0' TERM; while true; do sleep 0.2; done", healthPort: 0);
        await agent.SendLaunchAsync(task, cancellationToken);
        await agent.WaitForStatusAsync(task.TaskId.Value, TaskState.TaskRunning, cancellationToken);

        await executor.SignalAsync("TERM", cancellationToken);

        TaskStatus killed = await agent.WaitForStatusAsync(task.TaskId.Value, TaskState.TaskKilled, cancellationToken);
        int exitCode = await executor.WaitForExitAsync(cancellationToken);
        Assert.Multiple(async () =>
        {
            Assert.That(killed, Is.Not.Null);
            Assert.That(exitCode, Is.EqualTo(ExecutorExitCodes.Success), executor.Log);
            Assert.That(await RunContainersAsync(cancellationToken), Is.Empty);
            Assert.That(executor.StandardError, Is.Not.Empty);
            foreach (string line in executor.StandardError)
            {
                using JsonDocument json = JsonDocument.Parse(line);
                Assert.That(json.RootElement.GetProperty("level").GetString(), Is.Not.Empty, line);
            }

            Assert.That(executor.StandardError, Has.Some.Contains("SIGTERM"));
        });
    }
}
