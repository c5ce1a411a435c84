using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.V1;
using Mesos.V1.Executor;
using NUnit.Framework;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Executor.Core.Tests.Execution;

/// <summary><see cref="MesosExecutorBuilder.OnSubscribed"/>: what the agent says on subscribing can refuse every task.</summary>
[TestFixture]
public sealed class ExecutorSubscribedHandlerTests
{
    [Test]
    [CancelAfter(10_000)]
    public async Task OnSubscribed_SeesExecutorInfoBeforeTheFirstLaunch(CancellationToken cancellationToken)
    {
        var seen = new List<string>();
        await using ExecutorHarness h = ExecutorHarness.Start(o => o.OnSubscribed = s => seen.Add(s.ExecutorInfo.ExecutorId.Value));
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1")));

        await h.ExpectUpdateAsync("t1", TaskState.TaskStarting, cancellationToken);
        await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);
        Assert.That(seen, Is.EqualTo(new[] { ExecutorHarness.ExecutorId }));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task OnSubscribed_ThrowsConfigurationError_EveryLaunchFailsWithItsMessageAndNothingRuns(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start(o => o.OnSubscribed = _ => throw new ExecutorConfigurationException("MESOS_EXECUTOR_HOOKS__ENABLED came from the task"));
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1")));

        TaskStatus failed = await h.ExpectUpdateAsync("t1", TaskState.TaskFailed, cancellationToken);
        agent.Push(ExecutorHarness.LaunchGroup(ExecutorHarness.NewTask("g1"), ExecutorHarness.NewTask("g2")));
        TaskStatus g1 = await h.ExpectUpdateAsync("g1", TaskState.TaskFailed, cancellationToken);
        TaskStatus g2 = await h.ExpectUpdateAsync("g2", TaskState.TaskFailed, cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(failed.Message, Is.EqualTo("MESOS_EXECUTOR_HOOKS__ENABLED came from the task"));
            Assert.That(failed.Reason, Is.EqualTo(TaskStatus.Types.Reason.ContainerLaunchFailed));
            Assert.That(failed.Source, Is.EqualTo(TaskStatus.Types.Source.Executor));
            Assert.That(g1.Message, Is.EqualTo(failed.Message));
            Assert.That(g2.Message, Is.EqualTo(failed.Message));
            Assert.That(h.Containers.Specs, Is.Empty, "no container was created");
            Assert.That(h.Logs.GetSnapshot().Any(r => r.Id.Name == "TasksRefused"), Is.True);
        }

        ExecutorHarness.Acknowledge(agent, failed);
        ExecutorHarness.Acknowledge(agent, g1);
        ExecutorHarness.Acknowledge(agent, g2);
        Assert.That(await h.ExitCodeAsync(cancellationToken), Is.EqualTo(ExecutorExitCodes.ConfigurationError));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task OnSubscribed_ThrowsOtherException_RefusesWithAMessageNamingIt(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start(o => o.OnSubscribed = _ => throw new InvalidOperationException("boom"));
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1")));

        TaskStatus failed = await h.ExpectUpdateAsync("t1", TaskState.TaskFailed, cancellationToken);
        Assert.That(failed.Message, Does.Contain("InvalidOperationException").And.Contain("boom"));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task OnSubscribed_RefusalSurvivesResubscription(CancellationToken cancellationToken)
    {
        int calls = 0;
        await using ExecutorHarness h = ExecutorHarness.Start(o =>
        {
            o.Checkpoint = true;
            o.OnSubscribed = _ =>
            {
                // Only the first subscription refuses: a later one must not lift the refusal.
                if (Interlocked.Increment(ref calls) == 1)
                {
                    throw new ExecutorConfigurationException("refused");
                }
            };
        });
        SubscriptionAttempt first = await h.SubscribeAsync(cancellationToken);
        first.Drop();
        SubscriptionAttempt second = await h.SubscribeAsync(cancellationToken);
        second.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1")));

        TaskStatus failed = await h.ExpectUpdateAsync("t1", TaskState.TaskFailed, cancellationToken);
        Assert.That(failed.Message, Is.EqualTo("refused"));
    }
}
