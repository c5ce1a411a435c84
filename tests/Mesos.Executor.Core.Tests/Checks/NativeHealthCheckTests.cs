using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Mesos.V1;
using Microsoft.Extensions.Time.Testing;
using Moq;
using NUnit.Framework;

namespace Mesos.Executor.Core.Tests.Checks;

/// <summary>
/// <see cref="NativeHealthCheck"/> against servers on the host's loopback (host networking) and a
/// mocked containerizer for commands. Namespace entry is covered by <see cref="NetworkNamespaceTests"/>.
/// </summary>
[TestFixture]
public sealed class NativeHealthCheckTests
{
    private static readonly ContainerDetails HostContainer = new() { Id = "host-task", UsesHostNetwork = true, Pid = 1 };

    private static ProbeRequest Network(ProbeKind kind, int port, string path = "/", TimeSpan? timeout = null, bool ipv6 = false) => new()
    {
        Kind = kind,
        Container = HostContainer,
        Containerizer = new Mock<IContainerizer>(MockBehavior.Strict).Object,
        Port = port,
        Path = path,
        IPv6 = ipv6,
        Timeout = timeout ?? TimeSpan.FromSeconds(10),
    };

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    // ---- TCP ----

    [Test]
    [CancelAfter(10_000)]
    public async Task ProbeAsync_TcpListening_Succeeds(CancellationToken cancellationToken)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var result = await new NativeHealthCheck().ProbeAsync(Network(ProbeKind.Tcp, ((IPEndPoint)listener.LocalEndpoint).Port), cancellationToken);

