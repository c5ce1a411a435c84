using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.Executor.Core.Execution;
using Mesos.V1;
using Moq;
using NUnit.Framework;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Executor.Core.Tests.Execution;

/// <summary>
/// Every failure becomes a status update (issue 12): a throw at any step, synchronous or not, of
/// any type, ends the task it concerns with TASK_FAILED naming what failed, and the executor keeps
/// serving its other tasks.
/// </summary>
[TestFixture]
public sealed class ExecutorFailureTests
{
    public enum Step
    {
        Create,
        Start,
        Inspect,
    }

    [TestCase(Step.Create, "create container failed: broken")]
    [TestCase(Step.Start, "start container failed: broken")]
    [TestCase(Step.Inspect, "inspect container failed: broken")]
    [CancelAfter(10_000)]
    public async Task Launch_ContainerizerThrowsSynchronously_SendsFailedNamingStepAndOtherTaskRuns(Step step, string message, CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start();
        var broken = new InvalidOperationException("broken");
        switch (step)
        {
            case Step.Create: h.Containers.Mock.Setup(c => c.CreateAsync(It.Is<ContainerSpec>(s => s.Task.TaskId.Value == "bad"), It.IsAny<CancellationToken>())).Throws(broken); break;
            case Step.Start: h.Containers.Mock.Setup(c => c.StartAsync("container-bad", It.IsAny<CancellationToken>())).Throws(broken); break;
            case Step.Inspect: h.Containers.Mock.Setup(c => c.InspectAsync("container-bad", It.IsAny<CancellationToken>())).Throws(broken); break;
        }

        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        await StartGoodTaskAsync(h, agent, cancellationToken);

        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("bad")));
        await h.ExpectUpdateAsync("bad", TaskState.TaskStarting, cancellationToken);
        TaskStatus failed = await h.ExpectUpdateAsync("bad", TaskState.TaskFailed, cancellationToken);

        Assert.That((failed.Message, failed.Reason), Is.EqualTo((message, TaskStatus.Types.Reason.ContainerLaunchFailed)));
        await ExpectGoodTaskStillServedAsync(h, cancellationToken);
    }

    [TestCase(null, "create container failed: the containerizer returned no container id")]
    [TestCase("", "create container failed: the containerizer returned no container id")]
    [CancelAfter(10_000)]
    public async Task Launch_CreateReturnsNoId_SendsFailed(string? id, string message, CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start();
        h.Containers.Mock.Setup(c => c.CreateAsync(It.IsAny<ContainerSpec>(), It.IsAny<CancellationToken>())).ReturnsAsync(id!);
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1")));
        await h.ExpectUpdateAsync("t1", TaskState.TaskStarting, cancellationToken);

        TaskStatus failed = await h.ExpectUpdateAsync("t1", TaskState.TaskFailed, cancellationToken);

        Assert.That(failed.Message, Is.EqualTo(message));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Launch_InspectReturnsNull_StopsContainerAndSendsFailed(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start();
        h.Containers.Mock.Setup(c => c.InspectAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync((ContainerDetails)null!);
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1")));
        await h.ExpectUpdateAsync("t1", TaskState.TaskStarting, cancellationToken);

        TaskStatus failed = await h.ExpectUpdateAsync("t1", TaskState.TaskFailed, cancellationToken);

        Assert.That(failed.Message, Is.EqualTo("inspect container failed: the containerizer returned no details"));
        h.Containers.Mock.Verify(c => c.StopAsync("container-t1", It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()), Times.Once());
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Run_WaitThrowsSynchronously_StopsContainerAndSendsFailed(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start();
        h.Containers.Mock.Setup(c => c.WaitAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).Throws(new InvalidOperationException("no wait"));
        h.AutoAcknowledge = true;
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1")));
        await h.ExpectUpdateAsync("t1", TaskState.TaskStarting, cancellationToken);
        await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);

        TaskStatus failed = await h.ExpectUpdateAsync("t1", TaskState.TaskFailed, cancellationToken);

        Assert.That(failed.Message, Is.EqualTo("wait for container failed: no wait"));
        h.Containers.Mock.Verify(c => c.StopAsync("container-t1", It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()), Times.Once());
        Assert.That(await h.ExitCodeAsync(cancellationToken), Is.EqualTo(ExecutorExitCodes.Success));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Run_WaitReportsNoExit_SendsFailed(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start();
        h.Containers.Mock.Setup(c => c.WaitAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync((ContainerExit)null!);
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1")));
        await h.ExpectUpdateAsync("t1", TaskState.TaskStarting, cancellationToken);
        await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);

        TaskStatus failed = await h.ExpectUpdateAsync("t1", TaskState.TaskFailed, cancellationToken);

        Assert.That(failed.Message, Is.EqualTo("wait for container failed: the containerizer reported no exit"));
    }

    [TestCase(true)]
    [TestCase(false)]
    [CancelAfter(10_000)]
    public async Task Kill_StopThrows_RetriedUntilStoppedThenKilled(bool synchronously, CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start();
        int calls = 0;
        h.Containers.Mock.Setup(c => c.StopAsync(It.IsAny<string>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()))
            .Returns((string id, TimeSpan _, CancellationToken _) =>
            {
                if (Interlocked.Increment(ref calls) == 1)
                {
                    var broken = new InvalidOperationException("stop broke");
                    return synchronously ? throw broken : Task.FromException(broken);
                }

                h.Containers.Exit(id, 137);
                return Task.CompletedTask;
            });
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1")));
        await h.ExpectUpdateAsync("t1", TaskState.TaskStarting, cancellationToken);
        await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);
        agent.Push(ExecutorHarness.Kill("t1"));
        await h.WaitForLogAsync("StopContainerFailed", 1, cancellationToken);

        // The retry's delay starts after the log line, and other timers of the same length may
        // exist (the kill grace): advance each time such a timer appears until the task is killed.
        Task<TaskStatus> killedUpdate = h.ExpectUpdateAsync("t1", TaskState.TaskKilled, cancellationToken);
        while (!killedUpdate.IsCompleted)
        {
            Task timer = h.Time.WaitForTimerAsync(TaskRunner.StopRetryInterval, cancellationToken);
            if (await Task.WhenAny(killedUpdate, timer) == timer)
            {
                await timer;
                h.Time.Advance(TaskRunner.StopRetryInterval);
            }
        }

        TaskStatus killed = await killedUpdate;
        Assert.That(killed.Message, Is.EqualTo("Container exited with status 137"));
    }

    public enum HookStep
    {
        PreCreate,
        PreRun,
        PostRun,
    }

    [TestCase(HookStep.PreCreate, "pre-create hook 'odd' failed: odd failure")]
    [TestCase(HookStep.PreRun, "pre-run hook 'odd' failed: odd failure")]
    [TestCase(HookStep.PostRun, "post-run hook 'odd' failed: odd failure")]
    [CancelAfter(10_000)]
    public async Task Launch_HookThrowsSynchronouslyAnyException_SendsFailedNamingHookAndPhase(HookStep step, string message, CancellationToken cancellationToken)
    {
        var hook = new Mock<IHook>();
        hook.SetupGet(x => x.Name).Returns("odd");
        var odd = new NotSupportedException("odd failure");
        switch (step)
        {
            case HookStep.PreCreate: hook.Setup(x => x.PreCreateAsync(It.IsAny<HookContext>(), It.IsAny<CancellationToken>())).Throws(odd); break;
            case HookStep.PreRun: hook.Setup(x => x.PreRunAsync(It.IsAny<HookContext>(), It.IsAny<CancellationToken>())).Throws(odd); break;
            case HookStep.PostRun: hook.Setup(x => x.PostRunAsync(It.IsAny<HookContext>(), It.IsAny<CancellationToken>())).Throws(odd); break;
        }

        await using ExecutorHarness h = ExecutorHarness.Start(o => o.Hooks.Add(hook.Object));
        h.AutoAcknowledge = true;
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1")));
        await h.ExpectUpdateAsync("t1", TaskState.TaskStarting, cancellationToken);

        TaskStatus failed = await h.ExpectUpdateAsync("t1", TaskState.TaskFailed, cancellationToken);

        Assert.That((failed.Message, failed.Reason), Is.EqualTo((message, TaskStatus.Types.Reason.ContainerLaunchFailed)));
        Assert.That(await h.ExitCodeAsync(cancellationToken), Is.EqualTo(ExecutorExitCodes.Success));
    }

    [TestCase(HookPhase.PreStop)]
    [TestCase(HookPhase.PostStop)]
    [CancelAfter(10_000)]
    public async Task Kill_StopHookThrowsSynchronously_TaskStillKilledAndExecutorExits(HookPhase phase, CancellationToken cancellationToken)
    {
        var hook = new Mock<IHook>();
        hook.SetupGet(x => x.Name).Returns("odd");
        if (phase == HookPhase.PreStop)
        {
            hook.Setup(x => x.PreStopAsync(It.IsAny<HookContext>(), It.IsAny<CancellationToken>())).Throws(new NotSupportedException("odd"));
        }
        else
        {
            hook.Setup(x => x.PostStopAsync(It.IsAny<HookContext>(), It.IsAny<CancellationToken>())).Throws(new NotSupportedException("odd"));
        }

        await using ExecutorHarness h = ExecutorHarness.Start(o => o.Hooks.Add(hook.Object));
        h.AutoAcknowledge = true;
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1")));
        await h.ExpectUpdateAsync("t1", TaskState.TaskStarting, cancellationToken);
        await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);
        agent.Push(ExecutorHarness.Kill("t1"));

        await h.ExpectUpdateAsync("t1", TaskState.TaskKilled, cancellationToken);

        Assert.That(await h.ExitCodeAsync(cancellationToken), Is.EqualTo(ExecutorExitCodes.Success));
        Assert.That(h.Logs.GetSnapshot().Count(r => r.Id.Name == "StopHookFailed"), Is.EqualTo(1));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Launch_ConfigureContainerThrows_SendsFailedNamingIt(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start(o => o.ConfigureContainer = spec =>
        {
            if (spec.Task.TaskId.Value == "bad")
            {
                throw new ArgumentException("no such image");
            }
        });
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        await StartGoodTaskAsync(h, agent, cancellationToken);
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("bad")));
        await h.ExpectUpdateAsync("bad", TaskState.TaskStarting, cancellationToken);

        TaskStatus failed = await h.ExpectUpdateAsync("bad", TaskState.TaskFailed, cancellationToken);

        Assert.That(failed.Message, Is.EqualTo("configure container failed: no such image"));
        await ExpectGoodTaskStillServedAsync(h, cancellationToken);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Launch_CheckValidationThrows_SendsFailedWithoutLaunching(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start();
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        await StartGoodTaskAsync(h, agent, cancellationToken);
        h.Checks.ValidateThrows = new InvalidOperationException("validator broke");
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("bad")));

        TaskStatus failed = await h.ExpectUpdateAsync("bad", TaskState.TaskFailed, cancellationToken);

        Assert.That(failed.Message, Is.EqualTo("The executor failed to launch the task: InvalidOperationException: validator broke"));
        h.Containers.Mock.Verify(c => c.CreateAsync(It.Is<ContainerSpec>(s => s.Task.TaskId.Value == "bad"), It.IsAny<CancellationToken>()), Times.Never());
        await ExpectGoodTaskStillServedAsync(h, cancellationToken);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task LaunchGroup_EmptyCheckStatusThrows_EveryTaskOfTheGroupFailed(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start();
        h.AutoAcknowledge = true;
        h.Checks.EmptyStatusThrows = new InvalidOperationException("no empty status");
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        agent.Push(ExecutorHarness.LaunchGroup(ExecutorHarness.NewTask("a"), ExecutorHarness.NewTask("b", t => t.Check = CommandCheck())));

        TaskStatus first = await h.NextUpdateAsync(cancellationToken);
        TaskStatus second = await h.NextUpdateAsync(cancellationToken);

        Assert.That(new[] { first.State, second.State }, Is.All.EqualTo(TaskState.TaskFailed));
        Assert.That(first.Message, Does.Contain("InvalidOperationException: no empty status"));
        Assert.That(await h.ExitCodeAsync(cancellationToken), Is.EqualTo(ExecutorExitCodes.Success));
    }

    [TestCase(true)]
    [TestCase(false)]
    [CancelAfter(10_000)]
    public async Task Running_ChecksCannotBeSetUp_StopsContainerAndSendsFailed(bool createThrows, CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start();
        h.AutoAcknowledge = true;
        if (createThrows)
        {
            h.Checks.CreateThrows = new InvalidOperationException("no checker");
        }
        else
        {
            h.Checks.StartThrows = new InvalidOperationException("no checker");
        }

        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1", t => t.Check = CommandCheck())));
        await h.ExpectUpdateAsync("t1", TaskState.TaskStarting, cancellationToken);
        await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);

        TaskStatus failed = await h.ExpectUpdateAsync("t1", TaskState.TaskFailed, cancellationToken);

        Assert.That(failed.Message, Is.EqualTo("Failed to set up the task's checks: no checker; Container exited with status 143"));
        h.Containers.Mock.Verify(c => c.StopAsync("container-t1", It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()), Times.Once());
        Assert.That(await h.ExitCodeAsync(cancellationToken), Is.EqualTo(ExecutorExitCodes.Success));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Running_BuildingRunningStatusThrows_TaskFailedAndOtherTaskKeepsRunning(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start();
        h.Containers.Mock.Setup(c => c.InspectAsync("container-bad", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new ContainerDetails { Id = "container-bad", IPAddresses = null! });
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken, ExecutorHarness.Framework(FrameworkInfo.Types.Capability.Types.Type.TaskKillingState));
        await StartGoodTaskAsync(h, agent, cancellationToken);
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("bad")));
        await h.ExpectUpdateAsync("bad", TaskState.TaskStarting, cancellationToken);

        TaskStatus failed = await h.ExpectUpdateAsync("bad", TaskState.TaskFailed, cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(failed.Message, Does.StartWith("The executor failed to report the running task: NullReferenceException: "));
            Assert.That(failed.Message, Does.EndWith("; Container exited with status 143"), "the container was stopped first");
            Assert.That(h.Logs.GetSnapshot().Count(r => r.Id.Name == "TaskHandlingFailed"), Is.EqualTo(1));
        }

        await ExpectGoodTaskStillServedAsync(h, cancellationToken);
    }

    private static CheckInfo CommandCheck() => new()
    {
        Type = CheckInfo.Types.Type.Command,
        Command = new CheckInfo.Types.Command { Command_ = new CommandInfo { Value = "true" } },
    };

    private static async Task StartGoodTaskAsync(ExecutorHarness h, SubscriptionAttempt agent, CancellationToken cancellationToken)
    {
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("good")));
        await h.ExpectUpdateAsync("good", TaskState.TaskStarting, cancellationToken);
        await h.ExpectUpdateAsync("good", TaskState.TaskRunning, cancellationToken);
    }

    private static async Task ExpectGoodTaskStillServedAsync(ExecutorHarness h, CancellationToken cancellationToken)
    {
        h.Containers.ExitTask("good", 0);
        TaskStatus finished;
        do
        {
            finished = await h.NextUpdateAsync(cancellationToken);
        }
        while (finished.TaskId.Value != "good");

        Assert.That(finished.State, Is.EqualTo(TaskState.TaskFinished));
    }
}
