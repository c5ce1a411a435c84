using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.Executor.Core.Checks;
using Mesos.Executor.Docker;
using Mesos.Executor.TestSupport;
using Mesos.V1;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;
using DockerNetwork = Mesos.V1.ContainerInfo.Types.DockerInfo.Types.Network;

namespace Mesos.Executor.Integration.Tests.Checks;

/// <summary>
/// Health checks and checks against real busybox containers run by <see cref="DockerContainerizer"/>:
/// network probes enter the container's network namespace (ports are never published), command
/// probes run through <c>docker exec</c>. Real time with short intervals.
/// </summary>
[TestFixture]
[Category("Docker")]
[Category("Privileged")]
[NonParallelizable]
public sealed class DockerCheckTests
{
    private DockerContainerizer _containerizer = null!;

    [SetUp]
    public async Task SetUp()
    {
        await DockerTestEnvironment.RequireEngineAsync();
        _containerizer = new DockerContainerizer(new DockerContainerizerOptions
        {
            ExtraLabels = new Dictionary<string, string>(DockerTestEnvironment.RunLabels),
        });
    }

    [TearDown]
    public async Task TearDown()
    {
        if (_containerizer != null)
        {
            await _containerizer.DisposeAsync();
        }

        await DockerTestEnvironment.CleanupAsync();
    }

    private async Task<ContainerDetails> RunContainerAsync(string shellCommand, DockerNetwork network, CancellationToken cancellationToken)
    {
        var task = new TaskInfo
        {
            Name = "check-test",
            TaskId = new TaskID { Value = "check-" + Guid.NewGuid().ToString("N")[..8] },
            AgentId = new AgentID { Value = "agent-1" },
            Container = new ContainerInfo
            {
                Type = ContainerInfo.Types.Type.Docker,
                Docker = new ContainerInfo.Types.DockerInfo { Image = DockerTestEnvironment.TestImage, Network = network },
            },
            Command = new CommandInfo { Value = shellCommand, Shell = true },
        };
        var spec = new ContainerSpec
        {
            Task = task,
            Framework = new FrameworkInfo { Name = "framework", User = "root", Id = new FrameworkID { Value = "framework-1" } },
            Executor = new ExecutorInfo { ExecutorId = new ExecutorID { Value = "executor-1" }, FrameworkId = new FrameworkID { Value = "framework-1" } },
        };
        foreach (var (key, value) in DockerTestEnvironment.RunLabels)
        {
            spec.Labels[key] = value;
        }

        string id = await _containerizer.CreateAsync(spec, cancellationToken);
        await _containerizer.StartAsync(id, cancellationToken);
        var details = await _containerizer.InspectAsync(id, cancellationToken);
        Assert.That(details.Pid, Is.GreaterThan(0));
        return details;
    }

    private ProbeRequest Request(ContainerDetails container, ProbeKind kind, int port = 0, string path = "/", CommandInfo? command = null, double timeoutSeconds = 5) => new()
    {
        Kind = kind,
        Container = container,
        Containerizer = _containerizer,
        Port = port,
        Path = path,
        Command = command,
        Timeout = TimeSpan.FromSeconds(timeoutSeconds),
    };

    /// <summary>Probes until <paramref name="done"/> holds (a server in a fresh container needs a moment to listen).</summary>
    private static async Task<ProbeResult> ProbeUntilAsync(IHealthCheck probe, ProbeRequest request, Func<ProbeResult, bool> done, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await probe.ProbeAsync(request, cancellationToken);
            if (done(result))
            {
                return result;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
        }
    }

    private TaskCheckRunner Runner(TaskInfo task, ContainerDetails container, Channel<CheckNotification> notifications) =>
        new(task, container, _containerizer, new NativeHealthCheck(), TimeProvider.System, NullLogger.Instance, (n, ct) => notifications.Writer.WriteAsync(n, ct));

    private static TaskInfo CheckedTask(HealthCheck? healthCheck = null, CheckInfo? check = null) => new()
    {
        Name = "t",
        TaskId = new TaskID { Value = "checked-task" },
        AgentId = new AgentID { Value = "agent-1" },
        HealthCheck = healthCheck,
        Check = check,
    };

    // ---- HTTP ----

