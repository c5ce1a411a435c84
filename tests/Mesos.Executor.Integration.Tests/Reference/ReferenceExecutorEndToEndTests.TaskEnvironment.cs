using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet.Models;
using Mesos.Executor.Core;
using Mesos.Executor.Demo;
using Mesos.Executor.Testing;
using Mesos.Executor.TestSupport;
using Mesos.V1;
using NUnit.Framework;
using Environment = Mesos.V1.Environment;
using TaskState = Mesos.V1.TaskState;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Executor.Integration.Tests.Reference;

/// <summary>
/// The trust boundary: a task's environment reaches the executor's process environment (the agent
/// merges it into <c>ExecutorInfo.command.environment</c> and applies it over everything) but must
/// never configure the executor.
/// </summary>
public sealed partial class ReferenceExecutorEndToEndTests
{
    /// <summary>What a hostile framework user puts into a task's environment.</summary>
    private (string Name, string Value)[] HostileVariables(string script) =>
    [
        ("MESOS_EXECUTOR_HOOKS__ENABLED", "iptables"),
        ("MESOS_EXECUTOR_HOOKS__IPTABLES__IPTABLES_COMMAND", script),
        ("MESOS_EXECUTOR_HOOKS__DENY_PRIVILEGED__ALLOWED_FRAMEWORKS", "fake-framework"),
        ("DOCKER_HOST", "unix:///nonexistent/docker.sock"),
        ("MESOS_EXECUTOR_LOGGING__LEVEL", "none"),
    ];

    /// <summary>The operator's file: deny-privileged on, containers labelled for this run and removed.</summary>
    private string OperatorConfig(string extra) => WriteConfig($"""
        docker:
          extra_labels:
            {DockerTestEnvironment.TestLabel}: "{DockerTestEnvironment.RunId}"
        hooks:
          enabled: [deny-privileged, remove-container]
        {extra}
        """);

