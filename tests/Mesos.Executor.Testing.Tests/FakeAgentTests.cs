using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Google.Protobuf;
using Mesos.Executor.Core;
using Mesos.V1;
using Mesos.V1.Executor;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Executor.Testing.Tests;

[TestFixture]
public sealed class FakeAgentTests
{
    private const int Timeout = 20_000;

    [Test]
    [CancelAfter(Timeout)]
    public async Task Subscribe_ValidCall_StreamsChunkedSubscribedFirst(CancellationToken cancellationToken)
    {
        await using FakeAgent agent = await FakeAgent.StartAsync(new FakeAgentOptions
        {
            FrameworkCapabilities = [FrameworkInfo.Types.Capability.Types.Type.TaskKillingState],
            ContainerId = "container-42",
        }, cancellationToken);
        using var client = new RawExecutorClient(agent);

        await using RawExecutorClient.EventStream stream = await client.SubscribeAsync(client.SubscribeCall(), cancellationToken);
        Event? subscribed = await stream.ReadAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(stream.Response.Headers.TransferEncodingChunked, Is.True);
            Assert.That(stream.Response.Content.Headers.ContentType?.ToString(), Is.EqualTo("application/x-protobuf"));
            Assert.That(subscribed?.Type, Is.EqualTo(Event.Types.Type.Subscribed));
            Assert.That(subscribed?.Subscribed.FrameworkInfo.Id.Value, Is.EqualTo(agent.Options.FrameworkId));
            Assert.That(subscribed?.Subscribed.FrameworkInfo.Capabilities.Select(c => c.Type), Is.EqualTo(new[] { FrameworkInfo.Types.Capability.Types.Type.TaskKillingState }));
            Assert.That(subscribed?.Subscribed.ExecutorInfo.ExecutorId.Value, Is.EqualTo(agent.Options.ExecutorId));
            Assert.That(subscribed?.Subscribed.AgentInfo.Id.Value, Is.EqualTo(agent.Options.AgentId));
            Assert.That(subscribed?.Subscribed.ContainerId.Value, Is.EqualTo("container-42"));
            Assert.That(agent.IsSubscribed, Is.True);
        });
    }

    [TestCase(null, "application/json")]
    [TestCase("*/*", "application/json")]
    [TestCase("application/*", "application/json")]
    [TestCase("application/x-protobuf", "application/x-protobuf")]
    [TestCase("application/json;q=0, application/x-protobuf", "application/x-protobuf")]
    [CancelAfter(Timeout)]
    public async Task Subscribe_Accept_ChoosesStreamTypeLikeTheAgent(string? accept, string expected, CancellationToken cancellationToken)
    {
        await using FakeAgent agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);
        using var client = new RawExecutorClient(agent);

        await using RawExecutorClient.EventStream stream = await client.SubscribeAsync(client.SubscribeCall(), cancellationToken, accept);
        Event? subscribed = await stream.ReadAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(stream.Response.Content.Headers.ContentType?.MediaType, Is.EqualTo(expected));
            Assert.That(subscribed?.Type, Is.EqualTo(Event.Types.Type.Subscribed));
        });
    }

    [Test]
    [CancelAfter(Timeout)]
    public async Task Subscribe_AcceptNeitherType_Returns406(CancellationToken cancellationToken)
    {
        await using FakeAgent agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);
        using var client = new RawExecutorClient(agent);

        (HttpStatusCode status, string text, _) = await client.PostAsync(client.SubscribeCall(), cancellationToken, accept: "text/html");

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.NotAcceptable));
            Assert.That(text, Does.Contain("Accept"));
        });
    }

    [Test]
    [CancelAfter(Timeout)]
    public async Task Update_BeforeSubscribe_Returns403NotSubscribed(CancellationToken cancellationToken)
    {
        await using FakeAgent agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);
        using var client = new RawExecutorClient(agent);

        (HttpStatusCode status, string text, _) = await client.PostAsync(client.UpdateCall(client.Status("t1", TaskState.TaskRunning)), cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(text, Is.EqualTo("Executor is not subscribed"));
            Assert.That(agent.StatusUpdates, Is.Empty);
        });
    }

    [Test]
    [CancelAfter(Timeout)]
    public async Task Heartbeat_BeforeSubscribe_Returns202(CancellationToken cancellationToken)
    {
        await using FakeAgent agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);
        using var client = new RawExecutorClient(agent);

        (HttpStatusCode status, _, _) = await client.PostAsync(client.NewCall(Call.Types.Type.Heartbeat), cancellationToken);

        Assert.That(status, Is.EqualTo(HttpStatusCode.Accepted));
    }

    private static IEnumerable<TestCaseData> InvalidUpdates()
    {
        yield return new TestCaseData((Action<TaskStatus>)(s => s.Uuid = ByteString.CopyFrom(new byte[15])), "Not a valid UUID").SetName("Update_UuidOf15Bytes_Returns400");
        yield return new TestCaseData((Action<TaskStatus>)(s => s.Uuid = ByteString.CopyFrom(new byte[16])), "Not a valid UUID").SetName("Update_UuidWithoutVersion_Returns400");
        yield return new TestCaseData((Action<TaskStatus>)(s => s.ClearUuid()), "Expecting 'uuid' to be present").SetName("Update_NoUuid_Returns400");
        yield return new TestCaseData((Action<TaskStatus>)(s => s.State = TaskState.TaskStaging), "TASK_STAGING").SetName("Update_TaskStaging_Returns400");
        yield return new TestCaseData((Action<TaskStatus>)(s => s.Source = TaskStatus.Types.Source.Agent), "SOURCE_EXECUTOR").SetName("Update_SourceAgent_Returns400");
        yield return new TestCaseData((Action<TaskStatus>)(s => s.ExecutorId = new ExecutorID { Value = "other" }), "does not match ExecutorID in TaskStatus").SetName("Update_StatusExecutorIdDiffers_Returns400");
        yield return new TestCaseData((Action<TaskStatus>)(s => s.TaskId = null), "Not initialized").SetName("Update_NoTaskId_Returns400");
        yield return new TestCaseData((Action<TaskStatus>)(s => s.CheckStatus = new CheckStatusInfo { Type = CheckInfo.Types.Type.Http }), "Expecting 'http'").SetName("Update_HttpCheckStatusWithoutHttp_Returns400");
    }

    [TestCaseSource(nameof(InvalidUpdates))]
    [CancelAfter(Timeout)]
    public async Task Update_Invalid_Returns400WithReason(Action<TaskStatus> spoil, string reason, CancellationToken cancellationToken)
    {
        await using FakeAgent agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);
        using var client = new RawExecutorClient(agent);
        await using RawExecutorClient.EventStream stream = await client.SubscribeAsync(client.SubscribeCall(), cancellationToken);
        TaskStatus status = client.Status("t1", TaskState.TaskRunning);
        spoil(status);

        (HttpStatusCode code, string text, _) = await client.PostAsync(client.UpdateCall(status), cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(text, Does.StartWith("Failed to validate Executor::Call: ").And.Contain(reason));
            Assert.That(agent.StatusUpdates, Is.Empty);
        });
    }

    [TestCase("framework")]
    [TestCase("executor")]
    [CancelAfter(Timeout)]
    public async Task Update_WrongIdInCall_Returns400CannotBeFound(string which, CancellationToken cancellationToken)
    {
        await using FakeAgent agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);
        using var client = new RawExecutorClient(agent);
        await using RawExecutorClient.EventStream stream = await client.SubscribeAsync(client.SubscribeCall(), cancellationToken);
        TaskStatus status = client.Status("t1", TaskState.TaskRunning);
        status.ExecutorId = null;
        Call call = client.UpdateCall(status);
        if (which == "framework")
        {
            call.FrameworkId.Value = "someone-else";
        }
        else
        {
            call.ExecutorId.Value = "someone-else";
        }

        (HttpStatusCode code, string text, _) = await client.PostAsync(call, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(text, Is.EqualTo(which == "framework" ? "Framework cannot be found" : "Executor cannot be found"));
        });
    }

    [TestCase("application/json; charset=utf-8")]
    [TestCase("application/x-protobuf; charset=utf-8")]
    [TestCase("text/plain")]
    [TestCase("APPLICATION/X-PROTOBUF")]
    [CancelAfter(Timeout)]
    public async Task Call_ContentTypeNotExact_Returns415(string contentType, CancellationToken cancellationToken)
    {
        await using FakeAgent agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);
        using var client = new RawExecutorClient(agent);

        (HttpStatusCode status, string text, _) = await client.PostAsync(client.SubscribeCall(), cancellationToken, contentTypeHeader: contentType);

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
            Assert.That(text, Does.Contain("Expecting 'Content-Type'"));
            Assert.That(agent.Requests.Single().GetHeader("Content-Type"), Is.EqualTo(contentType));
        });
    }

    [Test]
    [CancelAfter(Timeout)]
    public async Task Call_JsonBody_IsAccepted(CancellationToken cancellationToken)
    {
        await using FakeAgent agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);
        using var client = new RawExecutorClient(agent);
        await using RawExecutorClient.EventStream stream = await client.SubscribeAsync(client.SubscribeCall(), cancellationToken);

        (HttpStatusCode status, _, _) = await client.PostAsync(client.UpdateCall(client.Status("t1", TaskState.TaskRunning)), cancellationToken, Core.AgentContentType.Json);

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.Accepted));
            Assert.That(agent.Requests[^1].ContentType, Is.EqualTo(Core.AgentContentType.Json));
        });
    }

    [Test]
    [CancelAfter(Timeout)]
    public async Task Call_GarbageBody_Returns400(CancellationToken cancellationToken)
    {
        await using FakeAgent agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);
        using var client = new RawExecutorClient(agent);
        using var http = new HttpClient();
        using var content = new ByteArrayContent([0xff, 0xff, 0xff]);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/x-protobuf");

        using HttpResponseMessage response = await http.PostAsync(agent.ExecutorApiUri, content, cancellationToken);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    [CancelAfter(Timeout)]
    public async Task Call_BodyOverTheLimit_Returns413AndIsNotRecorded(CancellationToken cancellationToken)
    {
        await using FakeAgent agent = await FakeAgent.StartAsync(new FakeAgentOptions { MaxRequestBodyBytes = 64 }, cancellationToken);
        using var http = new HttpClient();
        using var content = new ByteArrayContent(new byte[65]);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/x-protobuf");

        using HttpResponseMessage response = await http.PostAsync(agent.ExecutorApiUri, content, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
            Assert.That(agent.Requests, Is.Empty);
        });
    }

    [Test]
    [CancelAfter(Timeout)]
    public async Task Call_NotPost_Returns405AndWrongPathReturns404(CancellationToken cancellationToken)
    {
        await using FakeAgent agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);
        using var client = new RawExecutorClient(agent);

        (HttpStatusCode put, _, HttpResponseMessage response) = await client.PostAsync(client.SubscribeCall(), cancellationToken, method: HttpMethod.Put);
        (HttpStatusCode wrongPath, _, _) = await client.PostAsync(client.SubscribeCall(), cancellationToken, uri: new Uri(agent.ExecutorApiUri, "/api/v1/scheduler"));

        Assert.Multiple(() =>
        {
            Assert.That(put, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
            Assert.That(response.Content.Headers.Allow, Is.EquivalentTo(new[] { "POST" }));
            Assert.That(wrongPath, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [TestCase(null, HttpStatusCode.Unauthorized)]
    [TestCase("Bearer wrong", HttpStatusCode.Unauthorized)]
    [TestCase("Bearer tok-1", HttpStatusCode.Accepted)]
    [CancelAfter(Timeout)]
    public async Task Call_WithRequiredToken_ChecksBearerHeader(string? authorization, HttpStatusCode expected, CancellationToken cancellationToken)
    {
        await using FakeAgent agent = await FakeAgent.StartAsync(new FakeAgentOptions { AuthenticationToken = "tok-1" }, cancellationToken);
        using var client = new RawExecutorClient(agent);

        (HttpStatusCode status, _, _) = await client.PostAsync(client.NewCall(Call.Types.Type.Heartbeat), cancellationToken, authorization: authorization);

        Assert.That(status, Is.EqualTo(expected));
    }

    [Test]
    [CancelAfter(Timeout)]
    public async Task Call_WhileRecovering_Returns503UntilRecovered(CancellationToken cancellationToken)
    {
        await using FakeAgent agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);
        using var client = new RawExecutorClient(agent);
        agent.IsRecovering = true;

        (HttpStatusCode during, string text, _) = await client.PostAsync(client.SubscribeCall(), cancellationToken);
        agent.IsRecovering = false;
        await using RawExecutorClient.EventStream stream = await client.SubscribeAsync(client.SubscribeCall(), cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(during, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(text, Is.EqualTo("Agent has not finished recovery"));
            Assert.That(agent.SubscribeCalls, Has.Count.EqualTo(1));
        });
    }

    [Test]
    [CancelAfter(Timeout)]
    public async Task Update_Valid_Returns202RecordsAndAcknowledgesOnStream(CancellationToken cancellationToken)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
        await using FakeAgent agent = await FakeAgent.StartAsync(new FakeAgentOptions { TimeProvider = time }, cancellationToken);
        using var client = new RawExecutorClient(agent);
        await using RawExecutorClient.EventStream stream = await client.SubscribeAsync(client.SubscribeCall(), cancellationToken);
        await stream.ReadAsync(cancellationToken);
        TaskStatus status = client.Status("t1", TaskState.TaskRunning);

        (HttpStatusCode code, _, _) = await client.PostAsync(client.UpdateCall(status), cancellationToken);
        Event? acknowledged = await stream.ReadAsync(cancellationToken);
        TaskStatus recorded = await agent.WaitForStatusAsync("t1", TaskState.TaskRunning, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(HttpStatusCode.Accepted));
            Assert.That(recorded, Is.EqualTo(status));
            Assert.That(acknowledged?.Type, Is.EqualTo(Event.Types.Type.Acknowledged));
            Assert.That(acknowledged?.Acknowledged.TaskId.Value, Is.EqualTo("t1"));
            Assert.That(acknowledged?.Acknowledged.Uuid, Is.EqualTo(status.Uuid));
            Assert.That(agent.PendingAcknowledgements, Is.Empty);
            Assert.That(agent.Requests[^1].Timestamp, Is.EqualTo(time.GetUtcNow()));
        });
    }

    [Test]
    [CancelAfter(Timeout)]
    public async Task Update_AutoAcknowledgeOff_StaysPendingUntilAcknowledgeAsync(CancellationToken cancellationToken)
    {
        await using FakeAgent agent = await FakeAgent.StartAsync(new FakeAgentOptions { AutoAcknowledge = false }, cancellationToken);
        using var client = new RawExecutorClient(agent);
        await using RawExecutorClient.EventStream stream = await client.SubscribeAsync(client.SubscribeCall(), cancellationToken);
        await stream.ReadAsync(cancellationToken);
        TaskStatus status = client.Status("t1", TaskState.TaskFinished);
        await client.PostAsync(client.UpdateCall(status), cancellationToken);
        await agent.SendHeartbeatAsync(cancellationToken);

        Event? afterUpdate = await stream.ReadAsync(cancellationToken);
        IReadOnlyList<TaskStatus> pending = agent.PendingAcknowledgements;
        await agent.AcknowledgeAsync(pending[0], cancellationToken);
        Event? acknowledged = await stream.ReadAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(afterUpdate?.Type, Is.EqualTo(Event.Types.Type.Heartbeat), "no acknowledgement before the heartbeat");
            Assert.That(pending, Is.EqualTo(new[] { status }));
            Assert.That(acknowledged?.Acknowledged.Uuid, Is.EqualTo(status.Uuid));
            Assert.That(agent.PendingAcknowledgements, Is.Empty);
        });
    }

    [Test]
    [CancelAfter(Timeout)]
    public async Task Update_AcknowledgementDelay_AcknowledgesWhenTimeAdvances(CancellationToken cancellationToken)
    {
        var time = new FakeTimeProvider();
        await using FakeAgent agent = await FakeAgent.StartAsync(new FakeAgentOptions { TimeProvider = time, AcknowledgementDelay = TimeSpan.FromSeconds(30) }, cancellationToken);
        using var client = new RawExecutorClient(agent);
        await using RawExecutorClient.EventStream stream = await client.SubscribeAsync(client.SubscribeCall(), cancellationToken);
        await stream.ReadAsync(cancellationToken);
        TaskStatus status = client.Status("t1", TaskState.TaskRunning);
        await client.PostAsync(client.UpdateCall(status), cancellationToken);
        Assert.That(agent.PendingAcknowledgements, Has.Count.EqualTo(1));

        time.Advance(TimeSpan.FromSeconds(30));
        Event? acknowledged = await stream.ReadAsync(cancellationToken);

        Assert.That(acknowledged?.Acknowledged.Uuid, Is.EqualTo(status.Uuid));
    }

    [Test]
    [CancelAfter(Timeout)]
    public async Task Subscribe_WithUnacknowledgedUpdates_AcknowledgesThemAfterSubscribed(CancellationToken cancellationToken)
    {
        await using FakeAgent agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);
        using var client = new RawExecutorClient(agent);
        TaskStatus status = client.Status("t1", TaskState.TaskRunning);

        await using RawExecutorClient.EventStream stream = await client.SubscribeAsync(
            client.SubscribeCall(new Call.Types.Update { Status = status }), cancellationToken);
        List<Event> events = await stream.ReadAsync(2, cancellationToken);
        Call subscribe = await agent.WaitForSubscribeAsync(1, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(events.Select(e => e.Type), Is.EqualTo(new[] { Event.Types.Type.Subscribed, Event.Types.Type.Acknowledged }));
            Assert.That(events[1].Acknowledged.Uuid, Is.EqualTo(status.Uuid));
            Assert.That(subscribe.Subscribe.UnacknowledgedUpdates.Single().Status, Is.EqualTo(status));
        });
    }

    [Test]
    [CancelAfter(Timeout)]
    public async Task ScriptedEvents_ArriveInOrder(CancellationToken cancellationToken)
    {
        await using FakeAgent agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);
        using var client = new RawExecutorClient(agent);
        await using RawExecutorClient.EventStream stream = await client.SubscribeAsync(client.SubscribeCall(), cancellationToken, accept: "application/json");
        var task = new TaskInfo { Name = "t", TaskId = new TaskID { Value = "t1" }, AgentId = new AgentID { Value = "a" } };

        await agent.SendLaunchAsync(task, cancellationToken);
        await agent.SendLaunchGroupAsync(new TaskGroupInfo { Tasks = { task } }, cancellationToken);
        await agent.SendKillAsync(new TaskID { Value = "t1" }, new KillPolicy { GracePeriod = new DurationInfo { Nanoseconds = 5 } }, cancellationToken);
        await agent.SendMessageAsync(new byte[] { 1, 2, 3 }, cancellationToken);
        await agent.SendErrorAsync("oops", cancellationToken);
        await agent.SendShutdownAsync(cancellationToken);
        List<Event> events = await stream.ReadAsync(7, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(events.Select(e => e.Type), Is.EqualTo(new[]
            {
                Event.Types.Type.Subscribed, Event.Types.Type.Launch, Event.Types.Type.LaunchGroup, Event.Types.Type.Kill,
                Event.Types.Type.Message, Event.Types.Type.Error, Event.Types.Type.Shutdown,
            }));
            Assert.That(events[1].Launch.Task, Is.EqualTo(task));
            Assert.That(events[3].Kill.KillPolicy.GracePeriod.Nanoseconds, Is.EqualTo(5));
            Assert.That(events[4].Message.Data.ToByteArray(), Is.EqualTo(new byte[] { 1, 2, 3 }));
            Assert.That(events[5].Error.Message, Is.EqualTo("oops"));
        });
    }

    [Test]
    [CancelAfter(Timeout)]
    public async Task SendRawAsync_WritesBytesVerbatim(CancellationToken cancellationToken)
    {
        await using FakeAgent agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);
        using var client = new RawExecutorClient(agent);
        using HttpResponseMessage response = await client.OpenSubscribeAsync(client.SubscribeCall(), cancellationToken);
        await agent.WaitForSubscribeAsync(1, cancellationToken);
        using Stream body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await agent.SendRawAsync("xyz\n"u8.ToArray(), cancellationToken);
        await agent.DropSubscriptionAsync(graceful: true, cancellationToken);

        using var copy = new MemoryStream();
        await body.CopyToAsync(copy, cancellationToken);

        Assert.That(copy.ToArray().AsSpan().EndsWith("xyz\n"u8), Is.True);
    }

    [Test]
    [CancelAfter(Timeout)]
    public async Task SendEventAsync_NotSubscribed_Throws(CancellationToken cancellationToken)
    {
        await using FakeAgent agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await agent.SendShutdownAsync(cancellationToken));
    }

    [Test]
    [CancelAfter(Timeout)]
    public async Task DropSubscriptionAsync_Abrupt_ClientSeesBrokenStream(CancellationToken cancellationToken)
    {
        await using FakeAgent agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);
        using var client = new RawExecutorClient(agent);
        await using RawExecutorClient.EventStream stream = await client.SubscribeAsync(client.SubscribeCall(), cancellationToken);
        await stream.ReadAsync(cancellationToken);

        await agent.DropSubscriptionAsync(cancellationToken: cancellationToken);

        await Assert.ThrowsAsync(Is.InstanceOf<IOException>().Or.InstanceOf<HttpRequestException>(), async () => await stream.ReadAsync(cancellationToken));
        Assert.Multiple(() =>
        {
            Assert.That(agent.IsSubscribed, Is.False);
            Assert.That(agent.DisconnectCount, Is.EqualTo(1));
        });
    }

    [Test]
    [CancelAfter(Timeout)]
    public async Task WaitForDisconnectAsync_ExecutorClosesStream_Completes(CancellationToken cancellationToken)
    {
        await using FakeAgent agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);
        using var client = new RawExecutorClient(agent);
        RawExecutorClient.EventStream stream = await client.SubscribeAsync(client.SubscribeCall(), cancellationToken);
        await stream.ReadAsync(cancellationToken);
        Task disconnect = agent.WaitForDisconnectAsync(1, cancellationToken);
        Assert.That(disconnect.IsCompleted, Is.False);

        await stream.DisposeAsync();
        client.Dispose();
        await disconnect;

        Assert.That(agent.IsSubscribed, Is.False);
    }

    [Test]
    [CancelAfter(Timeout)]
    public async Task Subscribe_Again_ReplacesPreviousStream(CancellationToken cancellationToken)
    {
        await using FakeAgent agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);
        using var client = new RawExecutorClient(agent);
        await using RawExecutorClient.EventStream first = await client.SubscribeAsync(client.SubscribeCall(), cancellationToken);
        await first.ReadAsync(cancellationToken);

        await using RawExecutorClient.EventStream second = await client.SubscribeAsync(client.SubscribeCall(), cancellationToken);
        await agent.WaitForDisconnectAsync(1, cancellationToken);
        await second.ReadAsync(cancellationToken);
        await agent.SendHeartbeatAsync(cancellationToken);
        Event? heartbeat = await second.ReadAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(heartbeat?.Type, Is.EqualTo(Event.Types.Type.Heartbeat));
            Assert.That(agent.SubscribeCalls, Has.Count.EqualTo(2));
        });
    }

    [Test]
    [CancelAfter(Timeout)]
    public async Task StopAsync_NewConnections_AreRefused(CancellationToken cancellationToken)
    {
        await using FakeAgent agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);
        using var client = new RawExecutorClient(agent);

        await agent.StopAsync(cancellationToken);

        HttpRequestException? exception = await Assert.ThrowsAsync<HttpRequestException>(async () => await client.PostAsync(client.SubscribeCall(), cancellationToken));
        Assert.That(exception?.InnerException, Is.InstanceOf<SocketException>().With.Property(nameof(SocketException.SocketErrorCode)).EqualTo(SocketError.ConnectionRefused));
    }

    [Test]
    [CancelAfter(Timeout)]
    public async Task RestartAsync_ComesBackOnSamePort_AndExecutorCanResubscribe(CancellationToken cancellationToken)
    {
        await using FakeAgent agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);
        int port = agent.Port;
        using var client = new RawExecutorClient(agent);
        await using RawExecutorClient.EventStream first = await client.SubscribeAsync(client.SubscribeCall(), cancellationToken);
        await first.ReadAsync(cancellationToken);

        await agent.RestartAsync(cancellationToken);
        await Assert.ThrowsAsync(Is.InstanceOf<IOException>().Or.InstanceOf<HttpRequestException>(), async () => await first.ReadAsync(cancellationToken));
        (HttpStatusCode update, _, _) = await client.PostAsync(client.UpdateCall(client.Status("t1", TaskState.TaskRunning)), cancellationToken);
        await using RawExecutorClient.EventStream second = await client.SubscribeAsync(client.SubscribeCall(), cancellationToken);
        List<Event> events = await second.ReadAsync(2, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(agent.Port, Is.EqualTo(port));
            Assert.That(agent.IsRunning, Is.True);
            Assert.That(update, Is.EqualTo(HttpStatusCode.Accepted), "the restarted agent still knows the executor");
            Assert.That(events.Select(e => e.Type), Is.EqualTo(new[] { Event.Types.Type.Subscribed, Event.Types.Type.Acknowledged }), "the update sent while no stream was open is acknowledged on the new one");
            Assert.That(agent.SubscribeCalls, Has.Count.EqualTo(2));
        });
    }

    [Test]
    [CancelAfter(Timeout)]
    public async Task RestartAsync_SubscribeReachingTheStoppingAgent_IsNotCounted_SendsGoOnTheNextStream(CancellationToken cancellationToken)
    {
        // The race seen under load: the executor, dropped by the stop, subscribes again while the
        // old server still listens. That SUBSCRIBE must not count as the second one, or
        // WaitForSubscribeAsync(2) returns before the stream the test will send on exists.
        await using FakeAgent agent = await FakeAgent.StartAsync(new FakeAgentOptions { AutoAcknowledge = false }, cancellationToken);
        using var client = new RawExecutorClient(agent);
        await using (RawExecutorClient.EventStream first = await client.SubscribeAsync(client.SubscribeCall(), cancellationToken))
        {
            await first.ReadAsync(cancellationToken);
            TaskStatus running = client.Status("t1", TaskState.TaskRunning);
            (HttpStatusCode update, _, _) = await client.PostAsync(client.UpdateCall(running), cancellationToken);
            Assert.That(update, Is.EqualTo(HttpStatusCode.Accepted));
        }

        bool stoppingSubscribeOpened = false;
        agent.WhileStoppingHook = async () =>
        {
            using var early = new RawExecutorClient(agent);
            try
            {
                await using RawExecutorClient.EventStream stream = await early.SubscribeAsync(early.SubscribeCall(), cancellationToken);
                stoppingSubscribeOpened = true;
                while (await stream.ReadAsync(cancellationToken) != null)
                {
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or InvalidOperationException)
            {
                // The stopping agent closed the connection.
            }
        };

        await agent.RestartAsync(cancellationToken);
        agent.WhileStoppingHook = null;
        Task<Call> second = agent.WaitForSubscribeAsync(2, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(stoppingSubscribeOpened, Is.False, "a stopping agent does not answer");
            Assert.That(second.IsCompleted, Is.False, "the SUBSCRIBE that reached the stopping agent is not counted");
            Assert.That(agent.SubscribeCalls, Has.Count.EqualTo(1));
        });

        using var again = new RawExecutorClient(agent);
        Call resubscribe = again.SubscribeCall(new Call.Types.Update { Status = agent.PendingAcknowledgements.Single() });
        Task<RawExecutorClient.EventStream> opening = again.SubscribeAsync(resubscribe, cancellationToken);
        Assert.That(await second, Is.EqualTo(resubscribe));
        await agent.AcknowledgeAllAsync(cancellationToken);
        await using RawExecutorClient.EventStream current = await opening;
        List<Event> events = await current.ReadAsync(2, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(events.Select(e => e.Type), Is.EqualTo(new[] { Event.Types.Type.Subscribed, Event.Types.Type.Acknowledged }));
            Assert.That(agent.PendingAcknowledgements, Is.Empty);
            Assert.That(agent.IsSubscribed, Is.True);
        });
    }

    [Test]
    [CancelAfter(Timeout)]
    public async Task RestartAsync_SubscribeReachingTheNewServerBeforeRestartReturns_StreamStaysOpen(CancellationToken cancellationToken)
    {
        await using FakeAgent agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);
        using var client = new RawExecutorClient(agent);
        await using (RawExecutorClient.EventStream first = await client.SubscribeAsync(client.SubscribeCall(), cancellationToken))
        {
            await first.ReadAsync(cancellationToken);
        }

        using var early = new RawExecutorClient(agent);
        RawExecutorClient.EventStream? stream = null;
        Event? subscribed = null;
        agent.WhileStartingHook = async () =>
        {
            // The executor's retry gets in as soon as the port is bound again.
            stream = await early.SubscribeAsync(early.SubscribeCall(), cancellationToken);
            subscribed = await stream.ReadAsync(cancellationToken);
        };

        await agent.RestartAsync(cancellationToken);
        agent.WhileStartingHook = null;
        await using RawExecutorClient.EventStream second = stream!;
        await agent.WaitForSubscribeAsync(2, cancellationToken);
        await agent.SendHeartbeatAsync(cancellationToken);

        Assert.Multiple(async () =>
        {
            Assert.That(subscribed?.Type, Is.EqualTo(Event.Types.Type.Subscribed));
            Assert.That((await second.ReadAsync(cancellationToken))?.Type, Is.EqualTo(Event.Types.Type.Heartbeat));
            Assert.That(agent.IsSubscribed, Is.True);
        });
    }

    [Test]
    [CancelAfter(Timeout)]
    public async Task UnixSocket_SubscribeAndUpdate_Work(CancellationToken cancellationToken)
    {
        string path = Path.Combine(Path.GetTempPath(), $"fake-agent-{Guid.NewGuid():N}.sock");
        await using FakeAgent agent = await FakeAgent.StartAsync(new FakeAgentOptions { UnixSocketPath = path }, cancellationToken);
        using var client = new RawExecutorClient(agent, useUnixSocket: true);

        await using RawExecutorClient.EventStream stream = await client.SubscribeAsync(client.SubscribeCall(), cancellationToken);
        Event? subscribed = await stream.ReadAsync(cancellationToken);
        (HttpStatusCode update, _, _) = await client.PostAsync(client.UpdateCall(client.Status("t1", TaskState.TaskRunning)), cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(subscribed?.Type, Is.EqualTo(Event.Types.Type.Subscribed));
            Assert.That(update, Is.EqualTo(HttpStatusCode.Accepted));
        });
        await agent.DisposeAsync();
        Assert.That(File.Exists(path), Is.False, "the socket file is removed");
    }

    [Test]
    [CancelAfter(Timeout)]
    public async Task WaitForCallAsync_AlreadyRecorded_CompletesAtOnce(CancellationToken cancellationToken)
    {
        await using FakeAgent agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);
        using var client = new RawExecutorClient(agent);
        var message = client.NewCall(Call.Types.Type.Message);
        message.Message = new Call.Types.Message { Data = ByteString.CopyFromUtf8("hi") };
        await using RawExecutorClient.EventStream stream = await client.SubscribeAsync(client.SubscribeCall(), cancellationToken);
        await client.PostAsync(message, cancellationToken);

        RecordedRequest recorded = await agent.WaitForCallAsync(r => r.Call?.Type == Call.Types.Type.Message, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(recorded.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
            Assert.That(recorded.Call?.Message.Data.ToStringUtf8(), Is.EqualTo("hi"));
        });
    }

    [Test]
    [CancelAfter(Timeout)]
    public async Task WaitForStatusAsync_Cancelled_ThrowsOperationCanceled(CancellationToken cancellationToken)
    {
        await using FakeAgent agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task<TaskStatus> wait = agent.WaitForStatusAsync("t1", TaskState.TaskRunning, cancellation.Token);

        await cancellation.CancelAsync();

        await Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), async () => await wait);
    }

    [Test]
    [CancelAfter(Timeout)]
    public async Task CreateExecutorEnvironment_ParsesToTheAgentsAddressAndIds(CancellationToken cancellationToken)
    {
        string path = Path.Combine(Path.GetTempPath(), $"fake-agent-{Guid.NewGuid():N}.sock");
        await using FakeAgent agent = await FakeAgent.StartAsync(new FakeAgentOptions { AuthenticationToken = "tok", UnixSocketPath = path }, cancellationToken);

        IReadOnlyDictionary<string, string> variables = agent.CreateExecutorEnvironment(new FakeExecutorEnvironmentOptions
        {
            Checkpoint = true,
            RecoveryTimeout = TimeSpan.FromMinutes(3),
            SubscriptionBackoffMax = TimeSpan.FromMilliseconds(250),
            ShutdownGracePeriod = TimeSpan.FromSeconds(9),
            Directory = "/tmp/dir",
            Sandbox = "/mnt/mesos/sandbox",
        });
        ExecutorEnvironment environment = ExecutorEnvironment.Parse(name => variables.GetValueOrDefault(name));

        Assert.Multiple(() =>
        {
            Assert.That(environment.FrameworkId.Value, Is.EqualTo(agent.Options.FrameworkId));
            Assert.That(environment.ExecutorId.Value, Is.EqualTo(agent.Options.ExecutorId));
            Assert.That(environment.AgentId?.Value, Is.EqualTo(agent.Options.AgentId));
            Assert.That(environment.AgentEndpoint, Is.EqualTo($"127.0.0.1:{agent.Port}"));
            Assert.That(environment.AgentPid, Is.EqualTo($"slave(1)@127.0.0.1:{agent.Port}"));
            Assert.That(environment.Checkpoint, Is.True);
            Assert.That(environment.RecoveryTimeout, Is.EqualTo(TimeSpan.FromMinutes(3)));
            Assert.That(environment.SubscriptionBackoffMax, Is.EqualTo(TimeSpan.FromMilliseconds(250)));
            Assert.That(environment.ShutdownGracePeriod, Is.EqualTo(TimeSpan.FromSeconds(9)));
            Assert.That(environment.Directory, Is.EqualTo("/tmp/dir"));
            Assert.That(environment.Sandbox, Is.EqualTo("/mnt/mesos/sandbox"));
            Assert.That(environment.AuthenticationToken, Is.EqualTo("tok"));
            Assert.That(environment.DomainSocket, Is.EqualTo(path));
        });
    }

    [Test]
    public async Task CreateExecutorEnvironment_NotCheckpointing_OmitsRecoveryVariables()
    {
        await using FakeAgent agent = await FakeAgent.StartAsync();

        IReadOnlyDictionary<string, string> variables = agent.CreateExecutorEnvironment();

        Assert.Multiple(() =>
        {
            Assert.That(variables["MESOS_CHECKPOINT"], Is.EqualTo("0"));
            Assert.That(variables["MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD"], Is.EqualTo("5secs"));
            Assert.That(variables.ContainsKey("MESOS_RECOVERY_TIMEOUT"), Is.False);
            Assert.That(variables.ContainsKey("MESOS_SUBSCRIPTION_BACKOFF_MAX"), Is.False);
            Assert.That(variables.ContainsKey("MESOS_EXECUTOR_AUTHENTICATION_TOKEN"), Is.False);
        });
    }
}
