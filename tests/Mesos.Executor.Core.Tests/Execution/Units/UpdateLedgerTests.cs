using System;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Google.Protobuf;
using Mesos.Executor.Core;
using Mesos.Executor.Core.Execution;
using Mesos.V1;
using Mesos.V1.Executor;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Executor.Core.Tests.Execution.Units;

[TestFixture]
public sealed class UpdateLedgerTests
{
    private readonly InMemoryAgentTransport _agent = new();
    private readonly LoopInbox _inbox = new();
    private UpdateLedger _ledger = null!;

    [SetUp]
    public void SetUp()
    {
        var settings = new ExecutorSettings { FrameworkId = new FrameworkID { Value = "f1" }, ExecutorId = new ExecutorID { Value = "e1" } };
        _ledger = new UpdateLedger(settings, _agent, _inbox, new LoopFlows(_inbox, new FakeTimeProvider()), NullLogger.Instance);
    }

    private static TrackedTask NewTask(string id) => new(new TaskInfo { TaskId = new TaskID { Value = id }, Name = id }, group: null);

    private static TaskStatus Status(TrackedTask task, TaskState state) =>
        new() { TaskId = task.Id.Clone(), State = state, Uuid = TaskStatusFactory.NewUuid() };

    private async Task<UpdateCallCompleted> NextCompletionAsync(CancellationToken cancellationToken) =>
        (UpdateCallCompleted)await _inbox.Reader.ReadAsync(cancellationToken);

    [Test]
    [CancelAfter(30_000)]
    public async Task Pump_OneCallInFlightPerTask_UpdatesGoOutInOrder(CancellationToken cancellationToken)
    {
        TrackedTask task = NewTask("t1");
        PendingUpdate starting = _ledger.Add(task, Status(task, TaskState.TaskStarting));
        PendingUpdate running = _ledger.Add(task, Status(task, TaskState.TaskRunning));

        Assert.That(_ledger.Pump(task), Is.True);
        Assert.That(_ledger.Pump(task), Is.False, "the first call is still in flight");
        UpdateCallCompleted first = await NextCompletionAsync(cancellationToken);
        _ledger.Completed(first);
        Assert.That(_ledger.Pump(task), Is.True);
        UpdateCallCompleted second = await NextCompletionAsync(cancellationToken);

        Assert.That((first.Update, second.Update, task.LastStatus), Is.EqualTo((starting, running, running.Update.Status)));
        Assert.That(_ledger.Count, Is.EqualTo(2), "sent is not acknowledged");
    }

    [Test]
    public void Acknowledge_KnownUuid_RemovesAndMarksTask()
    {
        TrackedTask task = NewTask("t1");
        PendingUpdate update = _ledger.Add(task, Status(task, TaskState.TaskRunning));

        PendingUpdate? acknowledged = _ledger.Acknowledge(new Event.Types.Acknowledged { TaskId = task.Id, Uuid = update.Uuid });

        Assert.That((acknowledged, _ledger.Count, task.UnacknowledgedCount, task.Acknowledged), Is.EqualTo((update, 0, 0, true)));
    }

    [Test]
    public void Acknowledge_UnknownUuidOrOtherTask_Ignored()
    {
        TrackedTask task = NewTask("t1");
        PendingUpdate update = _ledger.Add(task, Status(task, TaskState.TaskRunning));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_ledger.Acknowledge(new Event.Types.Acknowledged { TaskId = task.Id, Uuid = TaskStatusFactory.NewUuid() }), Is.Null);
            Assert.That(_ledger.Acknowledge(new Event.Types.Acknowledged { TaskId = new TaskID { Value = "t2" }, Uuid = update.Uuid }), Is.Null);
            Assert.That(_ledger.Count, Is.EqualTo(1));
        }
    }

    [Test]
    public void Completed_400_DropsTheUpdate_OtherErrorsKeepIt()
    {
        TrackedTask task = NewTask("t1");
        PendingUpdate rejected = _ledger.Add(task, Status(task, TaskState.TaskRunning));
        PendingUpdate deferred = _ledger.Add(task, Status(task, TaskState.TaskFinished));

        _ledger.Completed(new UpdateCallCompleted(rejected, new AgentApiException("bad", HttpStatusCode.BadRequest, isTransient: false)));
        _ledger.Completed(new UpdateCallCompleted(deferred, new AgentApiException("recovering", HttpStatusCode.ServiceUnavailable, isTransient: true)));

        Assert.That((_ledger.Count, task.UnacknowledgedCount), Is.EqualTo((1, 1)));
    }

    [Test]
    public void BuildSubscribe_CarriesUnacknowledgedUpdatesAndTasksWithoutAcknowledgement_EmptiesOutboxes()
    {
        TrackedTask acknowledged = NewTask("t1");
        TrackedTask fresh = NewTask("t2");
        PendingUpdate first = _ledger.Add(acknowledged, Status(acknowledged, TaskState.TaskStarting));
        PendingUpdate second = _ledger.Add(acknowledged, Status(acknowledged, TaskState.TaskRunning));
        PendingUpdate third = _ledger.Add(fresh, Status(fresh, TaskState.TaskStarting));
        _ledger.Acknowledge(new Event.Types.Acknowledged { TaskId = acknowledged.Id, Uuid = first.Uuid });

        Call.Types.Subscribe subscribe = _ledger.BuildSubscribe([acknowledged, fresh]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(subscribe.UnacknowledgedUpdates, Is.EqualTo(new[] { second.Update, third.Update }));
            Assert.That(subscribe.UnacknowledgedTasks, Is.EqualTo(new[] { fresh.Launched }));
            Assert.That(acknowledged.Outbox.Count + fresh.Outbox.Count, Is.Zero, "never re-sent as UPDATE calls after subscribing");
        }
    }

    [Test]
    public void UuidText_SixteenBytesAsGuidElseHex()
    {
        Assert.That(UpdateLedger.UuidText(ByteString.CopyFrom(new byte[16])), Is.EqualTo(Guid.Empty.ToString()));
        Assert.That(UpdateLedger.UuidText(ByteString.CopyFrom([0xAB])), Is.EqualTo("AB"));
    }
}