            Assert.That(result.Succeeded, Is.True, result.Message);
        }
        finally
        {
            listener.Stop();
        }
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task ProbeAsync_TcpNothingListening_FailsWithoutThrowing(CancellationToken cancellationToken)
    {
        var result = await new NativeHealthCheck().ProbeAsync(Network(ProbeKind.Tcp, FreePort()), cancellationToken);

        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.TimedOut, Is.False);
        Assert.That(result.Message, Does.Contain("ConnectionRefused"));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task ProbeAsync_TcpIPv6_ConnectsToIPv6Loopback(CancellationToken cancellationToken)
    {
        var listener = new TcpListener(IPAddress.IPv6Loopback, 0);
        listener.Start();
        try
        {
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;

            var v6 = await new NativeHealthCheck().ProbeAsync(Network(ProbeKind.Tcp, port, ipv6: true), cancellationToken);

            Assert.That(v6.Succeeded, Is.True, v6.Message);
        }
        finally
        {
            listener.Stop();
        }
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task ProbeAsync_NoPidWithoutHostNetwork_Fails(CancellationToken cancellationToken)
    {
        var request = Network(ProbeKind.Tcp, 80) with { Container = new ContainerDetails { Id = "c", Pid = 0 } };

        var result = await new NativeHealthCheck().ProbeAsync(request, cancellationToken);

        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.Message, Does.Contain("no process"));
    }

    // ---- HTTP ----

    [TestCase(200, true)]
    [TestCase(204, true)]
    [TestCase(399, true)]
    [TestCase(400, false)]
    [TestCase(503, false)]
    [CancelAfter(10_000)]
    public async Task ProbeAsync_HttpStatus_SucceedsFor200To399(int status, bool expected, CancellationToken cancellationToken)
    {
        await using var server = TestHttpServer.StartOnLoopback(_ => TestHttpServer.Status(status));

        var result = await new NativeHealthCheck().ProbeAsync(Network(ProbeKind.Http, server.Port, "/health?x=1"), cancellationToken);

        Assert.That(result.Succeeded, Is.EqualTo(expected), result.Message);
        Assert.That(result.StatusCode, Is.EqualTo(status));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task ProbeAsync_Http_SendsGetWithPathAndHost(CancellationToken cancellationToken)
    {
        await using var server = TestHttpServer.StartOnLoopback(_ => TestHttpServer.Status(200));

        await new NativeHealthCheck().ProbeAsync(Network(ProbeKind.Http, server.Port, "/status/ready?verbose=1"), cancellationToken);

        Assert.That(server.Requests.TryPeek(out var head), Is.True);
        Assert.That(head, Does.StartWith("GET /status/ready?verbose=1 HTTP/1.1\r\n"));
        Assert.That(head, Does.Contain($"\r\nHost: 127.0.0.1:{server.Port}\r\n"));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task ProbeAsync_HttpInterimResponse_UsesTheFinalStatus(CancellationToken cancellationToken)
    {
        await using var server = TestHttpServer.StartOnLoopback(_ => "HTTP/1.1 100 Continue\r\n\r\n" + TestHttpServer.Status(503));

        var result = await new NativeHealthCheck().ProbeAsync(Network(ProbeKind.Http, server.Port), cancellationToken);

        Assert.That(result.StatusCode, Is.EqualTo(503));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task ProbeAsync_HttpRedirects_AreFollowedOnLoopback(CancellationToken cancellationToken)
    {
        await using var other = TestHttpServer.StartOnLoopback(_ => TestHttpServer.Status(418));
        await using var server = TestHttpServer.StartOnLoopback(target => target switch
        {
            "/" => TestHttpServer.Status(302, "Location: /next\r\n"),
            "/next" => TestHttpServer.Status(301, $"Location: http://127.0.0.1:{other.Port}/elsewhere\r\n"),
            _ => TestHttpServer.Status(404),
        });

        var result = await new NativeHealthCheck().ProbeAsync(Network(ProbeKind.Http, server.Port), cancellationToken);

        Assert.That(result.StatusCode, Is.EqualTo(418));
        Assert.That(result.Succeeded, Is.False);
        Assert.That(server.Requests.Select(r => r.Split(' ')[1]), Is.EqualTo(new[] { "/", "/next" }));
        Assert.That(other.Requests.Single(), Does.StartWith("GET /elsewhere "));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task ProbeAsync_HttpRedirectLoop_FailsAfterTenRedirects(CancellationToken cancellationToken)
    {
        await using var server = TestHttpServer.StartOnLoopback(_ => TestHttpServer.Status(302, "Location: /again\r\n"));

        var result = await new NativeHealthCheck().ProbeAsync(Network(ProbeKind.Http, server.Port), cancellationToken);

        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.Message, Does.Contain("redirects"));
        Assert.That(server.Requests, Has.Count.EqualTo(11));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task ProbeAsync_HttpRedirectOffLoopback_ReportsTheRedirectStatus(CancellationToken cancellationToken)
    {
        await using var server = TestHttpServer.StartOnLoopback(_ => TestHttpServer.Status(307, "Location: http://login.example.com/\r\n"));

        var result = await new NativeHealthCheck().ProbeAsync(Network(ProbeKind.Http, server.Port), cancellationToken);

        Assert.That(result.StatusCode, Is.EqualTo(307));
        Assert.That(result.Succeeded, Is.True);
        Assert.That(server.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task ProbeAsync_HttpGarbageResponse_Fails(CancellationToken cancellationToken)
    {
        await using var server = TestHttpServer.StartOnLoopback(_ => "SSH-2.0-OpenSSH\r\n\r\n");

        var result = await new NativeHealthCheck().ProbeAsync(Network(ProbeKind.Http, server.Port), cancellationToken);

        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.StatusCode, Is.Null);
        Assert.That(result.Message, Does.Contain("not HTTP"));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task ProbeAsync_HttpNothingListening_FailsWithoutStatus(CancellationToken cancellationToken)
    {
        var result = await new NativeHealthCheck().ProbeAsync(Network(ProbeKind.Http, FreePort()), cancellationToken);

        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.StatusCode, Is.Null);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task ProbeAsync_HttpServerSilent_TimesOutOnTheProbeClock(CancellationToken cancellationToken)
    {
        var time = new FakeTimeProvider();
        await using var server = TestHttpServer.StartOnLoopback(_ => null);
        var probe = new NativeHealthCheck(null, time);

        var pending = probe.ProbeAsync(Network(ProbeKind.Http, server.Port, timeout: TimeSpan.FromSeconds(5)), cancellationToken);
        await server.RequestArrived.WaitAsync(cancellationToken);
        Assert.That(pending.IsCompleted, Is.False);
        time.Advance(TimeSpan.FromSeconds(5));
        var result = await pending;

        Assert.That(result.TimedOut, Is.True);
        Assert.That(result.Succeeded, Is.False);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task ProbeAsync_CallerCancels_Throws(CancellationToken cancellationToken)
    {
        await using var server = TestHttpServer.StartOnLoopback(_ => null);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        var pending = new NativeHealthCheck().ProbeAsync(Network(ProbeKind.Http, server.Port), cancel.Token);
        await server.RequestArrived.WaitAsync(cancellationToken);
        await cancel.CancelAsync();

        Assert.That(async () => await pending, Throws.InstanceOf<OperationCanceledException>());
    }

    // ---- HTTPS ----

    [Test]
    [CancelAfter(10_000)]
    public async Task ProbeAsync_HttpsSelfSigned_SucceedsWithoutVerification(CancellationToken cancellationToken)
    {
        using var certificate = TestHttpServer.SelfSignedCertificate();
        await using var server = TestHttpServer.StartOnLoopback(_ => TestHttpServer.Status(200), certificate);

        var result = await new NativeHealthCheck().ProbeAsync(Network(ProbeKind.Https, server.Port, "/secure"), cancellationToken);

        Assert.That(result.Succeeded, Is.True, result.Message);
        Assert.That(result.StatusCode, Is.EqualTo(200));
        Assert.That(server.Requests.Single(), Does.StartWith("GET /secure HTTP/1.1"));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task ProbeAsync_HttpsAgainstPlainHttp_Fails(CancellationToken cancellationToken)
    {
        // A plain server that answers at once, whatever it is sent.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var serve = Task.Run(
            async () =>
            {
                using var client = await listener.AcceptSocketAsync(cancellationToken);
                await client.SendAsync("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"u8.ToArray(), cancellationToken);
                client.Shutdown(SocketShutdown.Send);
            },
            cancellationToken);
        try
        {
            var result = await new NativeHealthCheck().ProbeAsync(Network(ProbeKind.Https, ((IPEndPoint)listener.LocalEndpoint).Port), cancellationToken);

            Assert.That(result.Succeeded, Is.False);
            Assert.That(result.StatusCode, Is.Null);
            Assert.That(result.TimedOut, Is.False);
        }
        finally
        {
            await serve;
            listener.Stop();
        }
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task ProbeAsync_HttpRedirectToHttps_SwitchesScheme(CancellationToken cancellationToken)
    {
        using var certificate = TestHttpServer.SelfSignedCertificate();
        await using var secure = TestHttpServer.StartOnLoopback(_ => TestHttpServer.Status(200), certificate);
        await using var plain = TestHttpServer.StartOnLoopback(_ => TestHttpServer.Status(308, $"Location: https://127.0.0.1:{secure.Port}/\r\n"));

        var result = await new NativeHealthCheck().ProbeAsync(Network(ProbeKind.Http, plain.Port), cancellationToken);

        Assert.That(result.StatusCode, Is.EqualTo(200), result.Message);
    }

    // ---- commands ----

    private static (Mock<IContainerizer> Containerizer, List<ExecRequest> Calls) Containerizer(Func<ExecRequest, CancellationToken, Task<ExecResult>> behaviour)
    {
        var calls = new List<ExecRequest>();
        var mock = new Mock<IContainerizer>(MockBehavior.Strict);
        mock.As<IContainerExec>().Setup(c => c.ExecAsync("c1", It.IsAny<ExecRequest>(), It.IsAny<CancellationToken>()))
            .Returns((string _, ExecRequest request, CancellationToken token) =>
            {
                calls.Add(request);
                return behaviour(request, token);
            });
        return (mock, calls);
    }

    private static ProbeRequest Command(IContainerizer containerizer, CommandInfo command, TimeSpan timeout) => new()
    {
        Kind = ProbeKind.Command,
        Container = new ContainerDetails { Id = "c1", Pid = 77 },
        Containerizer = containerizer,
        Command = command,
        Timeout = timeout,
    };

    [Test]
    [CancelAfter(10_000)]
    public async Task ProbeAsync_ShellCommand_RunsShWithEnvironmentUserAndTimeout(CancellationToken cancellationToken)
    {
        var (containerizer, calls) = Containerizer((_, _) => Task.FromResult(new ExecResult { ExitCode = 0 }));
        var command = new CommandInfo
        {
            Value = "test -f /ready && echo $A",
            User = "app",
            Environment = new Mesos.V1.Environment
            {
                Variables =
                {
                    new Mesos.V1.Environment.Types.Variable { Name = "A", Value = "1" },
                    new Mesos.V1.Environment.Types.Variable
                    {
                        Name = "S",
                        Type = Mesos.V1.Environment.Types.Variable.Types.Type.Secret,
                        Secret = new Secret { Type = Secret.Types.Type.Value, Value = new Secret.Types.Value { Data = Google.Protobuf.ByteString.CopyFromUtf8("s3") } },
                    },
                },
            },
        };

        var result = await new NativeHealthCheck().ProbeAsync(Command(containerizer.Object, command, TimeSpan.FromSeconds(3)), cancellationToken);

        Assert.That(result.Succeeded, Is.True);
        Assert.That(result.ExitCode, Is.Zero);
        var exec = calls.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exec.Arguments, Is.EqualTo(new[] { "/bin/sh", "-c", "test -f /ready && echo $A" }));
            Assert.That(exec.Environment, Is.EquivalentTo(new Dictionary<string, string> { ["A"] = "1", ["S"] = "s3" }));
            Assert.That(exec.User, Is.EqualTo("app"));
            Assert.That(exec.Timeout, Is.EqualTo(TimeSpan.FromSeconds(3)));
        }
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task ProbeAsync_ExecCommand_PassesValueThenArguments(CancellationToken cancellationToken)
    {
        var (containerizer, calls) = Containerizer((_, _) => Task.FromResult(new ExecResult { ExitCode = 3 }));
        var command = new CommandInfo { Shell = false, Value = "/usr/bin/check", Arguments = { "--fast", "x y" } };

        var result = await new NativeHealthCheck().ProbeAsync(Command(containerizer.Object, command, TimeSpan.Zero), cancellationToken);

        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.ExitCode, Is.EqualTo(3));
        var exec = calls.Single();
        Assert.That(exec.Arguments, Is.EqualTo(new[] { "/usr/bin/check", "--fast", "x y" }));
        Assert.That(exec.Environment, Is.Null);
        Assert.That(exec.User, Is.Null);
        Assert.That(exec.Timeout, Is.Null, "0 means no timeout");
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task ProbeAsync_CommandTimedOut_ReportsTimeout(CancellationToken cancellationToken)
    {
        var (containerizer, _) = Containerizer((_, _) => Task.FromResult(new ExecResult { ExitCode = 137, TimedOut = true }));

        var result = await new NativeHealthCheck().ProbeAsync(Command(containerizer.Object, new CommandInfo { Value = "sleep 5" }, TimeSpan.FromSeconds(1)), cancellationToken);

        Assert.That(result.TimedOut, Is.True);
        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.ExitCode, Is.Null);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task ProbeAsync_ContainerizerHangs_CancelsItAfterTheTimeout(CancellationToken cancellationToken)
    {
        var time = new FakeTimeProvider();
        var token = new TaskCompletionSource<CancellationToken>();
        var (containerizer, _) = Containerizer(async (_, ct) =>
        {
            token.SetResult(ct);
            await Task.Delay(Timeout.Infinite, ct);
            return new ExecResult { ExitCode = 0 };
        });

        var pending = new NativeHealthCheck(null, time).ProbeAsync(Command(containerizer.Object, new CommandInfo { Value = "x" }, TimeSpan.FromSeconds(2)), cancellationToken);
        var execToken = await token.Task;
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.That(execToken.IsCancellationRequested, Is.False, "the containerizer gets its own timeout first");
        time.Advance(TimeSpan.FromSeconds(1));
        var result = await pending;

        Assert.That(execToken.IsCancellationRequested, Is.True);
        Assert.That(result.TimedOut, Is.True);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task ProbeAsync_ContainerizerFails_ReportsFailure(CancellationToken cancellationToken)
    {
        var (containerizer, _) = Containerizer((_, _) => Task.FromException<ExecResult>(new ContainerizerException("container gone")));

        var result = await new NativeHealthCheck().ProbeAsync(Command(containerizer.Object, new CommandInfo { Value = "x" }, TimeSpan.Zero), cancellationToken);

        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.Message, Does.Contain("container gone"));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task ProbeAsync_ContainerizerCannotExec_FailsNamingTheMissingAbility(CancellationToken cancellationToken)
    {
        var containerizer = new Mock<IContainerizer>(MockBehavior.Strict);

        var result = await new NativeHealthCheck().ProbeAsync(Command(containerizer.Object, new CommandInfo { Value = "x" }, TimeSpan.Zero), cancellationToken);

        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.Message, Does.Contain(nameof(IContainerExec)));
        containerizer.VerifyNoOtherCalls();
    }
}
