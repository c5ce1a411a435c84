using System;
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
public sealed class ExecutorKillTests
{
    private static async Task<(ExecutorHarness Harness, SubscriptionAttempt Agent)> RunningAsync(
        CancellationToken cancellationToken,
        FrameworkInfo? framework = null,
        Action<TaskInfo>? configureTask = null,
        Action<HarnessOptions>? configure = null)
    {
        ExecutorHarness h = ExecutorHarness.Start(configure);
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken, framework);
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1", configureTask)));
        await h.ExpectUpdateAsync("t1", TaskState.TaskStarting, cancellationToken);
        await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);
        return (h, agent);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Kill_FrameworkHasTaskKillingState_SendsKillingThenKilled(CancellationToken cancellationToken)
    {
        (ExecutorHarness h, SubscriptionAttempt agent) = await RunningAsync(cancellationToken, ExecutorHarness.Framework(Capability.TaskKillingState));
        await using (h)
        {
            agent.Push(ExecutorHarness.Kill("t1"));

            await h.ExpectUpdateAsync("t1", TaskState.TaskKilling, cancellationToken);
            TaskStatus killed = await h.ExpectUpdateAsync("t1", TaskState.TaskKilled, cancellationToken);
            Assert.That(killed.Message, Is.EqualTo("Container exited with status 143"));
        }
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Kill_FrameworkWithoutTaskKillingState_SendsOnlyKilled(CancellationToken cancellationToken)
    {
        (ExecutorHarness h, SubscriptionAttempt agent) = await RunningAsync(cancellationToken, ExecutorHarness.Framework(Capability.PartitionAware));
        await using (h)
        {
            agent.Push(ExecutorHarness.Kill("t1"));

            await h.ExpectUpdateAsync("t1", TaskState.TaskKilled, cancellationToken);
        }
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Kill_ContainerExitsZeroAfterStop_StillReportsKilled(CancellationToken cancellationToken)
    {
        (ExecutorHarness h, SubscriptionAttempt agent) = await RunningAsync(cancellationToken);
        await using (h)
        {
            h.Containers.StopExitCode = 0;
            agent.Push(ExecutorHarness.Kill("t1"));

            await h.ExpectUpdateAsync("t1", TaskState.TaskKilled, cancellationToken);
        }
    }

    [TestCase(null, null, 3_000)]
    [TestCase(null, 7_000, 7_000)]
    [TestCase(2_000, 7_000, 2_000)]
    [TestCase(9_000, null, 9_000)]
    [CancelAfter(10_000)]
    public async Task Kill_GracePeriod_KillEventPolicyThenTaskPolicyThenDefault(int? killMs, int? taskMs, int expectedMs, CancellationToken cancellationToken)
    {
        (ExecutorHarness h, SubscriptionAttempt agent) = await RunningAsync(
            cancellationToken,
            configureTask: t =>
            {
                if (taskMs is { } ms)
                {
                    t.KillPolicy = ExecutorHarness.KillPolicyOf(TimeSpan.FromMilliseconds(ms));
                }
            });
        await using (h)
        {
            agent.Push(ExecutorHarness.Kill("t1", killMs is { } k ? TimeSpan.FromMilliseconds(k) : null));

            (string container, TimeSpan grace) = await h.Containers.NextStopAsync(cancellationToken);
            Assert.That((container, grace), Is.EqualTo(("container-t1", TimeSpan.FromMilliseconds(expectedMs))));
            await h.ExpectUpdateAsync("t1", TaskState.TaskKilled, cancellationToken);
        }
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Kill_DefaultKillGracePeriodOption_UsedWithoutPolicies(CancellationToken cancellationToken)
    {
        (ExecutorHarness h, SubscriptionAttempt agent) = await RunningAsync(
            cancellationToken,
            configure: o => o.Options = new ExecutorOptions { DefaultKillGracePeriod = TimeSpan.FromSeconds(11) });
        await using (h)
        {
            agent.Push(ExecutorHarness.Kill("t1"));

            (_, TimeSpan grace) = await h.Containers.NextStopAsync(cancellationToken);
            Assert.That(grace, Is.EqualTo(TimeSpan.FromSeconds(11)));
        }
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Kill_SecondKillWithShorterGrace_ReissuesStopWithRemainingGrace(CancellationToken cancellationToken)
    {
        (ExecutorHarness h, SubscriptionAttempt agent) = await RunningAsync(
            cancellationToken,
            ExecutorHarness.Framework(Capability.TaskKillingState),
            t => t.KillPolicy = ExecutorHarness.KillPolicyOf(TimeSpan.FromSeconds(30)));
        await using (h)
        {
            h.Containers.ExitOnStop = false;
            agent.Push(ExecutorHarness.Kill("t1"));
            await h.ExpectUpdateAsync("t1", TaskState.TaskKilling, cancellationToken);
            Assert.That((await h.Containers.NextStopAsync(cancellationToken)).Grace, Is.EqualTo(TimeSpan.FromSeconds(30)));

            h.Time.Advance(TimeSpan.FromSeconds(4));
            agent.Push(ExecutorHarness.Kill("t1", TimeSpan.FromSeconds(10)));

            (_, TimeSpan shortened) = await h.Containers.NextStopAsync(cancellationToken);
            Assert.That(shortened, Is.EqualTo(TimeSpan.FromSeconds(6)), "10 s counted from the first kill, 4 s of which passed");

            h.Containers.ExitTask("t1", 137);
            await h.ExpectUpdateAsync("t1", TaskState.TaskKilled, cancellationToken);
            await h.SettleAsync(cancellationToken);
            Assert.That(h.Agent.AllCalls.Count(c => c.Update?.Status.State == TaskState.TaskKilling), Is.EqualTo(1), "TASK_KILLING only once");
        }
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Kill_SecondKillWithLongerOrSameGrace_ChangesNothing(CancellationToken cancellationToken)
    {
        (ExecutorHarness h, SubscriptionAttempt agent) = await RunningAsync(cancellationToken);
        await using (h)
        {
            h.Containers.ExitOnStop = false;
            agent.Push(ExecutorHarness.Kill("t1", TimeSpan.FromSeconds(5)));
            Assert.That((await h.Containers.NextStopAsync(cancellationToken)).Grace, Is.EqualTo(TimeSpan.FromSeconds(5)));

            agent.Push(ExecutorHarness.Kill("t1", TimeSpan.FromSeconds(20)));
            agent.Push(ExecutorHarness.Kill("t1", TimeSpan.FromSeconds(5)));
            await h.WaitForLogAsync("KillAlreadyInProgress", 2, cancellationToken);
            await h.SettleAsync(cancellationToken);

            Assert.That(h.Containers.TryGetStop(out _), Is.False);
            h.Containers.ExitTask("t1", 143);
            await h.ExpectUpdateAsync("t1", TaskState.TaskKilled, cancellationToken);
        }
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Kill_UnknownTask_LogsWarningAndSendsNothing(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start();
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);

        agent.Push(ExecutorHarness.Kill("nope"));
        await h.WaitForLogAsync("KillUnknownTask", 1, cancellationToken);
        await h.SettleAsync(cancellationToken);

        Assert.That(h.Agent.TryGetCall(out _), Is.False);
        Assert.That(h.Logs.GetSnapshot().Any(r => r.Id.Name == "KillUnknownTask" && r.Level == Microsoft.Extensions.Logging.LogLevel.Warning), Is.True);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Kill_WhileCreatingContainer_AbortsLaunchAndSendsKilled(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start();
        var createEntered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Containers.Mock.Setup(c => c.CreateAsync(It.IsAny<ContainerSpec>(), It.IsAny<CancellationToken>()))
            .Returns(async (ContainerSpec _, CancellationToken ct) =>
            {
                createEntered.TrySetResult();
                await Task.Delay(Timeout.Infinite, ct);
                return "never";
            });
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken, ExecutorHarness.Framework(Capability.TaskKillingState));
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1")));
        await h.ExpectUpdateAsync("t1", TaskState.TaskStarting, cancellationToken);
        await createEntered.Task.WaitAsync(cancellationToken);

        agent.Push(ExecutorHarness.Kill("t1"));

        await h.ExpectUpdateAsync("t1", TaskState.TaskKilling, cancellationToken);
        TaskStatus killed = await h.ExpectUpdateAsync("t1", TaskState.TaskKilled, cancellationToken);
        Assert.That(killed.Reason, Is.EqualTo(TaskStatus.Types.Reason.TaskKilledDuringLaunch));
        h.Containers.Mock.Verify(c => c.StartAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never());
        h.Containers.Mock.Verify(c => c.StopAsync(It.IsAny<string>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()), Times.Never());
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Kill_WhileStartingCreatedContainer_StopsItAndSendsKilledWithoutRunning(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start();
        var startEntered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Containers.Mock.Setup(c => c.StartAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns(async (string _, CancellationToken ct) =>
            {
                startEntered.TrySetResult();
                await Task.Delay(Timeout.Infinite, ct);
            });
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1", t => t.KillPolicy = ExecutorHarness.KillPolicyOf(TimeSpan.FromSeconds(8)))));
        await h.ExpectUpdateAsync("t1", TaskState.TaskStarting, cancellationToken);
        await startEntered.Task.WaitAsync(cancellationToken);

        agent.Push(ExecutorHarness.Kill("t1"));

        (string container, TimeSpan grace) = await h.Containers.NextStopAsync(cancellationToken);
        Assert.That((container, grace), Is.EqualTo(("container-t1", TimeSpan.FromSeconds(8))));
        await h.ExpectUpdateAsync("t1", TaskState.TaskKilled, cancellationToken);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Kill_StopFails_RetriedAfterInterval(CancellationToken cancellationToken)
    {
        (ExecutorHarness h, SubscriptionAttempt agent) = await RunningAsync(cancellationToken);
        await using (h)
        {
            int attempts = 0;
            h.Containers.Mock.Setup(c => c.StopAsync(It.IsAny<string>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()))
                .Returns((string id, TimeSpan _, CancellationToken _) =>
                {
                    if (Interlocked.Increment(ref attempts) == 1)
                    {
                        throw new ContainerizerException("daemon busy");
                    }

                    h.Containers.Exit(id, 143);
                    return Task.CompletedTask;
                });
            agent.Push(ExecutorHarness.Kill("t1"));

            await h.Time.WaitForTimerAsync(TimeSpan.FromSeconds(5), cancellationToken);
            h.Time.Advance(TimeSpan.FromSeconds(5));

            await h.ExpectUpdateAsync("t1", TaskState.TaskKilled, cancellationToken);
            Assert.That(attempts, Is.EqualTo(2));
        }
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Kill_TaskReachesMaxCompletionTime_KilledWithZeroGraceAndReportedFailed(CancellationToken cancellationToken)
    {
        (ExecutorHarness h, SubscriptionAttempt agent) = await RunningAsync(
            cancellationToken,
            ExecutorHarness.Framework(Capability.TaskKillingState),
            t => t.MaxCompletionTime = new DurationInfo { Nanoseconds = 60_000_000_000 });
        await using (h)
        {
            h.Time.Advance(TimeSpan.FromSeconds(60));

            (_, TimeSpan grace) = await h.Containers.NextStopAsync(cancellationToken);
            TaskStatus failed = await h.ExpectUpdateAsync("t1", TaskState.TaskFailed, cancellationToken);
            Assert.That(grace, Is.EqualTo(TimeSpan.Zero));
            Assert.That(failed.Reason, Is.EqualTo(TaskStatus.Types.Reason.MaxCompletionTimeReached));
        }
    }
}
