using System;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Google.Protobuf;
using Mesos.Executor.Testing.Internal;
using Mesos.V1;
using Mesos.V1.Executor;
using NUnit.Framework;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Executor.Testing.Tests;

[TestFixture]
public sealed class FakeAgentLedgerTests
{
    private static TaskStatus Status(string taskId) => new()
    {
        TaskId = new TaskID { Value = taskId },
        State = TaskState.TaskRunning,
        Source = TaskStatus.Types.Source.Executor,
        Uuid = ByteString.CopyFrom(Guid.NewGuid().ToByteArray(bigEndian: true)),
    };

    private static RecordedRequest Request(HttpStatusCode code, Call? call) => new()
    {
        Timestamp = DateTimeOffset.UnixEpoch,
        Method = "POST",
        Path = "/api/v1/executor",
        Headers = [],
        Body = ReadOnlyMemory<byte>.Empty,
        Call = call,
        StatusCode = code,
    };

    private static Call UpdateCall(TaskStatus status) => new()
    {
        Type = Call.Types.Type.Update,
        Update = new Call.Types.Update { Status = status },
    };

    [Test]
    public void Record_AcceptedUpdate_IsPendingOnceByUuid()
    {
        var ledger = new FakeAgentLedger();
        TaskStatus status = Status("t1");

        bool first = ledger.Record(Request(HttpStatusCode.Accepted, UpdateCall(status)));
        bool resent = ledger.Record(Request(HttpStatusCode.Accepted, UpdateCall(status)));

        Assert.Multiple(() =>
        {
            Assert.That((first, resent), Is.EqualTo((true, false)));
            Assert.That(ledger.StatusUpdates, Has.Count.EqualTo(2));
            Assert.That(ledger.Pending, Is.EqualTo(new[] { status }));
        });
    }

    [Test]
    public void Record_RejectedUpdate_IsOnlyARequest()
    {
        var ledger = new FakeAgentLedger();

        bool fresh = ledger.Record(Request(HttpStatusCode.Forbidden, UpdateCall(Status("t1"))));

        Assert.Multiple(() =>
        {
            Assert.That(fresh, Is.False);
            Assert.That(ledger.Requests, Has.Count.EqualTo(1));
            Assert.That(ledger.StatusUpdates, Is.Empty);
            Assert.That(ledger.Pending, Is.Empty);
        });
    }

    [Test]
    public void RecordSubscribed_TakesOverValidUnacknowledgedUpdates()
    {
        var ledger = new FakeAgentLedger();
        TaskStatus valid = Status("t1");
        TaskStatus invalid = Status("t2");
        invalid.Uuid = ByteString.CopyFrom(new byte[16]);
        var subscribe = new Call { Type = Call.Types.Type.Subscribe, Subscribe = new Call.Types.Subscribe() };
        subscribe.Subscribe.UnacknowledgedUpdates.Add(new Call.Types.Update { Status = valid });
        subscribe.Subscribe.UnacknowledgedUpdates.Add(new Call.Types.Update { Status = invalid });

        var pending = ledger.RecordSubscribed(subscribe);
        ledger.Acknowledged(valid.Uuid);

        Assert.Multiple(() =>
        {
            Assert.That(pending, Is.EqualTo(new[] { valid }));
            Assert.That(ledger.EverSubscribed, Is.True);
            Assert.That(ledger.Pending, Is.Empty);
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task WaitForDisconnectAsync_CompletesWhenRecorded(CancellationToken cancellationToken)
    {
        var ledger = new FakeAgentLedger();
        Task wait = ledger.WaitForDisconnectAsync(2, cancellationToken);

        ledger.RecordDisconnect();
        bool afterOne = wait.IsCompleted;
        ledger.RecordDisconnect();
        await wait;

        Assert.That(afterOne, Is.False);
    }

    [Test]
    public void Close_FailsPendingWaits()
    {
        var ledger = new FakeAgentLedger();
        Task<TaskStatus> wait = ledger.WaitForStatusAsync("t1", TaskState.TaskRunning, CancellationToken.None);

        ledger.Close();

        Assert.That(async () => await wait, Throws.InstanceOf<ObjectDisposedException>());
    }
}
