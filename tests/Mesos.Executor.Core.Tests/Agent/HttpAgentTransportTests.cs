using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using Google.Protobuf;
using Mesos.Executor.Core.Agent;
using Mesos.Executor.Core.RecordIO;
using Mesos.Executor.Testing;
using Mesos.V1;
using Mesos.V1.Executor;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Executor.Core.Tests.Agent;

[TestFixture]
public sealed class HttpAgentTransportTests
{
    private const int Timeout = 20_000;

    [TestCase(AgentContentType.Protobuf)]
    [TestCase(AgentContentType.Json)]
    [CancelAfter(Timeout)]
    public async Task SubscribeAsync_AgentStreamsEvents_YieldsThemInOrder(AgentContentType contentType, CancellationToken cancellationToken)
    {
        await using FakeAgent agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);
        await using HttpAgentTransport transport = CreateTransport(agent, contentType);
        await using IAsyncEnumerator<Event> events = transport.SubscribeAsync(SubscribeCall(agent), cancellationToken).GetAsyncEnumerator(cancellationToken);

        Event subscribed = await NextAsync(events);
        await agent.SendLaunchAsync(Task1(), cancellationToken);
        await agent.SendKillAsync(new TaskID { Value = "t1" }, cancellationToken: cancellationToken);
        Event launch = await NextAsync(events);
        Event kill = await NextAsync(events);

