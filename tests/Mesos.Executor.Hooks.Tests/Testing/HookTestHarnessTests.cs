using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.Executor.Hooks.Tests.Support;
using Mesos.Executor.Testing;
using Mesos.V1;
using Microsoft.Extensions.Logging.Testing;
using Moq;
using NUnit.Framework;

namespace Mesos.Executor.Hooks.Tests.Testing;

[TestFixture]
public sealed class HookTestHarnessTests
{
    private static Mock<IHook> Hook(string name, int priority, List<string> order, Exception? failure = null)
    {
        var hook = new Mock<IHook>(MockBehavior.Strict);
        hook.SetupGet(h => h.Name).Returns(name);
        hook.SetupGet(h => h.Priority).Returns(priority);
        foreach (var setup in new Func<Mock<IHook>, Moq.Language.Flow.ISetup<IHook, Task>>[]
        {
            m => m.Setup(h => h.PreCreateAsync(It.IsAny<HookContext>(), It.IsAny<CancellationToken>())),
            m => m.Setup(h => h.PostRunAsync(It.IsAny<HookContext>(), It.IsAny<CancellationToken>())),
            m => m.Setup(h => h.PreStopAsync(It.IsAny<HookContext>(), It.IsAny<CancellationToken>())),
            m => m.Setup(h => h.ReadyAsync(It.IsAny<HookContext>(), It.IsAny<CancellationToken>())),
            m => m.Setup(h => h.HealthChangedAsync(It.IsAny<HookContext>(), It.IsAny<CancellationToken>())),
            m => m.Setup(h => h.DrainingAsync(It.IsAny<HookContext>(), It.IsAny<CancellationToken>())),
        })
        {
            setup(hook).Returns(() =>
            {
                order.Add(name);
                return failure is null ? Task.CompletedTask : Task.FromException(failure);
            });
        }

        return hook;
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task RunHooksAsync_Priorities_HighestFirstAndStableForEqual(CancellationToken cancellationToken)
    {
        var order = new List<string>();
        IHook[] hooks = [Hook("low", -5, order).Object, Hook("a", 10, order).Object, Hook("high", 100, order).Object, Hook("b", 10, order).Object];

        var failures = await HookTestHarness.RunHooksAsync(hooks, HookPhase.PreCreate, HookTestHarness.CreateContext(TestTasks.Task()), cancellationToken);

        Assert.That(failures, Is.Empty);
        Assert.That(order, Is.EqualTo(new[] { "high", "a", "b", "low" }));
    }

    [TestCase(HookPhase.PreCreate)]
    [TestCase(HookPhase.PostRun)]
    [CancelAfter(10_000)]
    public async Task RunHooksAsync_LaunchPhaseFailure_StopsAtTheFailingHook(HookPhase phase, CancellationToken cancellationToken)
    {
        var order = new List<string>();
        IHook[] hooks =
        [
            Hook("first", 3, order).Object,
            Hook("broken", 2, order, new HookFailedException("broken", phase, "no")).Object,
            Hook("never", 1, order).Object,
        ];

        var failures = await HookTestHarness.RunHooksAsync(hooks, phase, HookTestHarness.CreateContext(TestTasks.Task()), cancellationToken);

        Assert.That(order, Is.EqualTo(new[] { "first", "broken" }));
        Assert.That(failures, Has.Count.EqualTo(1));
        Assert.That(failures[0].HookName, Is.EqualTo("broken"));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task RunHooksAsync_StopPhaseFailures_RunsEveryHookAndReportsEachFailure(CancellationToken cancellationToken)
    {
        var order = new List<string>();
        IHook[] hooks =
        [
            Hook("one", 3, order, new InvalidOperationException("boom")).Object,
            Hook("two", 2, order).Object,
            Hook("three", 1, order, new HookFailedException("three", HookPhase.PreStop, "bad")).Object,
        ];

        var failures = await HookTestHarness.RunHooksAsync(hooks, HookPhase.PreStop, HookTestHarness.CreateContext(TestTasks.Task()), cancellationToken);

        Assert.That(order, Is.EqualTo(new[] { "one", "two", "three" }));
        Assert.That(failures, Has.Count.EqualTo(2));
        Assert.That(failures[0].HookName, Is.EqualTo("one"));
        Assert.That(failures[0].Phase, Is.EqualTo(HookPhase.PreStop));
        Assert.That(failures[0].InnerException, Is.InstanceOf<InvalidOperationException>());
        Assert.That(failures[1].HookName, Is.EqualTo("three"));
    }

    [TestCase(HookPhase.Ready)]
    [TestCase(HookPhase.HealthChanged)]
    [TestCase(HookPhase.Draining)]
    [CancelAfter(10_000)]
    public async Task RunHooksAsync_MomentPhaseFailures_RunsEveryHookAndReportsEachFailure(HookPhase phase, CancellationToken cancellationToken)
    {
        var order = new List<string>();
        IHook[] hooks =
        [
            Hook("one", 3, order, new InvalidOperationException("boom")).Object,
            Hook("two", 2, order).Object,
        ];
        HookContext created = HookTestHarness.CreateContext(TestTasks.Task());
        var context = new HookContext(created.Spec, created.Containerizer, created.Logger) { Healthy = true };

        var failures = await HookTestHarness.RunHooksAsync(hooks, phase, context, cancellationToken);

        Assert.That(order, Is.EqualTo(new[] { "one", "two" }));
        Assert.That(failures, Has.Count.EqualTo(1));
        Assert.That(failures[0].Phase, Is.EqualTo(phase));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task RunHooksAsync_RealHooks_PolicyRunsBeforeRewrite(CancellationToken cancellationToken)
    {
        // deny-privileged (1000) refuses before force-bridge (500) would touch the spec.
        TaskInfo task = TestTasks.DockerTask(configure: d => d.Privileged = true);
        var context = HookTestHarness.CreateContext(task);
        IHook[] hooks = [new ForceBridgeHook(), new DenyPrivilegedHook()];

        var failures = await HookTestHarness.RunHooksAsync(hooks, HookPhase.PreCreate, context, cancellationToken);

        Assert.That(failures, Has.Count.EqualTo(1));
        Assert.That(failures[0].HookName, Is.EqualTo("deny-privileged"));
        Assert.That(context.Spec.Task.Container.Docker.HasNetwork, Is.False, "force-bridge never ran");
    }

    [Test]
    [CancelAfter(10_000)]
    public void RunHooksAsync_Cancelled_Throws(CancellationToken cancellationToken)
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var hook = new Mock<IHook>();
        hook.SetupGet(h => h.Name).Returns("slow");
        hook.Setup(h => h.PreStopAsync(It.IsAny<HookContext>(), It.IsAny<CancellationToken>()))
            .Returns((HookContext _, CancellationToken token) => Task.FromCanceled(token));

        Assert.That(
            () => HookTestHarness.RunHooksAsync([hook.Object], HookPhase.PreStop, HookTestHarness.CreateContext(TestTasks.Task()), cts.Token),
            Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public void CreateContext_Defaults_AreFilledAndTheTaskIsCopied()
    {
        TaskInfo task = TestTasks.Task();
        var details = new ContainerDetails { Id = "c-9", Pid = 12 };

        HookContext context = HookTestHarness.CreateContext(task, container: details, sandboxDirectory: "/sandbox");

        Assert.That(context.Task, Is.EqualTo(task).And.Not.SameAs(task));
        Assert.That(context.Framework.Name, Is.EqualTo(HookTestHarness.DefaultFrameworkName));
        Assert.That(context.Framework.Id.Value, Is.EqualTo(HookTestHarness.DefaultFrameworkId));
        Assert.That(context.Executor.ExecutorId.Value, Is.EqualTo(HookTestHarness.DefaultExecutorId));
        Assert.That(context.Containerizer, Is.InstanceOf<RecordingContainerizer>());
        Assert.That(context.ContainerId, Is.EqualTo("c-9"));
        Assert.That(context.Container, Is.SameAs(details));
        Assert.That(context.Spec.SandboxDirectory, Is.EqualTo("/sandbox"));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task RunPhaseAsync_GivenLogger_HookLogsThroughIt(CancellationToken cancellationToken)
    {
        var logger = new FakeLogger();

        await HookTestHarness.RunPhaseAsync(new NetworkHook(), HookPhase.PreCreate, TestTasks.DockerTask(), logger: logger, cancellationToken: cancellationToken);

        Assert.That(logger.LatestRecord.Id.Id, Is.EqualTo(3040));
        Assert.That(logger.LatestRecord.Message, Does.Contain(HookTestHarness.DefaultFrameworkName));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task RecordingContainerizer_RecordsCallsAndEndsWaitsOnStop(CancellationToken cancellationToken)
    {
        var containerizer = new RecordingContainerizer { Details = new ContainerDetails { Id = "x", Pid = 7 } };
        var spec = HookTestHarness.CreateContext(TestTasks.Task()).Spec;

        string id = await containerizer.CreateAsync(spec, cancellationToken);
        await containerizer.StartAsync(id, cancellationToken);
        Task<ContainerExit> wait = containerizer.WaitAsync(id, cancellationToken);
        Assert.That(wait.IsCompleted, Is.False);
        await containerizer.StopAsync(id, TimeSpan.FromSeconds(1), cancellationToken);
        ContainerExit exit = await wait;
        ContainerDetails details = await containerizer.InspectAsync(id, cancellationToken);

        Assert.That(id, Is.EqualTo("c-1"));
        Assert.That(exit.ExitCode, Is.EqualTo(143));
        Assert.That(details.Pid, Is.EqualTo(7));
        Assert.That(containerizer.CreatedSpecs, Has.Count.EqualTo(1));
        Assert.That(containerizer.Calls, Is.EqualTo(new[] { "CreateAsync c-1", "StartAsync c-1", "WaitAsync c-1", "StopAsync c-1", "InspectAsync c-1" }));
    }

    [Test]
    [CancelAfter(10_000)]
    public void RecordingContainerizer_FailWith_ThrowsFromThatMethod(CancellationToken cancellationToken)
    {
        var containerizer = new RecordingContainerizer { FailWith = m => m == "RemoveAsync" ? new ContainerizerException("gone wrong") : null };

        Assert.That(() => containerizer.RemoveAsync("c-1", cancellationToken), Throws.TypeOf<ContainerizerException>());
        Assert.That(() => containerizer.StartAsync("c-1", cancellationToken), Throws.Nothing);
        Assert.That(containerizer.Calls, Is.EqualTo(new[] { "StartAsync c-1" }));
    }
}
