using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.Executor.Custom;
using Mesos.Executor.Testing;
using Mesos.V1;
using TaskStatus = Mesos.V1.TaskStatus;
using NUnit.Framework;

namespace Mesos.Executor.Integration.Tests.Reference;

/// <summary>The "write your own executor" sample against the fake agent: real HTTP, real processes.</summary>
[TestFixture]
public sealed class CustomExecutorTests
{
    private DirectoryInfo _sandbox = null!;

    [SetUp]
    public void SetUp() => _sandbox = Directory.CreateTempSubdirectory("custom-executor-test-");

    [TearDown]
    public void TearDown() => _sandbox.Delete(recursive: true);

    private MesosExecutor Build(FakeAgent agent)
    {
        IReadOnlyDictionary<string, string> variables = agent.CreateExecutorEnvironment(new FakeExecutorEnvironmentOptions
        {
            Directory = _sandbox.FullName,
            Sandbox = _sandbox.FullName,
        });
        return CustomExecutor.CreateBuilder()
            .UseEnvironment(name => variables.TryGetValue(name, out string? value) ? value : null)
            .Build();
    }

    private static TaskInfo Task(string id, string command) => new()
    {
        Name = id + "-name",
        TaskId = new TaskID { Value = id },
        AgentId = new AgentID { Value = "fake-agent-S0" },
        Command = new CommandInfo { Shell = true, Value = command },
    };

    [Test]
    [CancelAfter(30_000)]
    public async Task Launch_ShellCommand_RunsInTheSandboxWithTheHooksVariablesAndFinishes(CancellationToken cancellationToken)
    {
        await using FakeAgent agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);
        await using MesosExecutor executor = Build(agent);
        Task<int> run = executor.RunAsync(cancellationToken);
        await agent.WaitForSubscribeAsync(1, cancellationToken);

        await agent.SendLaunchAsync(Task("t1", "echo \"$MESOS_TASK_ID $MESOS_TASK_NAME\" > out.txt"), cancellationToken);

        await agent.WaitForStatusAsync("t1", TaskState.TaskRunning, cancellationToken);
        await agent.WaitForStatusAsync("t1", TaskState.TaskFinished, cancellationToken);
        Assert.That(await run.WaitAsync(cancellationToken), Is.EqualTo(ExecutorExitCodes.Success));
        Assert.That(File.ReadAllText(Path.Combine(_sandbox.FullName, "out.txt")).Trim(), Is.EqualTo("t1 t1-name"));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Launch_FailingCommand_EndsTaskFailed(CancellationToken cancellationToken)
    {
        await using FakeAgent agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);
        await using MesosExecutor executor = Build(agent);
        Task<int> run = executor.RunAsync(cancellationToken);
        await agent.WaitForSubscribeAsync(1, cancellationToken);

        await agent.SendLaunchAsync(Task("t2", "exit 3"), cancellationToken);

        TaskStatus failed = await agent.WaitForStatusAsync("t2", TaskState.TaskFailed, cancellationToken);
        Assert.That(failed.Message, Does.Contain('3'));
        await run.WaitAsync(cancellationToken);
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Kill_RunningCommand_StopsItWithSigtermAndEndsTaskKilled(CancellationToken cancellationToken)
    {
        await using FakeAgent agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);
        await using MesosExecutor executor = Build(agent);
        Task<int> run = executor.RunAsync(cancellationToken);
        await agent.WaitForSubscribeAsync(1, cancellationToken);
        await agent.SendLaunchAsync(Task("t3", "trap 'echo term > got-term; exit 0' TERM; echo > trap-set; while true; do sleep 0.1; done"), cancellationToken);
        await agent.WaitForStatusAsync("t3", TaskState.TaskRunning, cancellationToken);

        // A SIGTERM that arrived before the shell set its trap would end it without a trace.
        string trapSet = Path.Combine(_sandbox.FullName, "trap-set");
        while (!File.Exists(trapSet))
        {
            await System.Threading.Tasks.Task.Delay(20, cancellationToken);
        }

        await agent.SendKillAsync(new TaskID { Value = "t3" }, cancellationToken: cancellationToken);

        await agent.WaitForStatusAsync("t3", TaskState.TaskKilled, cancellationToken);
        Assert.That(await run.WaitAsync(cancellationToken), Is.EqualTo(ExecutorExitCodes.Success));
        Assert.That(File.Exists(Path.Combine(_sandbox.FullName, "got-term")), Is.True, "the task got SIGTERM before any SIGKILL");
    }
}