    [Test]
    [CancelAfter(60_000)]
    public async Task HttpHealthCheck_BusyboxHttpdInBridgeMode_HealthyThenKilledAfterConsecutiveFailures(CancellationToken cancellationToken)
    {
        // The port is not published: only a probe inside the container's namespace can reach httpd.
        var container = await RunContainerAsync("httpd -f -p 8080 -h /var/www", DockerNetwork.Bridge, cancellationToken);
        Assert.That(container.UsesHostNetwork, Is.False);
        Assert.That(container.PublishedPorts, Is.Empty);
        var healthCheck = new HealthCheck
        {
            Type = HealthCheck.Types.Type.Http,
            Http = new HealthCheck.Types.HTTPCheckInfo { Port = 8080, Path = "/index.html" },
            DelaySeconds = 0,
            IntervalSeconds = 0.2,
            TimeoutSeconds = 2,
            GracePeriodSeconds = 20,
            ConsecutiveFailures = 3,
        };
        var notifications = Channel.CreateUnbounded<CheckNotification>();
        await using var runner = Runner(CheckedTask(healthCheck), container, notifications);

        runner.Start();
        var healthy = (HealthNotification)await notifications.Reader.ReadAsync(cancellationToken);
        Assert.That(healthy.Healthy, Is.True);

        // Make it unhealthy: httpd now answers 404.
        var removed = await _containerizer.ExecAsync(container.Id, new ExecRequest { Arguments = ["rm", "/var/www/index.html"] }, cancellationToken);
        Assert.That(removed.ExitCode, Is.Zero);
        var failures = new List<HealthNotification>();
        for (int i = 0; i < 3; i++)
        {
            failures.Add((HealthNotification)await notifications.Reader.ReadAsync(cancellationToken));
        }

        Assert.That(failures.ConvertAll(f => (f.Healthy, f.ConsecutiveFailures, f.KillTask)), Is.EqualTo(new[] { (false, 1, false), (false, 2, false), (false, 3, true) }));
        Assert.That(failures[2].Message, Does.Contain("404"));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task HttpCheck_BusyboxHttpd_ReportsStatusCodeChanges(CancellationToken cancellationToken)
    {
        var container = await RunContainerAsync("httpd -f -p 8080 -h /var/www", DockerNetwork.Bridge, cancellationToken);
        await ProbeUntilAsync(new NativeHealthCheck(), Request(container, ProbeKind.Tcp, 8080), r => r.Succeeded, cancellationToken);
        var check = new CheckInfo
        {
            Type = CheckInfo.Types.Type.Http,
            Http = new CheckInfo.Types.Http { Port = 8080, Path = "/index.html" },
            DelaySeconds = 0,
            IntervalSeconds = 0.2,
            TimeoutSeconds = 2,
        };
        var notifications = Channel.CreateUnbounded<CheckNotification>();
        await using var runner = Runner(CheckedTask(check: check), container, notifications);

        runner.Start();
        var first = (CheckStatusNotification)await notifications.Reader.ReadAsync(cancellationToken);
        await _containerizer.ExecAsync(container.Id, new ExecRequest { Arguments = ["rm", "/var/www/index.html"] }, cancellationToken);
        var second = (CheckStatusNotification)await notifications.Reader.ReadAsync(cancellationToken);

        Assert.That(first.Status.Http.StatusCode, Is.EqualTo(200));
        Assert.That(second.Status.Http.StatusCode, Is.EqualTo(404));
        Assert.That(notifications.Reader.TryRead(out _), Is.False, "repeated 404s are not notified");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task HttpProbe_HostNetworkContainer_UsesTheHostLoopback(CancellationToken cancellationToken)
    {
        int port = FreeHostPort();
        var container = await RunContainerAsync($"httpd -f -p 127.0.0.1:{port} -h /var/www", DockerNetwork.Host, cancellationToken);
        Assert.That(container.UsesHostNetwork, Is.True);

        var result = await ProbeUntilAsync(new NativeHealthCheck(), Request(container, ProbeKind.Http, port, "/index.html"), r => r.StatusCode != null, cancellationToken);

        Assert.That(result.StatusCode, Is.EqualTo(200));
        Assert.That(result.Succeeded, Is.True);
    }

    // ---- HTTPS ----

    [Test]
    [CancelAfter(60_000)]
    public async Task HttpsHealthCheck_TlsServerInsideTheContainersNamespace_IsHealthy(CancellationToken cancellationToken)
    {
        var container = await RunContainerAsync("exec sleep 300", DockerNetwork.Bridge, cancellationToken);
        // busybox has no TLS server: the test binds one inside the container's network namespace.
        var listener = await NetworkNamespace.RunInNamespaceAsync(
            NetworkNamespace.PathOf(container.Pid),
            () =>
            {
                var l = new TcpListener(IPAddress.Loopback, 8443);
                l.Start();
                return l;
            },
            TimeProvider.System,
            cancellationToken);
        await using var server = new TlsTestServer(listener, 200);
        var healthCheck = new HealthCheck
        {
            Type = HealthCheck.Types.Type.Http,
            Http = new HealthCheck.Types.HTTPCheckInfo { Port = 8443, Scheme = "https", Path = "/health" },
            DelaySeconds = 0,
            IntervalSeconds = 0.2,
            GracePeriodSeconds = 0,
        };
        var notifications = Channel.CreateUnbounded<CheckNotification>();
        await using var runner = Runner(CheckedTask(healthCheck), container, notifications);

        runner.Start();
        var healthy = (HealthNotification)await notifications.Reader.ReadAsync(cancellationToken);

        Assert.That(healthy.Healthy, Is.True, healthy.Message);
        Assert.That(server.Requests, Is.GreaterThanOrEqualTo(1));
        var viaHost = await new NativeHealthCheck().ProbeAsync(Request(container with { UsesHostNetwork = true }, ProbeKind.Https, 8443), cancellationToken);
        Assert.That(viaHost.Succeeded, Is.False, "the server is not on the host's loopback");
    }

    // ---- TCP ----

    [Test]
    [CancelAfter(60_000)]
    public async Task TcpProbe_NetcatInBridgeMode_SucceedsThenFailsWhenItStops(CancellationToken cancellationToken)
    {
        var container = await RunContainerAsync("nc -ll -p 9000 -e /bin/true & exec sleep 300", DockerNetwork.Bridge, cancellationToken);
        var probe = new NativeHealthCheck();

        var up = await ProbeUntilAsync(probe, Request(container, ProbeKind.Tcp, 9000), r => r.Succeeded, cancellationToken);
        var killed = await _containerizer.ExecAsync(container.Id, new ExecRequest { Arguments = ["killall", "nc"] }, cancellationToken);
        var down = await ProbeUntilAsync(probe, Request(container, ProbeKind.Tcp, 9000), r => !r.Succeeded, cancellationToken);

        Assert.That(up.Succeeded, Is.True);
        Assert.That(killed.ExitCode, Is.Zero);
        Assert.That(down.Message, Does.Contain("ConnectionRefused"));
    }

    // ---- COMMAND ----

    [Test]
    [CancelAfter(60_000)]
    public async Task CommandProbe_TrueFalseAndSlow_ReportExitCodesAndTimeout(CancellationToken cancellationToken)
    {
        var container = await RunContainerAsync("exec sleep 300", DockerNetwork.Bridge, cancellationToken);
        var probe = new NativeHealthCheck();

        var passed = await probe.ProbeAsync(Request(container, ProbeKind.Command, command: new CommandInfo { Value = "true" }), cancellationToken);
        var failed = await probe.ProbeAsync(Request(container, ProbeKind.Command, command: new CommandInfo { Shell = false, Value = "false" }), cancellationToken);
        var withEnvironment = await probe.ProbeAsync(
            Request(container, ProbeKind.Command, command: new CommandInfo
            {
                Value = "test \"$CHECK_VALUE\" = expected",
                Environment = new Mesos.V1.Environment { Variables = { new Mesos.V1.Environment.Types.Variable { Name = "CHECK_VALUE", Value = "expected" } } },
            }),
            cancellationToken);
        long started = TimeProvider.System.GetTimestamp();
        var slow = await probe.ProbeAsync(Request(container, ProbeKind.Command, command: new CommandInfo { Value = "sleep 5" }, timeoutSeconds: 1), cancellationToken);
        var elapsed = TimeProvider.System.GetElapsedTime(started);
        var leftovers = await _containerizer.ExecAsync(container.Id, new ExecRequest { Arguments = ["sh", "-c", "ps | grep -v grep | grep -c 'sleep 5'"] }, cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(passed.Succeeded, Is.True, passed.Message);
            Assert.That(passed.ExitCode, Is.Zero);
            Assert.That(failed.Succeeded, Is.False);
            Assert.That(failed.ExitCode, Is.EqualTo(1));
            Assert.That(withEnvironment.ExitCode, Is.Zero, "the check's environment reaches the command");
            Assert.That(slow.TimedOut, Is.True);
            Assert.That(elapsed, Is.LessThan(TimeSpan.FromSeconds(4)));
            Assert.That(leftovers.ExitCode, Is.EqualTo(1), "the timed-out command was killed (grep -c found nothing)");
        }
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task CommandCheck_ThroughTheRunner_ReportsExitCode(CancellationToken cancellationToken)
    {
        var container = await RunContainerAsync("exec sleep 300", DockerNetwork.Bridge, cancellationToken);
        var check = new CheckInfo
        {
            Type = CheckInfo.Types.Type.Command,
            Command = new CheckInfo.Types.Command { Command_ = new CommandInfo { Value = "exit 3" } },
            DelaySeconds = 0,
            IntervalSeconds = 0.2,
        };
        var notifications = Channel.CreateUnbounded<CheckNotification>();
        await using var runner = Runner(CheckedTask(check: check), container, notifications);

        runner.Start();
        var status = (CheckStatusNotification)await notifications.Reader.ReadAsync(cancellationToken);

        Assert.That(status.Status.Type, Is.EqualTo(CheckInfo.Types.Type.Command));
        Assert.That(status.Status.Command.ExitCode, Is.EqualTo(3));
    }

    private static int FreeHostPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
