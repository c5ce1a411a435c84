using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Google.Protobuf;
using Mesos.Executor.Core;
using Mesos.V1;
using Mesos.V1.Executor;
using NUnit.Framework;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Executor.Core.Tests.Execution;

[TestFixture]
public sealed class ExecutorConnectionTests
{
    private static async Task RunTaskAsync(ExecutorHarness h, SubscriptionAttempt agent, string taskId, CancellationToken cancellationToken)
    {
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask(taskId)));
        await h.ExpectUpdateAsync(taskId, TaskState.TaskStarting, cancellationToken);
        await h.ExpectUpdateAsync(taskId, TaskState.TaskRunning, cancellationToken);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Subscribe_First_CarriesIdsAndNothingUnacknowledged(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start();

        SubscriptionAttempt attempt = await h.Agent.NextAttemptAsync(cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(attempt.Subscribe.Type, Is.EqualTo(Call.Types.Type.Subscribe));
            Assert.That(attempt.Subscribe.ExecutorId.Value, Is.EqualTo(ExecutorHarness.ExecutorId));
            Assert.That(attempt.Subscribe.FrameworkId.Value, Is.EqualTo(ExecutorHarness.FrameworkId));
            Assert.That(attempt.Subscribe.Subscribe, Is.Not.Null);
            Assert.That(attempt.Subscribe.Subscribe.UnacknowledgedTasks, Is.Empty);
            Assert.That(attempt.Subscribe.Subscribe.UnacknowledgedUpdates, Is.Empty);
        }
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Resubscribe_CarriesUnacknowledgedUpdatesAndTasks_AndSendsNothingTwice(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start(o => o.Checkpoint = true);
        SubscriptionAttempt first = await h.SubscribeAsync(cancellationToken);
        first.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("acked")));
        TaskStatus ackedStarting = await h.ExpectUpdateAsync("acked", TaskState.TaskStarting, cancellationToken);
        TaskStatus ackedRunning = await h.ExpectUpdateAsync("acked", TaskState.TaskRunning, cancellationToken);
        ExecutorHarness.Acknowledge(first, ackedStarting);
        TaskInfo unackedTask = ExecutorHarness.NewTask("unacked");
        first.Push(ExecutorHarness.Launch(unackedTask));
        TaskStatus unackedStarting = await h.ExpectUpdateAsync("unacked", TaskState.TaskStarting, cancellationToken);
        TaskStatus unackedRunning = await h.ExpectUpdateAsync("unacked", TaskState.TaskRunning, cancellationToken);
        await h.SettleAsync(cancellationToken);

        first.Drop();
        SubscriptionAttempt second = await h.Agent.NextAttemptAsync(cancellationToken);
        second.Refuse();

        // While disconnected, the task ends: its terminal update is not sent but kept.
        h.Containers.ExitTask("acked", 0);
        await h.Time.WaitForTimerAsync(TimeSpan.FromSeconds(1), cancellationToken);
        h.Time.Advance(TimeSpan.FromSeconds(1));
        SubscriptionAttempt third = await h.Agent.NextAttemptAsync(cancellationToken);

        Call.Types.Subscribe subscribe = third.Subscribe.Subscribe;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(subscribe.UnacknowledgedTasks, Is.EqualTo(new[] { unackedTask }));
            Assert.That(subscribe.UnacknowledgedUpdates.Select(u => u.Status.Uuid), Is.EqualTo(new[]
            {
                ackedRunning.Uuid, unackedStarting.Uuid, unackedRunning.Uuid,
                subscribe.UnacknowledgedUpdates.Single(u => u.Status.State == TaskState.TaskFinished).Status.Uuid,
            }));
        }

        // An update created after SUBSCRIBE went out is sent as UPDATE once subscribed; nothing else is.
        h.Containers.ExitTask("unacked", 0);
        await h.SettleAsync(cancellationToken);
        await h.SettleAsync(cancellationToken);
        Assert.That(h.Agent.TryGetCall(out _), Is.False, "nothing is sent before SUBSCRIBED");
        third.Push(ExecutorHarness.Subscribed());
        TaskStatus finished = await h.ExpectUpdateAsync("unacked", TaskState.TaskFinished, cancellationToken);
        await h.SettleAsync(cancellationToken);
        await h.SettleAsync(cancellationToken);

        Assert.That(h.Agent.TryGetCall(out Call? extra), Is.False, $"re-sent after SUBSCRIBE: {extra}");
        Assert.That(subscribe.UnacknowledgedUpdates.Select(u => u.Status.Uuid), Does.Not.Contain(finished.Uuid));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Disconnect_WithoutCheckpoint_KillsTasksAndExitsDisconnected(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start(o => o.Checkpoint = false);
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        await RunTaskAsync(h, agent, "t1", cancellationToken);

        agent.Drop();

        (string container, TimeSpan grace) = await h.Containers.NextStopAsync(cancellationToken);
        Assert.That((container, grace), Is.EqualTo(("container-t1", TimeSpan.FromSeconds(3))));
        Assert.That(await h.ExitCodeAsync(cancellationToken), Is.EqualTo(ExecutorExitCodes.Disconnected));
        Assert.That(h.Agent.TryGetAttempt(out _), Is.False, "no reconnection without checkpointing");
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Subscribe_FirstConnectionRefused_ExitsDisconnectedEvenWhenCheckpointing(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start(o => o.Checkpoint = true);

        (await h.Agent.NextAttemptAsync(cancellationToken)).Refuse();

        Assert.That(await h.ExitCodeAsync(cancellationToken), Is.EqualTo(ExecutorExitCodes.Disconnected));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Disconnect_WithCheckpoint_ReconnectsAtOnceThenAfterRandomBackoff(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start(o =>
        {
            o.Checkpoint = true;
            o.SubscriptionBackoffMax = TimeSpan.FromSeconds(4);
            o.RecoveryTimeout = TimeSpan.FromMinutes(1);
            o.RandomValues.Enqueue(0.25);
            o.RandomValues.Enqueue(0.999);
        });
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        await RunTaskAsync(h, agent, "t1", cancellationToken);

        agent.Drop();
        SubscriptionAttempt immediate = await h.Agent.NextAttemptAsync(cancellationToken);
        immediate.Refuse();
        await h.Time.WaitForTimerAsync(TimeSpan.FromSeconds(1), cancellationToken);
        h.Time.Advance(TimeSpan.FromMilliseconds(999));
        await h.SettleAsync(cancellationToken);
        Assert.That(h.Agent.TryGetAttempt(out _), Is.False, "not before 0.25 x 4 s");
        h.Time.Advance(TimeSpan.FromMilliseconds(1));
        SubscriptionAttempt secondBackoff = await h.Agent.NextAttemptAsync(cancellationToken);
        secondBackoff.Refuse();
        TimeSpan wait = await h.Time.WaitForTimerAsync(d => d > TimeSpan.Zero && d < TimeSpan.FromSeconds(30), cancellationToken);

        Assert.That(wait, Is.EqualTo(TimeSpan.FromSeconds(4) * 0.999));
        h.Time.Advance(wait);
        SubscriptionAttempt last = await h.Agent.NextAttemptAsync(cancellationToken);
        last.Push(ExecutorHarness.Subscribed());
        h.Current = last;
        await h.WaitForLogAsync("Subscribed", 2, cancellationToken);

        // Subscribed again: the recovery timer is gone.
        h.Time.Advance(TimeSpan.FromMinutes(2));
        await h.SettleAsync(cancellationToken);
        Assert.That(h.Run.IsCompleted, Is.False);
        h.Containers.ExitTask("t1", 0);
        await h.ExpectUpdateAsync("t1", TaskState.TaskFinished, cancellationToken);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Disconnect_AgentNeverReturns_RecoveryTimeoutKillsTasksAndExits(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start(o =>
        {
            o.Checkpoint = true;
            o.RecoveryTimeout = TimeSpan.FromSeconds(10);
            o.SubscriptionBackoffMax = TimeSpan.FromSeconds(2);
        });
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        await RunTaskAsync(h, agent, "t1", cancellationToken);

        agent.Drop();
        for (int i = 0; i < 10; i++)
        {
            (await h.Agent.NextAttemptAsync(cancellationToken)).Refuse();
            await h.Time.WaitForTimerAsync(TimeSpan.FromSeconds(1), cancellationToken);
            Assert.That(h.Containers.TryGetStop(out _), Is.False, "the task survives while the agent may come back");
            h.Time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.That((await h.Containers.NextStopAsync(cancellationToken)).ContainerId, Is.EqualTo("container-t1"));
        Assert.That(await h.ExitCodeAsync(cancellationToken), Is.EqualTo(ExecutorExitCodes.RecoveryTimeout));
        Assert.That(h.Logs.GetSnapshot().Any(r => r.Id.Name == "RecoveryTimedOut"), Is.True);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Subscribe_AgentAnswers503_SubscribesAgainAfterOneSecond(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start();
        (await h.Agent.NextAttemptAsync(cancellationToken)).Answer(HttpStatusCode.ServiceUnavailable);

        await h.Time.WaitForTimerAsync(TimeSpan.FromSeconds(1), cancellationToken);
        h.Time.Advance(TimeSpan.FromSeconds(1));

        SubscriptionAttempt retry = await h.SubscribeAsync(cancellationToken);
        await RunTaskAsync(h, retry, "t1", cancellationToken);
    }

    [TestCase(HttpStatusCode.BadRequest)]
    [TestCase(HttpStatusCode.Unauthorized)]
    [CancelAfter(10_000)]
    public async Task Subscribe_AgentRejects_ExitsWithAgentError(HttpStatusCode status, CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start(o => o.Checkpoint = true);

        (await h.Agent.NextAttemptAsync(cancellationToken)).Answer(status);

        Assert.That(await h.ExitCodeAsync(cancellationToken), Is.EqualTo(ExecutorExitCodes.AgentError));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task ErrorEvent_KillsTasksAndExitsWithAgentError(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start();
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        h.AutoAcknowledge = true;
        await RunTaskAsync(h, agent, "t1", cancellationToken);

        agent.Push(new Event { Type = Event.Types.Type.Error, Error = new Event.Types.Error { Message = "something broke" } });

        await h.ExpectUpdateAsync("t1", TaskState.TaskKilled, cancellationToken);
        Assert.That(await h.ExitCodeAsync(cancellationToken), Is.EqualTo(ExecutorExitCodes.AgentError));
        Assert.That(h.Logs.GetSnapshot().Any(r => r.Id.Name == "AgentErrorEvent" && r.Message.Contains("something broke", StringComparison.Ordinal)), Is.True);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task UnknownAndHeartbeatEvents_AreIgnored(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start();
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);

        agent.Push(new Event { Type = (Event.Types.Type)42 });
        agent.Push(new Event { Type = Event.Types.Type.Unknown });
        agent.Push(new Event { Type = Event.Types.Type.Heartbeat });
        await RunTaskAsync(h, agent, "t1", cancellationToken);

        Assert.That(h.Logs.GetSnapshot().Count(r => r.Id.Name == "UnknownEventIgnored"), Is.EqualTo(2));
        Assert.That(h.Run.IsCompleted, Is.False);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task StreamBrokenByGarbage_IsADisconnection(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start(o => o.Checkpoint = true);
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);

        agent.Fail(new RecordIOFormatException("bad length prefix"));

        SubscriptionAttempt again = await h.Agent.NextAttemptAsync(cancellationToken);
        Assert.That(again.Subscribe.Type, Is.EqualTo(Call.Types.Type.Subscribe));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Heartbeat_SentEveryIntervalWhileSubscribed(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start(o => o.Options = new ExecutorOptions { HeartbeatInterval = TimeSpan.FromMinutes(7) });
        await h.SubscribeAsync(cancellationToken);

        for (int i = 0; i < 2; i++)
        {
            await h.Time.WaitForTimerAsync(TimeSpan.FromMinutes(7), cancellationToken);
            h.Time.Advance(TimeSpan.FromMinutes(7));
            Call heartbeat = await h.Agent.NextCallAsync(Call.Types.Type.Heartbeat, cancellationToken);
            Assert.That((heartbeat.ExecutorId.Value, heartbeat.FrameworkId.Value), Is.EqualTo((ExecutorHarness.ExecutorId, ExecutorHarness.FrameworkId)));
        }
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task MessageEvent_DeliveredInOrderAndHandlerFailuresAreNotFatal(CancellationToken cancellationToken)
    {
        var received = new List<string>();
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using ExecutorHarness h = ExecutorHarness.Start(o => o.OnMessage = (data, _) =>
        {
            string text = System.Text.Encoding.UTF8.GetString(data.Span);
            received.Add(text);
            if (text == "first")
            {
                throw new InvalidOperationException("handler broke");
            }

            second.TrySetResult();
            return Task.CompletedTask;
        });
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);

        agent.Push(new Event { Type = Event.Types.Type.Message, Message = new Event.Types.Message { Data = ByteString.CopyFromUtf8("first") } });
        agent.Push(new Event { Type = Event.Types.Type.Message, Message = new Event.Types.Message { Data = ByteString.CopyFromUtf8("second") } });

        await second.Task.WaitAsync(cancellationToken);
        Assert.That(received, Is.EqualTo(new[] { "first", "second" }));
        Assert.That(h.Logs.GetSnapshot().Any(r => r.Id.Name == "FrameworkMessageHandlerFailed"), Is.True);
        Assert.That(h.Run.IsCompleted, Is.False);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task SendMessageAsync_Subscribed_SendsMessageCall(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start();
        await h.SubscribeAsync(cancellationToken);
        await h.SettleAsync(cancellationToken);

        await h.Executor.SendMessageAsync("hello"u8.ToArray(), cancellationToken);

        Call message = await h.Agent.NextCallAsync(Call.Types.Type.Message, cancellationToken);
        Assert.That(message.Message.Data.ToStringUtf8(), Is.EqualTo("hello"));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task SendMessageAsync_NotSubscribed_Throws(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start();
        await h.Agent.NextAttemptAsync(cancellationToken);

        Assert.That(
            async () => await h.Executor.SendMessageAsync("hello"u8.ToArray(), cancellationToken),
            Throws.TypeOf<AgentApiException>());
    }
}
