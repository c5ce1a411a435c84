using System;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.V1;
using Mesos.V1.Executor;
using NUnit.Framework;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Executor.Core.Tests.Execution;

[TestFixture]
public sealed class ExecutorUpdateTests
{
    [Test]
    [CancelAfter(10_000)]
    public async Task Update_AgentAnswers503_StaysPendingAndTravelsInNextSubscribe(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start(o => o.Checkpoint = true);
        h.Agent.OnSend = (call, _) => call.Update?.Status.State == TaskState.TaskRunning
            ? Task.FromException(new AgentApiException("agent recovering", HttpStatusCode.ServiceUnavailable, isTransient: true))
            : Task.CompletedTask;
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1")));
        TaskStatus starting = await h.ExpectUpdateAsync("t1", TaskState.TaskStarting, cancellationToken);
        TaskStatus running = await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);
        ExecutorHarness.Acknowledge(agent, starting);
        await h.WaitForLogAsync("StatusUpdateAcknowledged", 1, cancellationToken);
        await h.WaitForLogAsync("StatusUpdateDeferred", 1, cancellationToken);

        agent.Drop();
        SubscriptionAttempt again = await h.Agent.NextAttemptAsync(cancellationToken);

        Assert.That(again.Subscribe.Subscribe.UnacknowledgedUpdates.Select(u => u.Status), Is.EqualTo(new[] { running }));
        Assert.That(h.Logs.GetSnapshot().Any(r => r.Id.Name == "StatusUpdateDeferred"), Is.True);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Update_ConnectionFails_ExecutorSubscribesAgainWithTheUpdate(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start(o => o.Checkpoint = true);
        int failures = 0;
        h.Agent.OnSend = (call, _) => call.Update?.Status.State == TaskState.TaskRunning && Interlocked.Increment(ref failures) == 1
            ? Task.FromException(new AgentApiException("Cannot reach the agent: connection reset", statusCode: null, isTransient: true))
            : Task.CompletedTask;
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1")));
        TaskStatus starting = await h.ExpectUpdateAsync("t1", TaskState.TaskStarting, cancellationToken);
        ExecutorHarness.Acknowledge(agent, starting);
        TaskStatus running = await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);

        // The event stream is still open: only the failed call makes the executor subscribe again.
        // (STARTING travels too when its acknowledgement has not been handled yet.)
        SubscriptionAttempt again = await h.Agent.NextAttemptAsync(cancellationToken);

        Assert.That(again.Subscribe.Subscribe.UnacknowledgedUpdates.Select(u => u.Status), Does.Contain(running));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Update_AgentAnswers503_DoesNotRenewTheSubscription(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start(o => o.Checkpoint = true);
        h.Agent.OnSend = (call, _) => call.Update?.Status.State == TaskState.TaskRunning
            ? Task.FromException(new AgentApiException("agent recovering", HttpStatusCode.ServiceUnavailable, isTransient: true))
            : Task.CompletedTask;
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1")));
        await h.ExpectUpdateAsync("t1", TaskState.TaskStarting, cancellationToken);
        await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);
        await h.WaitForLogAsync("StatusUpdateDeferred", 1, cancellationToken);
        await h.SettleAsync(cancellationToken);

        // The agent answered: the connection works, the update waits for the next SUBSCRIBE.
        Assert.That(h.Agent.TryGetAttempt(out SubscriptionAttempt? again), Is.False, $"subscribed again: {again?.Subscribe}");
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Update_AgentAnswers400_IsDroppedAndLogged(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start(o => o.Checkpoint = true);
        h.Agent.OnSend = (call, _) => call.Update?.Status.State == TaskState.TaskStarting
            ? Task.FromException(new AgentApiException("bad update", HttpStatusCode.BadRequest, isTransient: false))
            : Task.CompletedTask;
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1")));
        await h.ExpectUpdateAsync("t1", TaskState.TaskStarting, cancellationToken);
        TaskStatus running = await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);
        await h.WaitForLogAsync("StatusUpdateRejected", 1, cancellationToken);

