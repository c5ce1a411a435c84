using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.Executor.Hooks.Tests.Support;
using Mesos.Executor.Testing;
using Moq;
using NUnit.Framework;

namespace Mesos.Executor.Hooks.Tests;

[TestFixture]
public sealed class RemoveContainerHookTests
{
    [Test]
    [CancelAfter(10_000)]
    public async Task PostStopAsync_ContainerCreated_RemovesIt(CancellationToken cancellationToken)
    {
        var containerizer = new RecordingContainerizer();

        await HookTestHarness.RunPhaseAsync(new RemoveContainerHook(), HookPhase.PostStop, TestTasks.Task(), containerizer, containerId: "abc", cancellationToken: cancellationToken);

        Assert.That(containerizer.Calls, Is.EqualTo(new[] { "RemoveAsync abc" }));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PostStopAsync_NoContainer_DoesNothing(CancellationToken cancellationToken)
    {
        var containerizer = new Mock<IContainerizer>(MockBehavior.Strict);

        await HookTestHarness.RunPhaseAsync(new RemoveContainerHook(), HookPhase.PostStop, TestTasks.Task(), containerizer.Object, cancellationToken: cancellationToken);

        containerizer.VerifyNoOtherCalls();
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PostStopAsync_RemoveFails_ThrowsHookFailedWithTheCause(CancellationToken cancellationToken)
    {
        var containerizer = new Mock<IContainerizer>(MockBehavior.Strict);
        containerizer.As<IContainerRemover>().Setup(c => c.RemoveAsync("abcdef0123456789", It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ContainerizerException("remove failed: device busy"));

        var ex = await Assert.ThrowsAsync<HookFailedException>(() => HookTestHarness.RunPhaseAsync(
            new RemoveContainerHook(), HookPhase.PostStop, TestTasks.Task(), containerizer.Object, containerId: "abcdef0123456789", cancellationToken: cancellationToken));

        Assert.That(ex!.HookName, Is.EqualTo("remove-container"));
        Assert.That(ex.Phase, Is.EqualTo(HookPhase.PostStop));
        Assert.That(ex.Message, Does.Contain("abcdef012345").And.Contain("device busy"));
        Assert.That(ex.InnerException, Is.InstanceOf<ContainerizerException>());
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PostStopAsync_ContainerizerCannotRemove_ThrowsHookFailedNamingTheMissingAbility(CancellationToken cancellationToken)
    {
        // IContainerRemover is optional: a containerizer without it gets a clear post-stop failure (logged; cleanup continues).
        var containerizer = new Mock<IContainerizer>(MockBehavior.Strict);

        var ex = await Assert.ThrowsAsync<HookFailedException>(() => HookTestHarness.RunPhaseAsync(
            new RemoveContainerHook(), HookPhase.PostStop, TestTasks.Task(), containerizer.Object, containerId: "abcdef0123456789", cancellationToken: cancellationToken));

        Assert.That(ex!.HookName, Is.EqualTo("remove-container"));
        Assert.That(ex.Phase, Is.EqualTo(HookPhase.PostStop));
        Assert.That(ex.Message, Does.Contain("abcdef012345").And.Contain(nameof(IContainerRemover)));
        containerizer.VerifyNoOtherCalls();
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task OtherPhases_DoNothing(CancellationToken cancellationToken)
    {
        var containerizer = new RecordingContainerizer();
        var hook = new RemoveContainerHook();
        var context = HookTestHarness.CreateContext(TestTasks.Task(), containerizer, containerId: "abc");

        foreach (HookPhase phase in new[] { HookPhase.PreCreate, HookPhase.PreRun, HookPhase.PostRun, HookPhase.PreStop })
        {
            await HookTestHarness.RunPhaseAsync(hook, phase, context, cancellationToken);
        }

        Assert.That(containerizer.Calls, Is.Empty);
        Assert.That(hook.Priority, Is.EqualTo(-1000));
    }
}