    /// <summary>A script in the sandbox that records every run: the task's choice of iptables command.</summary>
    private string HostileScript(out string marker)
    {
        Directory.CreateDirectory(Sandbox);
        marker = Path.Combine(_directory.FullName, "script-ran");
        string script = Path.Combine(Sandbox, "evil.sh");
        File.WriteAllText(script, $"#!/bin/sh\necho \"$@\" >> '{marker}'\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return script;
    }

    /// <summary>The agent of a task that brought <paramref name="variables"/>: they are in SUBSCRIBED's ExecutorInfo and (as the agent applies them) in the executor's environment.</summary>
    private static Task<FakeAgent> AgentOfTaskWithAsync((string Name, string Value)[] variables, CancellationToken cancellationToken)
    {
        var options = new FakeAgentOptions();
        var environment = new Environment();
        foreach (var (name, value) in variables)
        {
            environment.Variables.Add(new Environment.Types.Variable { Name = name, Value = value });
        }

        return FakeAgent.StartAsync(
            options with
            {
                ExecutorInfo = new ExecutorInfo
                {
                    ExecutorId = new ExecutorID { Value = options.ExecutorId },
                    FrameworkId = new FrameworkID { Value = options.FrameworkId },
                    Type = ExecutorInfo.Types.Type.Custom,
                    Command = new CommandInfo { Value = "mesos-docker-executor", Environment = environment },
                },
            },
            cancellationToken);
    }

    /// <summary>A privileged BRIDGE task with a published port: what deny-privileged refuses and what the iptables hook acts on.</summary>
    private static TaskInfo PrivilegedTaskWithPort(FakeAgent agent, string name)
    {
        TaskInfo task = DemoTask.Create(name + "-" + DockerTestEnvironment.RunId, agent.Options.AgentId, DockerTestEnvironment.TestImage, "sleep 30", healthPort: 0);
        task.Container.Docker.Privileged = true;
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        uint hostPort = (uint)((IPEndPoint)listener.LocalEndpoint).Port;
        task.Container.Docker.PortMappings.Add(new ContainerInfo.Types.DockerInfo.Types.PortMapping { HostPort = hostPort, ContainerPort = 8080, Protocol = "tcp" });
        return task;
    }

    private async Task<IList<ContainerListResponse>> ContainersNamedAsync(string name, CancellationToken cancellationToken)
    {
        using var client = _engine.CreateClient();
        IList<ContainerListResponse> all = await client.Containers.ListContainersAsync(new ContainersListParameters { All = true }, cancellationToken);
        return all.Where(c => c.Names.Contains("/" + name)).ToList();
    }

    [Test]
    [Category("Docker")]
    [CancelAfter(120_000)]
    public async Task TaskEnvironment_WithoutOptIn_ConfiguresNothing_DenyPrivilegedStillRefusesAndNoScriptRuns(CancellationToken cancellationToken)
    {
        await _engine.RequireAsync(cancellationToken);
        string script = HostileScript(out string marker);
        await using FakeAgent agent = await AgentOfTaskWithAsync(HostileVariables(script), cancellationToken);
        string[] flags = AgentFlags("--config=" + OperatorConfig(string.Empty));
        string container = flags[0]["--container=".Length..];
        Dictionary<string, string?> environment = Environment(agent, Sandbox);
        Assert.That(environment["MESOS_EXECUTOR_HOOKS__ENABLED"], Is.EqualTo("iptables"), "the agent applies the task's variables over the executor's environment");
        await using ExecutorProcess executor = Start(flags, environment);

        await agent.WaitForSubscribeAsync(1, cancellationToken);
        TaskInfo task = PrivilegedTaskWithPort(agent, "hostile-env");
        await agent.SendLaunchAsync(task, cancellationToken);
        TaskStatus failed = await agent.WaitForStatusAsync(task.TaskId.Value, TaskState.TaskFailed, cancellationToken);
        int exitCode = await executor.WaitForExitAsync(cancellationToken);

        Assert.Multiple(async () =>
        {
            Assert.That(failed.Message, Does.Contain("privileged"), "deny-privileged from the operator's file still applies");
            Assert.That(File.Exists(marker), Is.False, "the task's iptables command never ran");
            Assert.That(await ContainersNamedAsync(container, cancellationToken), Is.Empty, "no container was created");
            Assert.That(exitCode, Is.EqualTo(ExecutorExitCodes.Success), executor.Log);
            Assert.That(executor.Log, Does.Contain("MESOS_EXECUTOR_HOOKS__ENABLED").And.Contain("DOCKER_HOST"), "each refused variable is named");
            Assert.That(executor.Log, Does.Not.Contain(script).And.Not.Contain("/nonexistent/docker.sock"), "never its value");
            Assert.That(executor.StandardError.Where(l => l.Contains(" INFO ", StringComparison.Ordinal)), Is.Not.Empty, "logging.level=none from the task had no effect");
        });
    }

    [Test]
    [Category("Docker")]
    [CancelAfter(120_000)]
    public async Task TaskEnvironment_OptedInKeysSetByTheTask_RefusesTheTaskBeforeAnythingRuns(CancellationToken cancellationToken)
    {
        await _engine.RequireAsync(cancellationToken);
        string script = HostileScript(out string marker);
        await using FakeAgent agent = await AgentOfTaskWithAsync(HostileVariables(script), cancellationToken);
        string[] flags = AgentFlags("--config=" + OperatorConfig("environment_overrides: [hooks, logging.format]"));
        string container = flags[0]["--container=".Length..];
        await using ExecutorProcess executor = Start(flags, Environment(agent, Sandbox));

        await agent.WaitForSubscribeAsync(1, cancellationToken);
        TaskInfo task = PrivilegedTaskWithPort(agent, "hostile-optin");
        await agent.SendLaunchAsync(task, cancellationToken);
        TaskStatus failed = await agent.WaitForStatusAsync(task.TaskId.Value, TaskState.TaskFailed, cancellationToken);
        int exitCode = await executor.WaitForExitAsync(cancellationToken);

        Assert.Multiple(async () =>
        {
            Assert.That(failed.Source, Is.EqualTo(TaskStatus.Types.Source.Executor));
            Assert.That(failed.Reason, Is.EqualTo(TaskStatus.Types.Reason.ContainerLaunchFailed));
            Assert.That(failed.Message, Does.Contain("MESOS_EXECUTOR_HOOKS__ENABLED").And.Contain("MESOS_EXECUTOR_HOOKS__IPTABLES__IPTABLES_COMMAND"));
            Assert.That(failed.Message, Does.Not.Contain(script));
            Assert.That(File.Exists(marker), Is.False, "the task's iptables command never ran");
            Assert.That(await ContainersNamedAsync(container, cancellationToken), Is.Empty, "no container was created");
            Assert.That(exitCode, Is.EqualTo(ExecutorExitCodes.ConfigurationError), executor.Log);
            Assert.That(agent.PendingAcknowledgements, Is.Empty, "the TASK_FAILED was delivered before exiting");
        });
    }

    [Test]
    [Category("Docker")]
    [CancelAfter(120_000)]
    public async Task OperatorEnvironment_OptedIn_ConfiguresTheExecutor(CancellationToken cancellationToken)
    {
        await _engine.RequireAsync(cancellationToken);
        await using FakeAgent agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);
        var operatorVariables = new Dictionary<string, string> { ["MESOS_EXECUTOR_LOGGING__FORMAT"] = "json" };
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in agent.CreateExecutorEnvironment(new FakeExecutorEnvironmentOptions { Directory = Sandbox, Sandbox = Sandbox, OperatorVariables = operatorVariables }))
        {
            environment[name] = value;
        }

        await using ExecutorProcess executor = Start(AgentFlags("--config=" + TestConfig("environment_overrides: [logging.format]")), environment);
        await agent.WaitForSubscribeAsync(1, cancellationToken);
        TaskInfo task = DemoTask.Create("operator-env-" + DockerTestEnvironment.RunId, agent.Options.AgentId, DockerTestEnvironment.TestImage, "exit 0", healthPort: 0);
        await agent.SendLaunchAsync(task, cancellationToken);
        await agent.WaitForStatusAsync(task.TaskId.Value, TaskState.TaskFinished, cancellationToken);
        int exitCode = await executor.WaitForExitAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ExecutorExitCodes.Success), executor.Log);
            Assert.That(executor.StandardError, Is.Not.Empty);
            Assert.That(executor.StandardError.Where(l => l.Length > 0), Has.All.StartsWith("{"), "every log line is JSON: " + executor.Log);
        });
    }
}