        agent.Drop();
        SubscriptionAttempt again = await h.Agent.NextAttemptAsync(cancellationToken);

        Assert.That(again.Subscribe.Subscribe.UnacknowledgedUpdates.Select(u => u.Status), Is.EqualTo(new[] { running }));
        Assert.That(h.Logs.GetSnapshot().Any(r => r.Id.Name == "StatusUpdateRejected" && r.Level == Microsoft.Extensions.Logging.LogLevel.Error), Is.True);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Updates_OfOneTask_WaitForThePreviousCallToReturn(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Agent.OnSend = (call, _) => call.Update?.Status.State == TaskState.TaskStarting ? release.Task : Task.CompletedTask;
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1")));
        await h.ExpectUpdateAsync("t1", TaskState.TaskStarting, cancellationToken);
        await h.Containers.NextCreatedAsync(cancellationToken);
        h.Containers.ExitTask("t1", 0);

        // RUNNING and FINISHED exist now but wait for STARTING's call.
        for (int i = 0; i < 5; i++)
        {
            await h.SettleAsync(cancellationToken);
        }

        Assert.That(h.Agent.TryGetCall(out Call? early), Is.False, $"sent before the previous call returned: {early}");
        release.SetResult();

        await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);
        await h.ExpectUpdateAsync("t1", TaskState.TaskFinished, cancellationToken);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Acknowledged_RemovesUpdateFromPending_UnknownOrMismatchedAreIgnored(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start(o => o.Checkpoint = true);
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        TaskInfo task = ExecutorHarness.NewTask("t1");
        agent.Push(ExecutorHarness.Launch(task));
        TaskStatus starting = await h.ExpectUpdateAsync("t1", TaskState.TaskStarting, cancellationToken);
        TaskStatus running = await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);

        ExecutorHarness.Acknowledge(agent, new TaskStatus { TaskId = new TaskID { Value = "t1" }, Uuid = Google.Protobuf.ByteString.CopyFrom(new byte[16]) });
        TaskStatus wrongTask = running.Clone();
        wrongTask.TaskId = new TaskID { Value = "other" };
        ExecutorHarness.Acknowledge(agent, wrongTask);
        ExecutorHarness.Acknowledge(agent, starting);
        await h.WaitForLogAsync("UnknownAcknowledgement", 2, cancellationToken);
        await h.WaitForLogAsync("StatusUpdateAcknowledged", 1, cancellationToken);
        agent.Drop();
        SubscriptionAttempt again = await h.Agent.NextAttemptAsync(cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(again.Subscribe.Subscribe.UnacknowledgedUpdates.Select(u => u.Status.Uuid), Is.EqualTo(new[] { running.Uuid }));
            Assert.That(again.Subscribe.Subscribe.UnacknowledgedTasks, Is.Empty, "t1 has an acknowledged update");
            Assert.That(h.Logs.GetSnapshot().Count(r => r.Id.Name == "UnknownAcknowledgement"), Is.EqualTo(2));
        }
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Subscribe_TaskWithoutAcknowledgedUpdate_ListedAsLaunched(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start(o => o.Checkpoint = true);
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        TaskInfo task = ExecutorHarness.NewTask("t1", t => t.Data = Google.Protobuf.ByteString.CopyFromUtf8("payload"));
        agent.Push(ExecutorHarness.Launch(task));
        await h.ExpectUpdateAsync("t1", TaskState.TaskStarting, cancellationToken);
        await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);

        agent.Drop();
        SubscriptionAttempt again = await h.Agent.NextAttemptAsync(cancellationToken);

        Assert.That(again.Subscribe.Subscribe.UnacknowledgedTasks, Is.EqualTo(new[] { task }));
        Assert.That(again.Subscribe.Subscribe.UnacknowledgedUpdates.Select(u => u.Status.State), Is.EqualTo(new[] { TaskState.TaskStarting, TaskState.TaskRunning }));
    }
}
