using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.V1;
using Moq;
using NUnit.Framework;
using Capability = Mesos.V1.FrameworkInfo.Types.Capability.Types.Type;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Executor.Core.Tests.Execution;

[TestFixture]
public sealed class ExecutorTaskGroupTests
{
    [Test]
    [CancelAfter(10_000)]
    public async Task LaunchGroup_AllTasksStartBeforeAnyRuns(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start();
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);

        agent.Push(ExecutorHarness.LaunchGroup(ExecutorHarness.NewTask("a"), ExecutorHarness.NewTask("b"), ExecutorHarness.NewTask("c")));

        var updates = new TaskStatus[6];
        for (int i = 0; i < updates.Length; i++)
        {
            updates[i] = await h.NextUpdateAsync(cancellationToken);
        }

        Assert.That(updates.Where(u => u.State == TaskState.TaskStarting).Select(u => u.TaskId.Value), Is.EquivalentTo(new[] { "a", "b", "c" }));
        Assert.That(updates.Where(u => u.State == TaskState.TaskRunning).Select(u => u.TaskId.Value), Is.EquivalentTo(new[] { "a", "b", "c" }));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task LaunchGroup_OneTaskFails_OthersAreKilledWithTheirKillPolicy(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start();
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken, ExecutorHarness.Framework(Capability.TaskKillingState));
        h.AutoAcknowledge = true;
        agent.Push(ExecutorHarness.LaunchGroup(
            ExecutorHarness.NewTask("a"),
            ExecutorHarness.NewTask("b", t => t.KillPolicy = ExecutorHarness.KillPolicyOf(System.TimeSpan.FromSeconds(12)))));
        for (int i = 0; i < 4; i++)
        {
            await h.NextUpdateAsync(cancellationToken);
        }

        h.Containers.ExitTask("a", 2);

        TaskStatus failed = await h.ExpectUpdateAsync("a", TaskState.TaskFailed, cancellationToken);
        await h.ExpectUpdateAsync("b", TaskState.TaskKilling, cancellationToken);
        TaskStatus killed = await h.ExpectUpdateAsync("b", TaskState.TaskKilled, cancellationToken);
        (string container, System.TimeSpan grace) = await h.Containers.NextStopAsync(cancellationToken);
        Assert.That((container, grace), Is.EqualTo(("container-b", System.TimeSpan.FromSeconds(12))));
        Assert.That(failed.Message, Is.EqualTo("Container exited with status 2"));
        Assert.That(killed.HasReason, Is.False);
        Assert.That(await h.ExitCodeAsync(cancellationToken), Is.EqualTo(ExecutorExitCodes.Success));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task LaunchGroup_OneTaskFailsToLaunch_OthersAreKilled(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start();
        h.Containers.Mock.Setup(c => c.StartAsync("container-bad", It.IsAny<CancellationToken>())).ThrowsAsync(new ContainerizerException("no such image"));
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        h.AutoAcknowledge = true;

        agent.Push(ExecutorHarness.LaunchGroup(ExecutorHarness.NewTask("good"), ExecutorHarness.NewTask("bad")));

        Assert.That(await h.ExitCodeAsync(cancellationToken), Is.EqualTo(ExecutorExitCodes.Success));
        var finals = h.Agent.AllCalls.Where(c => c.Update != null).Select(c => c.Update.Status).GroupBy(s => s.TaskId.Value).ToDictionary(g => g.Key, g => g.Last());
        Assert.That(finals["bad"].State, Is.EqualTo(TaskState.TaskFailed));
        Assert.That(finals["bad"].Message, Is.EqualTo("start container failed: no such image"));
        Assert.That(finals["good"].State, Is.EqualTo(TaskState.TaskKilled));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task LaunchGroup_OneTaskFinishes_OthersKeepRunning(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start();
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        agent.Push(ExecutorHarness.LaunchGroup(ExecutorHarness.NewTask("a"), ExecutorHarness.NewTask("b")));
        for (int i = 0; i < 4; i++)
        {
            await h.NextUpdateAsync(cancellationToken);
        }

        h.Containers.ExitTask("a", 0);
        await h.ExpectUpdateAsync("a", TaskState.TaskFinished, cancellationToken);
        await h.SettleAsync(cancellationToken);

        Assert.That(h.Containers.TryGetStop(out _), Is.False);
        h.Containers.ExitTask("b", 0);
        await h.ExpectUpdateAsync("b", TaskState.TaskFinished, cancellationToken);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task LaunchGroup_OneTaskKilledByFramework_OthersAreKilledToo(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start();
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        agent.Push(ExecutorHarness.LaunchGroup(ExecutorHarness.NewTask("a"), ExecutorHarness.NewTask("b")));
        for (int i = 0; i < 4; i++)
        {
            await h.NextUpdateAsync(cancellationToken);
        }

        agent.Push(ExecutorHarness.Kill("a"));

        await h.ExpectUpdateAsync("a", TaskState.TaskKilled, cancellationToken);
        await h.ExpectUpdateAsync("b", TaskState.TaskKilled, cancellationToken);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task LaunchGroup_SeparateLaunches_AreNotAGroup(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start();
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("a")));
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("b")));
        for (int i = 0; i < 4; i++)
        {
            await h.NextUpdateAsync(cancellationToken);
        }

        h.Containers.ExitTask("a", 1);
        await h.ExpectUpdateAsync("a", TaskState.TaskFailed, cancellationToken);
        await h.SettleAsync(cancellationToken);

        Assert.That(h.Containers.TryGetStop(out _), Is.False);
    }
}
