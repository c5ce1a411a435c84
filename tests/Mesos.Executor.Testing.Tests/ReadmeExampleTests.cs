using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.V1;
using NUnit.Framework;

namespace Mesos.Executor.Testing.Tests;

/// <summary>The quickstart of src/Mesos.Executor.Testing/README.md, verbatim between the markers: keep them in sync.</summary>
[TestFixture]
public sealed class ReadmeExampleTests
{
    [Test]
    [CancelAfter(30_000)]
    public async Task Quickstart_LaunchThenKill_ExecutorExitsWithSuccess(CancellationToken cancellationToken)
    {
        // README begin
        // 1. A fake agent, and the environment a real agent would give your executor process.
        await using FakeAgent agent = await FakeAgent.StartAsync(new FakeAgentOptions
        {
            FrameworkCapabilities = [FrameworkInfo.Types.Capability.Types.Type.TaskKillingState],
        }, cancellationToken);
        IReadOnlyDictionary<string, string> environment = agent.CreateExecutorEnvironment();

        // 2. Your executor, pointed at it (or start your executor binary as a child process with
        //    `environment` as its environment variables).
        var containerizer = new RecordingContainerizer();
        await using MesosExecutor executor = MesosExecutor.CreateBuilder()
            .UseEnvironment(name => environment.GetValueOrDefault(name))
            .UseContainerizer(containerizer)
            .Build();
        Task<int> run = executor.RunAsync(cancellationToken);

        // 3. Script the agent and await what the executor does. Nothing polls or sleeps.
        await agent.WaitForSubscribeAsync(1, cancellationToken);
        await agent.SendLaunchAsync(new TaskInfo
        {
            Name = "web",
            TaskId = new TaskID { Value = "web-1" },
            AgentId = new AgentID { Value = agent.Options.AgentId },
            Command = new CommandInfo { Value = "sleep 1000" },
        }, cancellationToken);
        await agent.WaitForStatusAsync("web-1", TaskState.TaskRunning, cancellationToken);

        await agent.SendKillAsync(new TaskID { Value = "web-1" }, cancellationToken: cancellationToken);
        await agent.WaitForStatusAsync("web-1", TaskState.TaskKilled, cancellationToken);

        // Its last task ended, so the executor exits (send SHUTDOWN to stop one with live tasks).
        int exitCode = await run; // ExecutorExitCodes.Success
        await agent.WaitForDisconnectAsync(1, cancellationToken);
        // README end

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ExecutorExitCodes.Success));
            Assert.That(agent.StatusUpdates[0].State, Is.EqualTo(TaskState.TaskStarting));
            Assert.That(agent.StatusUpdates.Select(s => s.State), Does.Contain(TaskState.TaskKilling), "the framework has TASK_KILLING_STATE");
            Assert.That(agent.PendingAcknowledgements, Is.Empty);
        });
    }
}
