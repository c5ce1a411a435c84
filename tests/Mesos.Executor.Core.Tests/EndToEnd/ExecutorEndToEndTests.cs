using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.Executor.Core.Tests.Execution;
using Mesos.Executor.Testing;
using Mesos.V1;
using Mesos.V1.Executor;
using NUnit.Framework;
using Capability = Mesos.V1.FrameworkInfo.Types.Capability.Types.Type;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Executor.Core.Tests.EndToEnd;

/// <summary>The whole executor, over real loopback HTTP, against <see cref="FakeAgent"/>; containers are scripted in memory.</summary>
[TestFixture]
public sealed class ExecutorEndToEndTests
{
    private sealed class Run : IAsyncDisposable
    {
        private Run(FakeAgent agent, ScriptedContainerizer containers, MesosExecutor executor, Task<int> exit)
        {
            Agent = agent;
            Containers = containers;
            Executor = executor;
            Exit = exit;
        }

        public FakeAgent Agent { get; }

        public ScriptedContainerizer Containers { get; }

        public MesosExecutor Executor { get; }

        public Task<int> Exit { get; }

        public static async Task<Run> StartAsync(
            CancellationToken cancellationToken,
            FakeAgentOptions? agentOptions = null,
            FakeExecutorEnvironmentOptions? environmentOptions = null,
            ExecutorOptions? options = null,
            Action<Dictionary<string, string>>? editEnvironment = null)
        {
            FakeAgent agent = await FakeAgent.StartAsync(agentOptions, cancellationToken);
            var environment = new Dictionary<string, string>(agent.CreateExecutorEnvironment(environmentOptions));
            editEnvironment?.Invoke(environment);
            var containers = new ScriptedContainerizer();
            MesosExecutor executor = MesosExecutor.CreateBuilder()
                .UseEnvironment(name => environment.GetValueOrDefault(name))
                .UseOptions(options ?? new ExecutorOptions())
                .UseContainerizer(containers.Object)
                .Build();
            Task<int> exit = executor.RunAsync(cancellationToken);
            await agent.WaitForSubscribeAsync(1, cancellationToken);
            return new Run(agent, containers, executor, exit);
        }

        public Task LaunchAsync(string taskId, CancellationToken cancellationToken, Action<TaskInfo>? configure = null) =>
            Agent.SendLaunchAsync(Task(taskId, configure), cancellationToken);

        public TaskInfo Task(string taskId, Action<TaskInfo>? configure = null) => ExecutorHarness.NewTask(taskId, t =>
        {
            t.AgentId = new AgentID { Value = Agent.Options.AgentId };
            configure?.Invoke(t);
        });

        public async Task<TaskStatus> RunningAsync(string taskId, CancellationToken cancellationToken)
        {
            await LaunchAsync(taskId, cancellationToken);
            return await Agent.WaitForStatusAsync(taskId, TaskState.TaskRunning, cancellationToken);
        }

