using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.Executor.Core.Execution;
using Mesos.V1;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Moq;
using NUnit.Framework;
using Capability = Mesos.V1.FrameworkInfo.Types.Capability.Types.Type;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Executor.Core.Tests.Execution;

/// <summary>
/// Every line about a task, whoever writes it (the loop, the runner, the containerizer, hooks,
/// checks), carries the task's <c>TaskId</c> and, once the container exists, its
/// <c>ContainerId</c> as logging-scope properties; lines not about a task carry neither.
/// </summary>
[TestFixture]
public sealed class ExecutorLogScopeTests
{
    [Test]
    [CancelAfter(10_000)]
    public async Task Launch_ContainerizerLogs_CarryTaskIdAndContainerIdOnceCreated(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start();
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);

        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("web-1")));
        await h.ExpectUpdateAsync("web-1", TaskState.TaskStarting, cancellationToken);
        await h.ExpectUpdateAsync("web-1", TaskState.TaskRunning, cancellationToken);

        FakeLogRecord create = Single(h, ExecutorHarness.ContainerizerCategory, "Creating container");
        FakeLogRecord start = Single(h, ExecutorHarness.ContainerizerCategory, "Starting container");
        FakeLogRecord running = SingleEvent(h, "TaskRunning");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ScopeValues(create, "TaskId"), Is.EqualTo(new[] { "web-1" }));
            Assert.That(ScopeValues(create, "ContainerId"), Is.Empty, "no container before CreateAsync returned");

            // "container-web-1", shortened to 12 characters like every container id in the logs.
            Assert.That(ScopeValues(start, "TaskId"), Is.EqualTo(new[] { "web-1" }));
            Assert.That(ScopeValues(start, "ContainerId"), Is.EqualTo(new[] { "container-we" }));
            Assert.That(ScopeValues(running, "TaskId"), Is.EqualTo(new[] { "web-1" }));
            Assert.That(ScopeValues(running, "ContainerId"), Is.EqualTo(new[] { "container-we" }));
        }

        AssertNoLineInTwoScopes(h);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task StatusUpdates_Logs_CarryTheTaskScope(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start();
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);

        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1")));
        await h.ExpectUpdateAsync("t1", TaskState.TaskStarting, cancellationToken);
        TaskStatus running = await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);
        ExecutorHarness.Acknowledge(agent, running);
        await h.WaitForLogAsync("StatusUpdateAcknowledged", 1, cancellationToken);
        await h.WaitForLogAsync("StatusUpdateSent", 2, cancellationToken);

        FakeLogRecord[] updates = [.. h.Logs.GetSnapshot().Where(r => r.Id.Name is "StatusUpdateQueued" or "StatusUpdateSent" or "StatusUpdateAcknowledged")];
        Assert.That(updates.Select(r => r.Id.Name).Distinct(), Is.EquivalentTo(new[] { "StatusUpdateQueued", "StatusUpdateSent", "StatusUpdateAcknowledged" }));
        using (Assert.EnterMultipleScope())
        {
            foreach (FakeLogRecord update in updates)
            {
                bool isRunning = update.GetStructuredStateValue("State") == "TASK_RUNNING";
                Assert.That(ScopeValues(update, "TaskId"), Is.EqualTo(new[] { "t1" }), update.Message);
                Assert.That(ScopeValues(update, "ContainerId"), Is.EqualTo(isRunning ? new[] { "container-t1" } : Array.Empty<string>()), update.Message);
            }
        }

        AssertNoLineInTwoScopes(h);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Kill_StopAndHookLogs_CarryTaskIdAndContainerId(CancellationToken cancellationToken)
    {
        var hook = new Mock<IHook>();
        hook.SetupGet(x => x.Name).Returns("logging");
        hook.Setup(x => x.PreStopAsync(It.IsAny<HookContext>(), It.IsAny<CancellationToken>()))
            .Returns(async (HookContext context, CancellationToken _) =>
            {
                // A real hook awaits something first: the scope must survive the hop.
                await Task.Yield();
                context.Logger.LogInformation("pre-stop ran");
            });
        await using ExecutorHarness h = ExecutorHarness.Start(o => o.Hooks.Add(hook.Object));
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken, ExecutorHarness.Framework(Capability.TaskKillingState));
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1")));
        await h.ExpectUpdateAsync("t1", TaskState.TaskStarting, cancellationToken);
        await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);

        agent.Push(ExecutorHarness.Kill("t1"));
        await h.ExpectUpdateAsync("t1", TaskState.TaskKilling, cancellationToken);
        await h.ExpectUpdateAsync("t1", TaskState.TaskKilled, cancellationToken);

        FakeLogRecord[] lines =
        [
            SingleEvent(h, "KillingTask"),
            Single(h, "Mesos.Executor.Hooks", "pre-stop ran"),
            SingleEvent(h, "StoppingContainer"),
            Single(h, ExecutorHarness.ContainerizerCategory, "Stopping container"),
            SingleEvent(h, "TaskEnded"),
        ];
        using (Assert.EnterMultipleScope())
        {
            foreach (FakeLogRecord line in lines)
            {
                Assert.That(ScopeValues(line, "TaskId"), Is.EqualTo(new[] { "t1" }), line.Message);
                Assert.That(ScopeValues(line, "ContainerId"), Is.EqualTo(new[] { "container-t1" }), line.Message);
            }
        }

        AssertNoLineInTwoScopes(h);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task LaunchGroup_ConcurrentTasks_EachLineCarriesItsOwnTask(CancellationToken cancellationToken)
    {
        // Both runners wait inside their pre-run hooks until the other got there too: the two
        // flows are live at the same time when they log.
        int arrived = 0;
        var bothArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var hook = new Mock<IHook>();
        hook.SetupGet(x => x.Name).Returns("rendezvous");
        hook.Setup(x => x.PreRunAsync(It.IsAny<HookContext>(), It.IsAny<CancellationToken>()))
            .Returns(async (HookContext context, CancellationToken ct) =>
            {
                if (Interlocked.Increment(ref arrived) == 2)
                {
                    bothArrived.TrySetResult();
                }

                await bothArrived.Task.WaitAsync(ct);
                context.Logger.LogInformation("pre-run of {Task}", context.Task.TaskId.Value);
            });
        await using ExecutorHarness h = ExecutorHarness.Start(o => o.Hooks.Add(hook.Object));
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        h.AutoAcknowledge = true;

        agent.Push(ExecutorHarness.LaunchGroup(ExecutorHarness.NewTask("a"), ExecutorHarness.NewTask("b")));
        for (int i = 0; i < 4; i++)
        {
            await h.NextUpdateAsync(cancellationToken);
        }

        // a fails: the loop kills b from inside a's handling, and b's lines must say b.
        h.Containers.ExitTask("a", 2);
        await h.ExpectUpdateAsync("a", TaskState.TaskFailed, cancellationToken);
        await h.ExpectUpdateAsync("b", TaskState.TaskKilled, cancellationToken);
        Assert.That(await h.ExitCodeAsync(cancellationToken), Is.EqualTo(ExecutorExitCodes.Success));

        FakeLogRecord[] hookLines = [.. h.Logs.GetSnapshot().Where(r => r.Message.StartsWith("pre-run of ", StringComparison.Ordinal))];
        Assert.That(hookLines, Has.Length.EqualTo(2));
        using (Assert.EnterMultipleScope())
        {
            foreach (FakeLogRecord line in hookLines)
            {
                string task = line.GetStructuredStateValue("Task")!;
                Assert.That(ScopeValues(line, "TaskId"), Is.EqualTo(new[] { task }), line.Message);
                Assert.That(ScopeValues(line, "ContainerId"), Is.EqualTo(new[] { "container-" + task }), line.Message);
            }

            foreach (string task in new[] { "a", "b" })
            {
                FakeLogRecord create = Single(h, ExecutorHarness.ContainerizerCategory, "Creating container container-" + task);
                Assert.That(ScopeValues(create, "TaskId"), Is.EqualTo(new[] { task }));
            }

            Assert.That(ScopeValues(SingleEvent(h, "KillingTaskGroup"), "TaskId"), Is.EqualTo(new[] { "a" }));
            Assert.That(ScopeValues(SingleEvent(h, "KillingTask"), "TaskId"), Is.EqualTo(new[] { "b" }));
            Assert.That(ScopeValues(Single(h, ExecutorHarness.ContainerizerCategory, "Stopping container container-b"), "TaskId"), Is.EqualTo(new[] { "b" }));
        }

        AssertNoLineInTwoScopes(h);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task TaskFinished_LaterLoopLines_CarryNoTaskId(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start();
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        h.AutoAcknowledge = true;
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1")));
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t2")));
        for (int i = 0; i < 4; i++)
        {
            await h.NextUpdateAsync(cancellationToken);
        }

        h.Containers.ExitTask("t1", 0);
        await h.ExpectUpdateAsync("t1", TaskState.TaskFinished, cancellationToken);
        await h.SettleAsync(cancellationToken);
        int before = h.Logs.GetSnapshot().Count;

        agent.Push(new Mesos.V1.Executor.Event { Type = Mesos.V1.Executor.Event.Types.Type.Heartbeat });
        await h.WaitForLogAsync("HeartbeatEventReceived", 1, cancellationToken);
        h.Containers.ExitTask("t2", 0);
        Assert.That(await h.ExitCodeAsync(cancellationToken), Is.EqualTo(ExecutorExitCodes.Success));

        FakeLogRecord[] later = [.. h.Logs.GetSnapshot().Skip(before)];
        FakeLogRecord heartbeat = later.Single(r => r.Id.Name == "HeartbeatEventReceived");
        FakeLogRecord exited = later.Single(r => r.Id.Name == "ExecutorExited");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(heartbeat.Scopes, Is.Empty);
            Assert.That(later.Where(r => r.Id.Name == "EventReceived").SelectMany(r => r.Scopes), Is.Empty);
            Assert.That(exited.Scopes, Is.Empty);

            // t2, still running then, logs with its own id.
            Assert.That(ScopeValues(later.Single(r => r.Id.Name == "TaskEnded"), "TaskId"), Is.EqualTo(new[] { "t2" }));
        }

        AssertNoLineInTwoScopes(h);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task HealthCheck_ProbeLogs_CarryTaskIdAndContainerId(CancellationToken cancellationToken)
    {
        var logs = new FakeLogCollector();
        using var loggerFactory = new LoggerFactory([new FakeLoggerProvider(logs)]);
        ILogger probeLogger = loggerFactory.CreateLogger("Test.Probe");
        var time = new ObservableTimeProvider();
        var agent = new InMemoryAgentTransport();
        var containers = new ScriptedContainerizer();
        var probed = Channel.CreateUnbounded<bool>();
        var probe = new Mock<IHealthCheck>();
        probe.Setup(p => p.ProbeAsync(It.IsAny<ProbeRequest>(), It.IsAny<CancellationToken>()))
            .Returns(async (ProbeRequest _, CancellationToken _) =>
            {
                await Task.Yield();
                probeLogger.LogInformation("probing");
                probed.Writer.TryWrite(true);
                return new ProbeResult { Succeeded = true, Message = null };
            });
        await using MesosExecutor executor = MesosExecutor.CreateBuilder()
            .UseEnvironment(new ExecutorEnvironment
            {
                FrameworkId = new FrameworkID { Value = ExecutorHarness.FrameworkId },
                ExecutorId = new ExecutorID { Value = ExecutorHarness.ExecutorId },
                AgentEndpoint = "127.0.0.1:5051",
            })
            .UseContainerizer(containers.Object)
            .UseHealthCheck(probe.Object)
            .UseTimeProvider(time)
            .UseLoggerFactory(loggerFactory)
            .UseTransport(agent)
            .Build();
        Task<int> run = executor.RunAsync(cancellationToken);
        SubscriptionAttempt attempt = await agent.NextAttemptAsync(cancellationToken);
        attempt.Push(ExecutorHarness.Subscribed());
        agent.OnSend = (call, _) =>
        {
            if (call.Update != null)
            {
                ExecutorHarness.Acknowledge(attempt, call.Update.Status);
            }

            return Task.CompletedTask;
        };
        attempt.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1", t => t.HealthCheck = new HealthCheck
        {
            Type = HealthCheck.Types.Type.Tcp,
            Tcp = new HealthCheck.Types.TCPCheckInfo { Port = 80 },
            DelaySeconds = 1,
            IntervalSeconds = 1,
            GracePeriodSeconds = 0,
        })));

        // The probes run on the check runner's timers, long after the loop started it.
        for (int probes = 1; probes <= 2; probes++)
        {
            await time.WaitForTimerAsync(TimeSpan.FromSeconds(1), cancellationToken);
            time.Advance(TimeSpan.FromSeconds(1));
            await probed.Reader.ReadAsync(cancellationToken);
        }

        FakeLogRecord[] lines = [.. logs.GetSnapshot().Where(r => r.Message == "probing" || r.Id.Name is "CheckRunnerStarted" or "HealthCheckHealthy")];
        Assert.That(lines, Has.Length.GreaterThanOrEqualTo(3));
        using (Assert.EnterMultipleScope())
        {
            foreach (FakeLogRecord line in lines)
            {
                Assert.That(ScopeValues(line, "TaskId"), Is.EqualTo(new[] { "t1" }), line.Message);
                Assert.That(ScopeValues(line, "ContainerId"), Is.EqualTo(new[] { "container-t1" }), line.Message);
            }
        }

        containers.ExitTask("t1", 0);
        Assert.That(await run, Is.EqualTo(ExecutorExitCodes.Success));
    }

    [Test]
    public void TaskLogScope_Rendering_IsKeyValuePairsAndText()
    {
        var scope = new TaskLogScope("web-1");
        TaskLogScope withContainer = scope.WithContainer("bfa7ca01637c9d2e");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(scope, Is.EqualTo(new[] { new KeyValuePair<string, object?>("TaskId", "web-1") }));
            Assert.That(scope.ToString(), Is.EqualTo("TaskId=web-1"));
            Assert.That(withContainer, Is.EqualTo(new[]
            {
                new KeyValuePair<string, object?>("TaskId", "web-1"),
                new KeyValuePair<string, object?>("ContainerId", "bfa7ca01637c"),
            }));
            Assert.That(withContainer.ToString(), Is.EqualTo("TaskId=web-1 ContainerId=bfa7ca01637c"));
            Assert.That(scope.ContainerId, Is.Null, "WithContainer leaves the original unchanged");
        }
    }

    private static FakeLogRecord Single(ExecutorHarness h, string category, string messageStart) =>
        h.Logs.GetSnapshot().Single(r => r.Category == category && r.Message.StartsWith(messageStart, StringComparison.Ordinal));

    private static FakeLogRecord SingleEvent(ExecutorHarness h, string eventName) =>
        h.Logs.GetSnapshot().Single(r => r.Id.Name == eventName);

    /// <summary>The values of <paramref name="key"/> in the record's scopes, outermost first.</summary>
    private static List<string?> ScopeValues(FakeLogRecord record, string key) =>
        [.. record.Scopes
            .OfType<IEnumerable<KeyValuePair<string, object?>>>()
            .SelectMany(scope => scope)
            .Where(pair => pair.Key == key)
            .Select(pair => pair.Value?.ToString())];

    private static void AssertNoLineInTwoScopes(ExecutorHarness h)
    {
        FakeLogRecord[] doubled = [.. h.Logs.GetSnapshot().Where(r => ScopeValues(r, "TaskId").Count > 1 || ScopeValues(r, "ContainerId").Count > 1)];
        Assert.That(doubled.Select(r => $"{r.Message} [{string.Join(", ", r.Scopes)}]"), Is.Empty);
    }
}