        Assert.Multiple(() =>
        {
            Assert.That(subscribed.Type, Is.EqualTo(Event.Types.Type.Subscribed));
            Assert.That(subscribed.Subscribed.FrameworkInfo.Id.Value, Is.EqualTo(agent.Options.FrameworkId));
            Assert.That(launch.Launch.Task, Is.EqualTo(Task1()));
            Assert.That(kill.Kill.TaskId.Value, Is.EqualTo("t1"));
        });
    }

    [TestCase(AgentContentType.Protobuf, "application/x-protobuf")]
    [TestCase(AgentContentType.Json, "application/json")]
    [CancelAfter(Timeout)]
    public async Task Requests_CarryExactMediaTypeHeadersWithoutCharset(AgentContentType contentType, string mediaType, CancellationToken cancellationToken)
    {
        await using FakeAgent agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);
        await using HttpAgentTransport transport = CreateTransport(agent, contentType);
        await using IAsyncEnumerator<Event> events = transport.SubscribeAsync(SubscribeCall(agent), cancellationToken).GetAsyncEnumerator(cancellationToken);
        await NextAsync(events);

        await transport.SendAsync(UpdateCall(agent, Status("t1", TaskState.TaskRunning)), cancellationToken);

        IReadOnlyList<RecordedRequest> requests = agent.Requests;
        Assert.That(requests, Has.Count.EqualTo(2));
        Assert.Multiple(() =>
        {
            foreach (RecordedRequest request in requests)
            {
                Assert.That(request.Method, Is.EqualTo("POST"));
                Assert.That(request.Path, Is.EqualTo("/api/v1/executor"));
                Assert.That(request.GetHeader("Content-Type"), Is.EqualTo(mediaType));
                Assert.That(request.GetHeader("Accept"), Is.EqualTo(mediaType));
                Assert.That(request.GetHeader("Authorization"), Is.Null);
                Assert.That(request.ContentType, Is.EqualTo(contentType));
                Assert.That(request.IsAccepted, Is.True, request.ResponseText);
            }

            Assert.That(agent.SubscribeCalls.Single().Type, Is.EqualTo(Call.Types.Type.Subscribe));
        });
    }

    [Test]
    [CancelAfter(Timeout)]
    public async Task SendAsync_Update_CompletesOn202AndIsAcknowledged(CancellationToken cancellationToken)
    {
        await using FakeAgent agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);
        await using HttpAgentTransport transport = CreateTransport(agent);
        await using IAsyncEnumerator<Event> events = transport.SubscribeAsync(SubscribeCall(agent), cancellationToken).GetAsyncEnumerator(cancellationToken);
        await NextAsync(events);
        TaskStatus status = Status("t1", TaskState.TaskRunning);

        await transport.SendAsync(UpdateCall(agent, status), cancellationToken);
        Event acknowledged = await NextAsync(events);

        Assert.Multiple(() =>
        {
            Assert.That(agent.StatusUpdates, Is.EqualTo(new[] { status }));
            Assert.That(acknowledged.Type, Is.EqualTo(Event.Types.Type.Acknowledged));
            Assert.That(acknowledged.Acknowledged.Uuid, Is.EqualTo(status.Uuid));
        });
    }

    [Test]
    [CancelAfter(Timeout)]
    public async Task Transport_WithToken_SendsBearerHeaderAndNeverLogsIt(CancellationToken cancellationToken)
    {
        const string token = "tok-abc.def";
        await using FakeAgent agent = await FakeAgent.StartAsync(new FakeAgentOptions { AuthenticationToken = token }, cancellationToken);
        using var loggers = new FakeLoggerProvider();
        using var factory = new LoggerFactory([loggers], new LoggerFilterOptions { MinLevel = LogLevel.Trace });
        await using HttpAgentTransport transport = CreateTransport(agent, loggerFactory: factory);
        await using IAsyncEnumerator<Event> events = transport.SubscribeAsync(SubscribeCall(agent), cancellationToken).GetAsyncEnumerator(cancellationToken);
        await NextAsync(events);

        await transport.SendAsync(UpdateCall(agent, Status("t1", TaskState.TaskRunning)), cancellationToken);

        IReadOnlyList<FakeLogRecord> logs = loggers.Collector.GetSnapshot();
        Assert.Multiple(() =>
        {
            Assert.That(agent.Requests.Select(r => r.GetHeader("Authorization")), Is.All.EqualTo("Bearer " + token));
            Assert.That(logs.Select(l => l.Id.Id), Does.Contain(1001).And.Contain(1004));
            Assert.That(logs.Select(l => l.Message), Has.None.Contains(token));
        });
    }

    [Test]
    [CancelAfter(Timeout)]
    public async Task SubscribeAsync_MissingToken_Throws401NotTransient(CancellationToken cancellationToken)
    {
        await using FakeAgent agent = await FakeAgent.StartAsync(new FakeAgentOptions { AuthenticationToken = "tok" }, cancellationToken);
        await using HttpAgentTransport transport = CreateTransport(agent, includeToken: false);

        AgentApiException? exception = await Assert.ThrowsAsync<AgentApiException>(async () => await FirstAsync(transport.SubscribeAsync(SubscribeCall(agent), cancellationToken)));

        Assert.Multiple(() =>
        {
            Assert.That(exception?.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(exception?.IsTransient, Is.False);
            Assert.That(exception?.IsSubscriptionLost, Is.False);
        });
    }

    [Test]
    [CancelAfter(Timeout)]
    public async Task SendAsync_NotSubscribed_Throws403WithAgentText(CancellationToken cancellationToken)
    {
        await using FakeAgent agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);
        await using HttpAgentTransport transport = CreateTransport(agent);

        AgentApiException? exception = await Assert.ThrowsAsync<AgentApiException>(
            async () => await transport.SendAsync(UpdateCall(agent, Status("t1", TaskState.TaskRunning)), cancellationToken));

        Assert.Multiple(() =>
        {
            Assert.That(exception?.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(exception?.IsTransient, Is.False);
            Assert.That(exception?.Message, Does.Contain("Executor is not subscribed").And.Contain("UPDATE"));
        });
    }

    [Test]
    [CancelAfter(Timeout)]
    public async Task SendAsync_InvalidUpdate_Throws400WithValidationText(CancellationToken cancellationToken)
    {
        await using FakeAgent agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);
        await using HttpAgentTransport transport = CreateTransport(agent);
        await using IAsyncEnumerator<Event> events = transport.SubscribeAsync(SubscribeCall(agent), cancellationToken).GetAsyncEnumerator(cancellationToken);
        await NextAsync(events);

        AgentApiException? exception = await Assert.ThrowsAsync<AgentApiException>(
            async () => await transport.SendAsync(UpdateCall(agent, Status("t1", TaskState.TaskStaging)), cancellationToken));

        Assert.Multiple(() =>
        {
            Assert.That(exception?.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(exception?.IsTransient, Is.False);
            Assert.That(exception?.Message, Does.Contain("Failed to validate Executor::Call").And.Contain("TASK_STAGING"));
        });
    }

    [Test]
    [CancelAfter(Timeout)]
    public async Task Calls_AgentRecovering_Throw503Transient(CancellationToken cancellationToken)
    {
        await using FakeAgent agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);
        await using HttpAgentTransport transport = CreateTransport(agent);
        agent.IsRecovering = true;

        AgentApiException? subscribe = await Assert.ThrowsAsync<AgentApiException>(async () => await FirstAsync(transport.SubscribeAsync(SubscribeCall(agent), cancellationToken)));
        AgentApiException? update = await Assert.ThrowsAsync<AgentApiException>(
            async () => await transport.SendAsync(UpdateCall(agent, Status("t1", TaskState.TaskRunning)), cancellationToken));

        Assert.Multiple(() =>
        {
            foreach (AgentApiException? exception in new[] { subscribe, update })
            {
                Assert.That(exception?.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
                Assert.That(exception?.IsTransient, Is.True);
                Assert.That(exception?.IsSubscriptionLost, Is.False);
                Assert.That(exception?.Message, Does.Contain("Agent has not finished recovery"));
            }
        });
    }

    [TestCase(415, "Expecting 'Content-Type' of application/json or application/x-protobuf", false)]
    [TestCase(406, "Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'", false)]
    [TestCase(500, "boom", false)]
    [TestCase(502, "bad gateway", true)]
    [CancelAfter(Timeout)]
    public async Task Calls_OtherStatus_ThrowTypedExceptionWithBody(int status, string body, bool transient, CancellationToken cancellationToken)
    {
        string response = $"HTTP/1.1 {status} Whatever\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}";
        await using var server = new CannedHttpServer(response);
        await using HttpAgentTransport transport = CreateTransport(server.Endpoint);

        AgentApiException? send = await Assert.ThrowsAsync<AgentApiException>(async () => await transport.SendAsync(HeartbeatCall(), cancellationToken));
        AgentApiException? subscribe = await Assert.ThrowsAsync<AgentApiException>(async () => await FirstAsync(transport.SubscribeAsync(HeartbeatCall(), cancellationToken)));

        Assert.Multiple(() =>
        {
            foreach (AgentApiException? exception in new[] { send, subscribe })
            {
                Assert.That(exception?.StatusCode, Is.EqualTo((HttpStatusCode)status));
                Assert.That(exception?.IsTransient, Is.EqualTo(transient));
                Assert.That(exception?.Message, Does.Contain(body));
            }
        });
    }

    [Test]
    [CancelAfter(Timeout)]
    public async Task SendAsync_200InsteadOf202_Throws(CancellationToken cancellationToken)
    {
        await using var server = new CannedHttpServer("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        await using HttpAgentTransport transport = CreateTransport(server.Endpoint);

        AgentApiException? exception = await Assert.ThrowsAsync<AgentApiException>(async () => await transport.SendAsync(HeartbeatCall(), cancellationToken));

        Assert.That(exception?.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    [CancelAfter(Timeout)]
    public async Task SendAsync_AgentNeverAnswers_TimesOutTransientByTheTimeProvider(CancellationToken cancellationToken)
    {
        await using var server = new CannedHttpServer(response: null);
        var time = new FakeTimeProvider();
        await using HttpAgentTransport transport = CreateTransport(server.Endpoint, time);

        Task send = transport.SendAsync(HeartbeatCall(), cancellationToken);
        await server.RequestReceived.WaitAsync(cancellationToken);
        Assert.That(send.IsCompleted, Is.False);
        time.Advance(AgentTransportOptions.DefaultCallTimeout);
        AgentApiException? exception = await Assert.ThrowsAsync<AgentApiException>(async () => await send);

        Assert.Multiple(() =>
        {
            Assert.That(exception?.StatusCode, Is.Null);
            Assert.That(exception?.IsTransient, Is.True);
            Assert.That(exception?.Message, Does.Contain("timed out"));
        });
    }

    [Test]
    [CancelAfter(Timeout)]
    public async Task SendAsync_CallerCancels_ThrowsOperationCanceledUnwrapped(CancellationToken cancellationToken)
    {
        await using var server = new CannedHttpServer(response: null);
        await using HttpAgentTransport transport = CreateTransport(server.Endpoint);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        Task send = transport.SendAsync(HeartbeatCall(), cancellation.Token);
        await server.RequestReceived.WaitAsync(cancellationToken);
        await cancellation.CancelAsync();

        await Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), async () => await send);
    }

    [Test]
    [CancelAfter(Timeout)]
    public async Task SubscribeAsync_CallerCancelsWhileStreaming_ThrowsOperationCanceled(CancellationToken cancellationToken)
    {
        await using FakeAgent agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);
        await using HttpAgentTransport transport = CreateTransport(agent);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await using IAsyncEnumerator<Event> events = transport.SubscribeAsync(SubscribeCall(agent), cancellation.Token).GetAsyncEnumerator(cancellation.Token);
        await NextAsync(events);

        ValueTask<bool> next = events.MoveNextAsync();
        await cancellation.CancelAsync();

        await Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), async () => await next);
        await agent.WaitForDisconnectAsync(1, cancellationToken);
    }

    [TestCase(false)]
    [TestCase(true)]
    [CancelAfter(Timeout)]
    public async Task SubscribeAsync_AgentDropsStream_ThrowsSubscriptionLost(bool graceful, CancellationToken cancellationToken)
    {
        await using FakeAgent agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);
        await using HttpAgentTransport transport = CreateTransport(agent);
        await using IAsyncEnumerator<Event> events = transport.SubscribeAsync(SubscribeCall(agent), cancellationToken).GetAsyncEnumerator(cancellationToken);
        await NextAsync(events);

        await agent.DropSubscriptionAsync(graceful, cancellationToken);
        AgentApiException? exception = await Assert.ThrowsAsync<AgentApiException>(async () => await events.MoveNextAsync());

        Assert.Multiple(() =>
        {
            Assert.That(exception?.IsSubscriptionLost, Is.True);
            Assert.That(exception?.IsTransient, Is.True);
            Assert.That(exception?.StatusCode, Is.Null);
        });
    }

    [Test]
    [CancelAfter(Timeout)]
    public async Task SubscribeAsync_GarbageOnStream_ThrowsRecordIOFormatException(CancellationToken cancellationToken)
    {
        await using FakeAgent agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);
        await using HttpAgentTransport transport = CreateTransport(agent);
        await using IAsyncEnumerator<Event> events = transport.SubscribeAsync(SubscribeCall(agent), cancellationToken).GetAsyncEnumerator(cancellationToken);
        await NextAsync(events);

        await agent.SendRawAsync("not-a-length\n"u8.ToArray(), cancellationToken);

        await Assert.ThrowsAsync<RecordIOFormatException>(async () => await events.MoveNextAsync());
    }

    [Test]
    [CancelAfter(Timeout)]
    public async Task SubscribeAsync_WellFramedRecordThatIsNoEvent_ThrowsRecordIOFormatException(CancellationToken cancellationToken)
    {
        await using FakeAgent agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);
        await using HttpAgentTransport transport = CreateTransport(agent);
        await using IAsyncEnumerator<Event> events = transport.SubscribeAsync(SubscribeCall(agent), cancellationToken).GetAsyncEnumerator(cancellationToken);
        await NextAsync(events);

        await agent.SendRawAsync(RecordIOWriter.Frame([0xff, 0xff, 0xff, 0xff]), cancellationToken);

        RecordIOFormatException? exception = await Assert.ThrowsAsync<RecordIOFormatException>(async () => await events.MoveNextAsync());
        Assert.That(exception?.InnerException, Is.InstanceOf<InvalidDataException>());
    }

    [Test]
    [CancelAfter(Timeout)]
    public async Task SubscribeAsync_EventOverMaxRecordSize_ThrowsRecordIOFormatException(CancellationToken cancellationToken)
    {
        await using FakeAgent agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);
        AgentTransportOptions options = Options(agent) with { MaxRecordSize = 1024 };
        await using var transport = new HttpAgentTransport(options, NullLoggerFactory.Instance);
        await using IAsyncEnumerator<Event> events = transport.SubscribeAsync(SubscribeCall(agent), cancellationToken).GetAsyncEnumerator(cancellationToken);
        await NextAsync(events);

        await agent.SendMessageAsync(new byte[4096], cancellationToken);

        await Assert.ThrowsAsync<RecordIOFormatException>(async () => await events.MoveNextAsync());
    }

    [Test]
    [CancelAfter(Timeout)]
    public async Task Calls_AgentDown_ThrowTransientWithoutStatus(CancellationToken cancellationToken)
    {
        await using FakeAgent agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);
        await using HttpAgentTransport transport = CreateTransport(agent);
        await agent.StopAsync(cancellationToken);

        AgentApiException? subscribe = await Assert.ThrowsAsync<AgentApiException>(async () => await FirstAsync(transport.SubscribeAsync(SubscribeCall(agent), cancellationToken)));
        AgentApiException? send = await Assert.ThrowsAsync<AgentApiException>(async () => await transport.SendAsync(HeartbeatCall(), cancellationToken));

        Assert.Multiple(() =>
        {
            foreach (AgentApiException? exception in new[] { subscribe, send })
            {
                Assert.That(exception?.StatusCode, Is.Null);
                Assert.That(exception?.IsTransient, Is.True);
                Assert.That(exception?.IsSubscriptionLost, Is.False);
                Assert.That(exception?.InnerException, Is.Not.Null);
            }
        });
    }

    [Test]
    [CancelAfter(Timeout)]
    public async Task SubscribeAsync_AgentRestarts_LosesStreamThenResubscribesOnSamePort(CancellationToken cancellationToken)
    {
        await using FakeAgent agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);
        await using HttpAgentTransport transport = CreateTransport(agent);
        await using (IAsyncEnumerator<Event> first = transport.SubscribeAsync(SubscribeCall(agent), cancellationToken).GetAsyncEnumerator(cancellationToken))
        {
            await NextAsync(first);
            await agent.RestartAsync(cancellationToken);

            AgentApiException? lost = await Assert.ThrowsAsync<AgentApiException>(async () => await first.MoveNextAsync());
            Assert.That(lost?.IsSubscriptionLost, Is.True);
        }

        await using IAsyncEnumerator<Event> second = transport.SubscribeAsync(SubscribeCall(agent), cancellationToken).GetAsyncEnumerator(cancellationToken);
        Event subscribed = await NextAsync(second);

        Assert.Multiple(() =>
        {
            Assert.That(subscribed.Type, Is.EqualTo(Event.Types.Type.Subscribed));
            Assert.That(agent.SubscribeCalls, Has.Count.EqualTo(2));
        });
    }

    [Test]
    [CancelAfter(Timeout)]
    public async Task Transport_OverUnixDomainSocket_SubscribesAndSends(CancellationToken cancellationToken)
    {
        string path = Path.Combine(Path.GetTempPath(), $"agent-{Guid.NewGuid():N}.sock");
        await using FakeAgent agent = await FakeAgent.StartAsync(new FakeAgentOptions { UnixSocketPath = path }, cancellationToken);
        AgentTransportOptions options = Options(agent);
        Assert.That(options.DomainSocket, Is.EqualTo(path));
        await using var transport = new HttpAgentTransport(options, NullLoggerFactory.Instance);
        await using IAsyncEnumerator<Event> events = transport.SubscribeAsync(SubscribeCall(agent), cancellationToken).GetAsyncEnumerator(cancellationToken);

        Event subscribed = await NextAsync(events);
        await transport.SendAsync(UpdateCall(agent, Status("t1", TaskState.TaskRunning)), cancellationToken);
        await agent.WaitForStatusAsync("t1", TaskState.TaskRunning, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(subscribed.Type, Is.EqualTo(Event.Types.Type.Subscribed));
            Assert.That(agent.Requests.Select(r => r.GetHeader("Host")), Is.All.EqualTo("localhost"));
        });
    }

    [TestCase(false)]
    [TestCase(true)]
    [CancelAfter(Timeout)]
    public async Task SendAsync_AgentWithSelfSignedCertificate_VerifiesOnlyWhenAsked(bool verify, CancellationToken cancellationToken)
    {
        using X509Certificate2 certificate = SelfSignedCertificate();
        await using var server = new CannedHttpServer("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n", certificate);
        var options = new AgentTransportOptions { Endpoint = new Uri($"https://{server.Endpoint}/api/v1/executor"), VerifyCertificate = verify };
        await using var transport = new HttpAgentTransport(options, NullLoggerFactory.Instance);

        if (!verify)
        {
            // Like libprocess without LIBPROCESS_SSL_VERIFY_SERVER_CERT: any certificate is accepted.
            await transport.SendAsync(HeartbeatCall(), cancellationToken);
            return;
        }

        AgentApiException? exception = await Assert.ThrowsAsync<AgentApiException>(async () => await transport.SendAsync(HeartbeatCall(), cancellationToken));
        Assert.Multiple(() =>
        {
            Assert.That(exception?.StatusCode, Is.Null);
            Assert.That(exception?.IsTransient, Is.False, "an untrusted certificate does not heal by retrying");
        });
    }

    [Test]
    public void From_TlsEnvironment_UsesHttpsUnlessDomainSocket()
    {
        ExecutorEnvironment environment = new()
        {
            FrameworkId = new FrameworkID { Value = "f" },
            ExecutorId = new ExecutorID { Value = "e" },
            AgentEndpoint = "10.1.2.3:5051",
            UseTls = true,
            AuthenticationToken = "secret",
        };

        AgentTransportOptions tcp = AgentTransportOptions.From(environment, AgentContentType.Json, 1000);
        AgentTransportOptions unix = AgentTransportOptions.From(environment with { DomainSocket = "/run/a.sock" }, AgentContentType.Json, 1000);

        Assert.Multiple(() =>
        {
            Assert.That(tcp.Endpoint, Is.EqualTo(new Uri("https://10.1.2.3:5051/api/v1/executor")));
            Assert.That(tcp.UseTls, Is.True);
            Assert.That(tcp.ContentType, Is.EqualTo(AgentContentType.Json));
            Assert.That(tcp.MaxRecordSize, Is.EqualTo(1000));
            Assert.That(tcp.AuthenticationToken, Is.EqualTo("secret"));
            Assert.That(tcp.ToString(), Does.Not.Contain("secret"));
            Assert.That(unix.Endpoint, Is.EqualTo(new Uri("http://localhost/api/v1/executor")));
            Assert.That(unix.UseTls, Is.False);
        });
    }

    [Test]
    public void From_UnbracketedIPv6Endpoint_BracketsTheHost()
    {
        ExecutorEnvironment environment = new()
        {
            FrameworkId = new FrameworkID { Value = "f" },
            ExecutorId = new ExecutorID { Value = "e" },
            AgentEndpoint = "::1:5051",
        };

        Assert.That(AgentTransportOptions.From(environment, AgentContentType.Protobuf, 10).Endpoint, Is.EqualTo(new Uri("http://[::1]:5051/api/v1/executor")));
    }

    private static X509Certificate2 SelfSignedCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=fake-agent", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), password: null);
    }

    private static AgentTransportOptions Options(FakeAgent agent, AgentContentType contentType = AgentContentType.Protobuf, bool includeToken = true)
    {
        IReadOnlyDictionary<string, string> variables = agent.CreateExecutorEnvironment(new FakeExecutorEnvironmentOptions { IncludeAuthenticationToken = includeToken });
        ExecutorEnvironment environment = ExecutorEnvironment.Parse(name => variables.GetValueOrDefault(name));
        return AgentTransportOptions.From(environment, contentType, RecordIOReader.DefaultMaxRecordSize);
    }

    private static HttpAgentTransport CreateTransport(
        FakeAgent agent,
        AgentContentType contentType = AgentContentType.Protobuf,
        bool includeToken = true,
        ILoggerFactory? loggerFactory = null) =>
        new(Options(agent, contentType, includeToken), loggerFactory ?? NullLoggerFactory.Instance);

    private static HttpAgentTransport CreateTransport(string endpoint, TimeProvider? timeProvider = null) =>
        new(new AgentTransportOptions { Endpoint = new Uri($"http://{endpoint}/api/v1/executor") }, NullLoggerFactory.Instance, timeProvider);

    private static async Task<Event> NextAsync(IAsyncEnumerator<Event> events)
    {
        Assert.That(await events.MoveNextAsync(), Is.True, "the stream ended");
        return events.Current;
    }

    private static async Task<Event> FirstAsync(IAsyncEnumerable<Event> events)
    {
        await foreach (Event @event in events)
        {
            return @event;
        }

        throw new InvalidOperationException("empty stream");
    }

    private static TaskInfo Task1() => new()
    {
        Name = "task one",
        TaskId = new TaskID { Value = "t1" },
        AgentId = new AgentID { Value = "agent" },
    };

    private static Call SubscribeCall(FakeAgent agent) => new()
    {
        Type = Call.Types.Type.Subscribe,
        FrameworkId = new FrameworkID { Value = agent.Options.FrameworkId },
        ExecutorId = new ExecutorID { Value = agent.Options.ExecutorId },
        Subscribe = new Call.Types.Subscribe(),
    };

    private static Call HeartbeatCall() => new()
    {
        Type = Call.Types.Type.Heartbeat,
        FrameworkId = new FrameworkID { Value = "f" },
        ExecutorId = new ExecutorID { Value = "e" },
    };

    private static Call UpdateCall(FakeAgent agent, TaskStatus status) => new()
    {
        Type = Call.Types.Type.Update,
        FrameworkId = new FrameworkID { Value = agent.Options.FrameworkId },
        ExecutorId = new ExecutorID { Value = agent.Options.ExecutorId },
        Update = new Call.Types.Update { Status = status },
    };

    private static TaskStatus Status(string taskId, TaskState state) => new()
    {
        TaskId = new TaskID { Value = taskId },
        State = state,
        Source = TaskStatus.Types.Source.Executor,
        Uuid = ByteString.CopyFrom(Guid.NewGuid().ToByteArray(bigEndian: true)),
    };
}
