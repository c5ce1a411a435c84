using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.Executor.Core.Execution;
using Mesos.V1;
using NUnit.Framework;
using Capability = Mesos.V1.FrameworkInfo.Types.Capability.Types.Type;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Executor.Core.Tests.Execution;

[TestFixture]
public sealed class ExecutorShutdownTests
{
    [TestCase(5_000, 3_000)]
    [TestCase(10_000, 8_000)]
    [TestCase(2_500, 1_000)]
    [TestCase(2_000, 1_000)]
    [TestCase(500, 500)]
    public void ShutdownKillGracePeriod_IsPeriodMinusTwoSecondsAtLeastOneSecond(int periodMs, int expectedMs)
    {
        var settings = new ExecutorSettings
        {
            FrameworkId = new FrameworkID { Value = "f" },
            ExecutorId = new ExecutorID { Value = "e" },
            ShutdownGracePeriod = TimeSpan.FromMilliseconds(periodMs),
        };

        Assert.That(settings.ShutdownKillGracePeriod, Is.EqualTo(TimeSpan.FromMilliseconds(expectedMs)));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Shutdown_KillsEveryTaskWithShutdownGraceAndExitsZeroAfterAcks(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start(o => o.ShutdownGracePeriod = TimeSpan.FromSeconds(7));
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken, ExecutorHarness.Framework(Capability.TaskKillingState));
        h.AutoAcknowledge = true;
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("a", t => t.KillPolicy = ExecutorHarness.KillPolicyOf(TimeSpan.FromSeconds(30)))));
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("b")));
        for (int i = 0; i < 4; i++)
        {
            await h.NextUpdateAsync(cancellationToken);
        }

        agent.Push(ExecutorHarness.Shutdown());

        var stops = new[] { await h.Containers.NextStopAsync(cancellationToken), await h.Containers.NextStopAsync(cancellationToken) };
        Assert.That(stops.Select(s => s.Grace), Is.All.EqualTo(TimeSpan.FromSeconds(5)), "shutdown grace 7 s minus 2 s, whatever the kill policy");
        Assert.That(await h.ExitCodeAsync(cancellationToken), Is.EqualTo(ExecutorExitCodes.Success));
        var states = h.Agent.AllCalls.Where(c => c.Update != null).Select(c => (c.Update.Status.TaskId.Value, c.Update.Status.State)).ToList();
        Assert.That(states, Does.Contain(("a", TaskState.TaskKilling)).And.Contain(("a", TaskState.TaskKilled)).And.Contain(("b", TaskState.TaskKilled)));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Shutdown_WithoutTasks_ExitsZeroAtOnce(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start();
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);

        agent.Push(ExecutorHarness.Shutdown());

        Assert.That(await h.ExitCodeAsync(cancellationToken), Is.EqualTo(ExecutorExitCodes.Success));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task RunAsync_Cancelled_BehavesLikeShutdownAndReturnsZero(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start();
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        h.AutoAcknowledge = true;
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1")));
        await h.ExpectUpdateAsync("t1", TaskState.TaskStarting, cancellationToken);
        await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);

        h.CancelRun();

        Assert.That((await h.Containers.NextStopAsync(cancellationToken)).Grace, Is.EqualTo(TimeSpan.FromSeconds(3)));
        await h.ExpectUpdateAsync("t1", TaskState.TaskKilled, cancellationToken);
        Assert.That(await h.ExitCodeAsync(cancellationToken), Is.EqualTo(ExecutorExitCodes.Success));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task LastTaskEnds_ExitsOnlyAfterTerminalUpdateAcknowledged(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start();
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1")));
        TaskStatus starting = await h.ExpectUpdateAsync("t1", TaskState.TaskStarting, cancellationToken);
        TaskStatus running = await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);
        h.Containers.ExitTask("t1", 0);
        TaskStatus finished = await h.ExpectUpdateAsync("t1", TaskState.TaskFinished, cancellationToken);

        ExecutorHarness.Acknowledge(agent, starting);
        ExecutorHarness.Acknowledge(agent, running);
        await h.SettleAsync(cancellationToken);
        await h.SettleAsync(cancellationToken);
        Assert.That(h.Run.IsCompleted, Is.False, "the terminal update is not acknowledged yet");

        ExecutorHarness.Acknowledge(agent, finished);
        Assert.That(await h.ExitCodeAsync(cancellationToken), Is.EqualTo(ExecutorExitCodes.Success));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task LastTaskEnds_NoAcknowledgement_ExitsAfterFailsafe(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start(o => o.Options = new ExecutorOptions { TerminalAcknowledgementTimeout = TimeSpan.FromSeconds(42) });
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1")));
        await h.ExpectUpdateAsync("t1", TaskState.TaskStarting, cancellationToken);
        await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);
        h.Containers.ExitTask("t1", 0);
        await h.ExpectUpdateAsync("t1", TaskState.TaskFinished, cancellationToken);

        await h.Time.WaitForTimerAsync(TimeSpan.FromSeconds(42), cancellationToken);
        h.Time.Advance(TimeSpan.FromSeconds(41));
        await h.SettleAsync(cancellationToken);
        Assert.That(h.Run.IsCompleted, Is.False);
        h.Time.Advance(TimeSpan.FromSeconds(1));

        Assert.That(await h.ExitCodeAsync(cancellationToken), Is.EqualTo(ExecutorExitCodes.AcknowledgementTimeout));
        Assert.That(h.Logs.GetSnapshot().Any(r => r.Id.Name == "AcknowledgementTimeout"), Is.True);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Shutdown_TaskIgnoresStop_ExitsWhenShutdownGracePeriodIsOver(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start(o => o.ShutdownGracePeriod = TimeSpan.FromSeconds(9));
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        h.AutoAcknowledge = true;
        h.Containers.ExitOnStop = false;
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1")));
        await h.ExpectUpdateAsync("t1", TaskState.TaskStarting, cancellationToken);
        await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);

        agent.Push(ExecutorHarness.Shutdown());
        await h.Time.WaitForTimerAsync(TimeSpan.FromSeconds(9), cancellationToken);
        h.Time.Advance(TimeSpan.FromSeconds(9));

        Assert.That(await h.ExitCodeAsync(cancellationToken), Is.EqualTo(ExecutorExitCodes.ShutdownTimeout));
    }

    [TestCase(true, TaskState.TaskDropped)]
    [TestCase(false, TaskState.TaskLost)]
    [CancelAfter(10_000)]
    public async Task Launch_WhileShuttingDown_ReportsTaskDroppedOrLost(bool partitionAware, TaskState expected, CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start();
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken, partitionAware ? ExecutorHarness.Framework(Capability.PartitionAware) : null);
        h.Containers.ExitOnStop = false;
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1")));
        await h.ExpectUpdateAsync("t1", TaskState.TaskStarting, cancellationToken);
        await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);
        agent.Push(ExecutorHarness.Shutdown());

        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("late")));

        TaskStatus late = await h.ExpectUpdateAsync("late", expected, cancellationToken);
        Assert.That(late.Message, Is.EqualTo("The executor is shutting down"));
        h.Containers.ExitTask("t1", 143);
        await h.ExpectUpdateAsync("t1", TaskState.TaskKilled, cancellationToken);
    }
}