        public async ValueTask DisposeAsync()
        {
            await Executor.DisposeAsync();
            await Agent.DisposeAsync();
        }
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Launch_TaskFinishes_UpdatesAcceptedAndExecutorExitsAfterAcknowledgement(CancellationToken cancellationToken)
    {
        await using Run run = await Run.StartAsync(cancellationToken);

        TaskStatus running = await run.RunningAsync("web", cancellationToken);
        run.Containers.ExitTask("web", 0);
        await run.Agent.WaitForStatusAsync("web", TaskState.TaskFinished, cancellationToken);

        Assert.That(await run.Exit, Is.EqualTo(ExecutorExitCodes.Success));
        await run.Agent.WaitForDisconnectAsync(1, cancellationToken);
        Assert.That(run.Agent.Requests.Where(r => r.Call?.Type == Call.Types.Type.Update).Select(r => r.StatusCode), Is.All.EqualTo(System.Net.HttpStatusCode.Accepted));
        Assert.That(running.ContainerStatus.ContainerId.Value, Is.EqualTo(run.Agent.Options.ContainerId));
        Assert.That(run.Agent.PendingAcknowledgements, Is.Empty);
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Kill_WithTaskKillPolicy_KillingThenKilledWithThatGrace(CancellationToken cancellationToken)
    {
        await using Run run = await Run.StartAsync(cancellationToken, new FakeAgentOptions { FrameworkCapabilities = [Capability.TaskKillingState] });
        await run.Agent.SendLaunchAsync(run.Task("web", t => t.KillPolicy = ExecutorHarness.KillPolicyOf(TimeSpan.FromSeconds(7))), cancellationToken);
        await run.Agent.WaitForStatusAsync("web", TaskState.TaskRunning, cancellationToken);

        await run.Agent.SendKillAsync(new TaskID { Value = "web" }, cancellationToken: cancellationToken);

        await run.Agent.WaitForStatusAsync("web", TaskState.TaskKilling, cancellationToken);
        await run.Agent.WaitForStatusAsync("web", TaskState.TaskKilled, cancellationToken);
        Assert.That((await run.Containers.NextStopAsync(cancellationToken)).Grace, Is.EqualTo(TimeSpan.FromSeconds(7)).Within(TimeSpan.FromMilliseconds(500)));
        Assert.That(await run.Exit, Is.EqualTo(ExecutorExitCodes.Success));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task LaunchGroup_OneTaskFails_SiblingKilled(CancellationToken cancellationToken)
    {
        await using Run run = await Run.StartAsync(cancellationToken);
        var group = new TaskGroupInfo();
        group.Tasks.Add(run.Task("a"));
        group.Tasks.Add(run.Task("b"));
        await run.Agent.SendLaunchGroupAsync(group, cancellationToken);
        await run.Agent.WaitForStatusAsync("a", TaskState.TaskRunning, cancellationToken);
        await run.Agent.WaitForStatusAsync("b", TaskState.TaskRunning, cancellationToken);

        run.Containers.ExitTask("a", 1);

        await run.Agent.WaitForStatusAsync("a", TaskState.TaskFailed, cancellationToken);
        await run.Agent.WaitForStatusAsync("b", TaskState.TaskKilled, cancellationToken);
        Assert.That(await run.Exit, Is.EqualTo(ExecutorExitCodes.Success));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Shutdown_KillsTasksWithShutdownGraceAndExitsZero(CancellationToken cancellationToken)
    {
        await using Run run = await Run.StartAsync(cancellationToken, environmentOptions: new FakeExecutorEnvironmentOptions { ShutdownGracePeriod = TimeSpan.FromSeconds(6) });
        await run.RunningAsync("a", cancellationToken);
        await run.RunningAsync("b", cancellationToken);

        await run.Agent.SendShutdownAsync(cancellationToken);

        await run.Agent.WaitForStatusAsync("a", TaskState.TaskKilled, cancellationToken);
        await run.Agent.WaitForStatusAsync("b", TaskState.TaskKilled, cancellationToken);
        Assert.That(await run.Exit, Is.EqualTo(ExecutorExitCodes.Success));
        Assert.That((await run.Containers.NextStopAsync(cancellationToken)).Grace, Is.EqualTo(TimeSpan.FromSeconds(4)).Within(TimeSpan.FromMilliseconds(500)));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task AgentRestart_PendingUpdatesAndTasksResentInSubscribeOnly(CancellationToken cancellationToken)
    {
        await using Run run = await Run.StartAsync(
            cancellationToken,
            new FakeAgentOptions { AutoAcknowledge = false },
            new FakeExecutorEnvironmentOptions { Checkpoint = true, SubscriptionBackoffMax = TimeSpan.FromMilliseconds(50) });
        TaskInfo task = run.Task("web");
        await run.Agent.SendLaunchAsync(task, cancellationToken);
        TaskStatus starting = await run.Agent.WaitForStatusAsync("web", TaskState.TaskStarting, cancellationToken);
        TaskStatus running = await run.Agent.WaitForStatusAsync("web", TaskState.TaskRunning, cancellationToken);

        await run.Agent.RestartAsync(cancellationToken);
        Call resubscribe = await run.Agent.WaitForSubscribeAsync(2, cancellationToken);

        Assert.That(resubscribe.Subscribe.UnacknowledgedTasks, Is.EqualTo(new[] { task }));
        Assert.That(resubscribe.Subscribe.UnacknowledgedUpdates.Select(u => u.Status), Is.EqualTo(new[] { starting, running }));
        await run.Agent.AcknowledgeAllAsync(cancellationToken);
        run.Agent.AutoAcknowledge = true;
        run.Containers.ExitTask("web", 0);
        await run.Agent.WaitForStatusAsync("web", TaskState.TaskFinished, cancellationToken);
        Assert.That(await run.Exit, Is.EqualTo(ExecutorExitCodes.Success));
        Assert.That(run.Agent.Requests.Count(r => r.Call?.Type == Call.Types.Type.Update), Is.EqualTo(3), "STARTING, RUNNING, FINISHED: nothing re-sent as UPDATE");
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task AgentGone_RecoveryTimeoutExpires_TasksKilledAndExitCodeRecoveryTimeout(CancellationToken cancellationToken)
    {
        await using Run run = await Run.StartAsync(
            cancellationToken,
            environmentOptions: new FakeExecutorEnvironmentOptions
            {
                Checkpoint = true,
                RecoveryTimeout = TimeSpan.FromMilliseconds(800),
                SubscriptionBackoffMax = TimeSpan.FromMilliseconds(50),
            });
        await run.RunningAsync("web", cancellationToken);

        await run.Agent.StopAsync(cancellationToken);

        Assert.That(await run.Exit, Is.EqualTo(ExecutorExitCodes.RecoveryTimeout));
        Assert.That((await run.Containers.NextStopAsync(cancellationToken)).ContainerId, Is.EqualTo("container-web"));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task AgentGone_WithoutCheckpoint_ExitsDisconnected(CancellationToken cancellationToken)
    {
        await using Run run = await Run.StartAsync(cancellationToken);
        await run.RunningAsync("web", cancellationToken);

        await run.Agent.DropSubscriptionAsync(cancellationToken: cancellationToken);

        Assert.That(await run.Exit, Is.EqualTo(ExecutorExitCodes.Disconnected));
        Assert.That((await run.Containers.NextStopAsync(cancellationToken)).ContainerId, Is.EqualTo("container-web"));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task AgentRecovering_Subscribe503RetriedAndUpdate503KeptForNextSubscribe(CancellationToken cancellationToken)
    {
        await using Run run = await Run.StartAsync(
            cancellationToken,
            new FakeAgentOptions { AutoAcknowledge = false },
            new FakeExecutorEnvironmentOptions { Checkpoint = true, SubscriptionBackoffMax = TimeSpan.FromMilliseconds(50) });
        await run.Agent.SendLaunchAsync(run.Task("web"), cancellationToken);
        await run.Agent.WaitForStatusAsync("web", TaskState.TaskRunning, cancellationToken);

        // The agent recovers: the UPDATE of the exit gets 503, then the stream breaks, then SUBSCRIBE gets 503.
        run.Agent.IsRecovering = true;
        run.Containers.ExitTask("web", 0);
        RecordedRequest update = await run.Agent.WaitForCallAsync(r => (int)r.StatusCode == 503, cancellationToken);
        await run.Agent.DropSubscriptionAsync(cancellationToken: cancellationToken);
        await run.Agent.WaitForCallAsync(r => (int)r.StatusCode == 503 && r.Timestamp > update.Timestamp, cancellationToken);
        run.Agent.IsRecovering = false;
        run.Agent.AutoAcknowledge = true;

        Call resubscribe = await run.Agent.WaitForSubscribeAsync(2, cancellationToken);
        Assert.That(resubscribe.Subscribe.UnacknowledgedUpdates.Select(u => u.Status.State), Is.EqualTo(new[] { TaskState.TaskStarting, TaskState.TaskRunning, TaskState.TaskFinished }));
        Assert.That(await run.Exit, Is.EqualTo(ExecutorExitCodes.Success));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task GarbageOnTheStream_TreatedAsDisconnection(CancellationToken cancellationToken)
    {
        await using Run run = await Run.StartAsync(
            cancellationToken,
            environmentOptions: new FakeExecutorEnvironmentOptions { Checkpoint = true, SubscriptionBackoffMax = TimeSpan.FromMilliseconds(50) });
        await run.RunningAsync("web", cancellationToken);

        await run.Agent.SendRawAsync("12x\nnot a record"u8.ToArray(), cancellationToken);

        Call resubscribe = await run.Agent.WaitForSubscribeAsync(2, cancellationToken);
        Assert.That(resubscribe.Subscribe.UnacknowledgedTasks, Is.Empty, "web had acknowledged updates");
        run.Containers.ExitTask("web", 0);
        await run.Agent.WaitForStatusAsync("web", TaskState.TaskFinished, cancellationToken);
        Assert.That(await run.Exit, Is.EqualTo(ExecutorExitCodes.Success));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task UnknownAndHeartbeatEvents_Ignored(CancellationToken cancellationToken)
    {
        await using Run run = await Run.StartAsync(cancellationToken);

        await run.Agent.SendEventAsync(new Event { Type = (Event.Types.Type)77 }, cancellationToken);
        await run.Agent.SendHeartbeatAsync(cancellationToken);
        await run.RunningAsync("web", cancellationToken);

        Assert.That(run.Exit.IsCompleted, Is.False);
        await run.Agent.SendShutdownAsync(cancellationToken);
        Assert.That(await run.Exit, Is.EqualTo(ExecutorExitCodes.Success));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task AuthenticationToken_SentAsBearerOnEveryCall(CancellationToken cancellationToken)
    {
        await using Run run = await Run.StartAsync(cancellationToken, new FakeAgentOptions { AuthenticationToken = "s3cret-token" });
        await run.RunningAsync("web", cancellationToken);
        await run.Agent.SendShutdownAsync(cancellationToken);
        Assert.That(await run.Exit, Is.EqualTo(ExecutorExitCodes.Success));

        Assert.That(run.Agent.Requests.Select(r => r.GetHeader("Authorization")), Is.All.EqualTo("Bearer s3cret-token"));
        Assert.That(run.Agent.Requests, Has.Count.GreaterThanOrEqualTo(4));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task DomainSocket_UsedInsteadOfTcp(CancellationToken cancellationToken)
    {
        string socket = Path.Combine(Path.GetTempPath(), $"mesos-e2e-{Guid.NewGuid():N}.sock");
        await using Run run = await Run.StartAsync(
            cancellationToken,
            new FakeAgentOptions { UnixSocketPath = socket },
            editEnvironment: env =>
            {
                // An endpoint nobody listens on: only the socket can work.
                env["MESOS_AGENT_ENDPOINT"] = "127.0.0.1:1";
                env["MESOS_SLAVE_PID"] = "slave(1)@127.0.0.1:1";
            });

        await run.RunningAsync("web", cancellationToken);
        await run.Agent.SendShutdownAsync(cancellationToken);

        Assert.That(await run.Exit, Is.EqualTo(ExecutorExitCodes.Success));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task JsonContentType_WorksEndToEnd(CancellationToken cancellationToken)
    {
        await using Run run = await Run.StartAsync(cancellationToken, options: new ExecutorOptions { ContentType = AgentContentType.Json });

        await run.RunningAsync("web", cancellationToken);
        run.Containers.ExitTask("web", 3);
        TaskStatus failed = await run.Agent.WaitForStatusAsync("web", TaskState.TaskFailed, cancellationToken);

        Assert.That(failed.Message, Is.EqualTo("Container exited with status 3"));
        Assert.That(run.Agent.Requests.Where(r => r.Call != null).Select(r => r.ContentType), Is.All.EqualTo(AgentContentType.Json));
        Assert.That(await run.Exit, Is.EqualTo(ExecutorExitCodes.Success));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task FrameworkMessages_BothDirections(CancellationToken cancellationToken)
    {
        FakeAgent agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);
        await using (agent)
        {
            IReadOnlyDictionary<string, string> environment = agent.CreateExecutorEnvironment();
            var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            await using MesosExecutor executor = MesosExecutor.CreateBuilder()
                .UseEnvironment(name => environment.GetValueOrDefault(name))
                .UseContainerizer(new ScriptedContainerizer().Object)
                .OnMessage((data, _) =>
                {
                    received.TrySetResult(System.Text.Encoding.UTF8.GetString(data.Span));
                    return Task.CompletedTask;
                })
                .Build();
            Task<int> exit = executor.RunAsync(cancellationToken);
            await agent.WaitForSubscribeAsync(1, cancellationToken);

            await agent.SendMessageAsync("ping"u8.ToArray(), cancellationToken);
            Assert.That(await received.Task.WaitAsync(cancellationToken), Is.EqualTo("ping"));
            await executor.SendMessageAsync("pong"u8.ToArray(), cancellationToken);

            RecordedRequest message = await agent.WaitForCallAsync(r => r.Call?.Type == Call.Types.Type.Message, cancellationToken);
            Assert.That(message.Call!.Message.Data.ToStringUtf8(), Is.EqualTo("pong"));
            await agent.SendShutdownAsync(cancellationToken);
            Assert.That(await exit, Is.EqualTo(ExecutorExitCodes.Success));
        }
    }
}
