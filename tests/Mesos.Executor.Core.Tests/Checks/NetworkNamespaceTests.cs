using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core.Checks;
using Moq;
using NUnit.Framework;

namespace Mesos.Executor.Core.Tests.Checks;

/// <summary>
/// Network probes entering a real network namespace (no Docker): a namespace made with
/// <c>ip netns add</c>, a process living in it (its pid stands for a container's init process),
/// and servers the test binds inside it through the same setns helper. Needs root.
/// </summary>
[TestFixture]
[Category("Privileged")]
[NonParallelizable]
public sealed class NetworkNamespaceTests
{
    private string _namespace = null!;
    private Process? _resident;
    private ContainerDetails _container = null!;
    private string _hostNamespace = null!;

    private string NamespacePath => "/run/netns/" + _namespace;

    [OneTimeSetUp]
    public async Task OneTimeSetUp()
    {
        RequireRoot();
        _hostNamespace = NetworkNamespace.Identify("/proc/self/ns/net");
        _namespace = "mxt-" + Guid.NewGuid().ToString("N")[..10];
        await RunAsync("ip", "netns", "add", _namespace);
        await RunAsync("ip", "-n", _namespace, "link", "set", "lo", "up");

        // `ip netns exec` enters the namespace and execs: the pid stays the same all the way to sleep.
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "netns", "exec", _namespace, "/bin/sh", "-c", "echo ready; exec sleep 300" })
        {
            start.ArgumentList.Add(argument);
        }

        _resident = Process.Start(start)!;
        string? line = await _resident.StandardOutput.ReadLineAsync();
        Assert.That(line, Is.EqualTo("ready"));
        _container = new ContainerDetails { Id = "netns-task", Pid = _resident.Id };
        Assert.That(NetworkNamespace.Identify(NetworkNamespace.PathOf(_resident.Id)), Is.Not.EqualTo(_hostNamespace));
    }

    [OneTimeTearDown]
    public async Task OneTimeTearDown()
    {
        if (_resident != null)
        {
            _resident.Kill(entireProcessTree: true);
            await _resident.WaitForExitAsync();
            _resident.Dispose();
        }

        if (_namespace != null && File.Exists(NamespacePath))
        {
            await RunAsync("ip", "netns", "delete", _namespace);
        }
    }

    private static void RequireRoot()
    {
        bool root = File.ReadLines("/proc/self/status").Any(l => l.StartsWith("Uid:", StringComparison.Ordinal) && l.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1] == "0");
        if (!root)
        {
            const string Problem = "network namespace tests need root (CAP_SYS_ADMIN)";
            if (string.Equals(System.Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail(Problem);
            }

            Assert.Ignore(Problem);
        }
    }

    private static async Task RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        string error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.That(process.ExitCode, Is.Zero, $"{program} {string.Join(' ', arguments)}: {error}");
    }

    /// <summary>Binds a listener on 127.0.0.1:<paramref name="port"/> inside the test namespace.</summary>
    private Task<TcpListener> ListenInsideAsync(int port, CancellationToken cancellationToken) =>
        NetworkNamespace.RunInNamespaceAsync(
            NamespacePath,
            () =>
            {
                var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return listener;
            },
            TimeProvider.System,
            cancellationToken);

    private ProbeRequest Request(ProbeKind kind, int port, ContainerDetails? container = null) => new()
    {
        Kind = kind,
        Container = container ?? _container,
        Containerizer = new Mock<IContainerizer>(MockBehavior.Strict).Object,
        Port = port,
        Timeout = TimeSpan.FromSeconds(10),
    };

    private static int FreeHostPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task ProbeAsync_TcpPortBoundOnlyInsideNamespace_SucceedsThroughThePid(CancellationToken cancellationToken)
    {
        int port = FreeHostPort();
        var inside = await ListenInsideAsync(port, cancellationToken);
        try
        {
            var probe = new NativeHealthCheck();

            var viaNamespace = await probe.ProbeAsync(Request(ProbeKind.Tcp, port), cancellationToken);
            var viaHost = await probe.ProbeAsync(Request(ProbeKind.Tcp, port, new ContainerDetails { Id = "h", UsesHostNetwork = true }), cancellationToken);

            Assert.That(viaNamespace.Succeeded, Is.True, viaNamespace.Message);
            Assert.That(viaHost.Succeeded, Is.False, "nothing listens on the host's loopback");
        }
        finally
        {
            inside.Stop();
        }
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task ProbeAsync_TcpPortBoundOnlyOnHost_FailsThroughThePid(CancellationToken cancellationToken)
    {
        var host = new TcpListener(IPAddress.Loopback, 0);
        host.Start();
        try
        {
            int port = ((IPEndPoint)host.LocalEndpoint).Port;

            var result = await new NativeHealthCheck().ProbeAsync(Request(ProbeKind.Tcp, port), cancellationToken);

            Assert.That(result.Succeeded, Is.False);
            Assert.That(result.Message, Does.Contain("ConnectionRefused"));
        }
        finally
        {
            host.Stop();
        }
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task ProbeAsync_HttpSamePortInBothNamespaces_ReachesTheNamespacesServer(CancellationToken cancellationToken)
    {
        await using var host = TestHttpServer.StartOnLoopback(_ => TestHttpServer.Status(500));
        await using var inside = new TestHttpServer(await ListenInsideAsync(host.Port, cancellationToken), _ => TestHttpServer.Status(200));
        var probe = new NativeHealthCheck();

        var viaNamespace = await probe.ProbeAsync(Request(ProbeKind.Http, host.Port), cancellationToken);
        var viaHost = await probe.ProbeAsync(Request(ProbeKind.Http, host.Port, new ContainerDetails { Id = "h", UsesHostNetwork = true }), cancellationToken);

        Assert.That(viaNamespace.StatusCode, Is.EqualTo(200), viaNamespace.Message);
        Assert.That(viaNamespace.Succeeded, Is.True);
        Assert.That(viaHost.StatusCode, Is.EqualTo(500));
        Assert.That(inside.Requests, Has.Count.EqualTo(1));
        Assert.That(host.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task ProbeAsync_HttpsInsideNamespace_Succeeds(CancellationToken cancellationToken)
    {
        using var certificate = TestHttpServer.SelfSignedCertificate();
        await using var inside = new TestHttpServer(await ListenInsideAsync(FreeHostPort(), cancellationToken), _ => TestHttpServer.Status(204), certificate);

        var result = await new NativeHealthCheck().ProbeAsync(Request(ProbeKind.Https, inside.Port), cancellationToken);

        Assert.That(result.StatusCode, Is.EqualTo(204), result.Message);
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task ProbeAsync_ManyConcurrentProbes_LeaveEveryThreadInTheHostNamespace(CancellationToken cancellationToken)
    {
        string before = NetworkNamespace.Identify(NetworkNamespace.ThreadSelfPath);
        int threadsBefore = NamespaceThreads();
        await using var inside = new TestHttpServer(await ListenInsideAsync(FreeHostPort(), cancellationToken), _ => TestHttpServer.Status(200));
        var probe = new NativeHealthCheck();

        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(i =>
            Task.Run(() => probe.ProbeAsync(Request(i % 2 == 0 ? ProbeKind.Http : ProbeKind.Tcp, inside.Port), cancellationToken), cancellationToken)));

        // Where did the pool threads end up? Ask several of them, then look at every thread of the process.
        var poolNamespaces = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(() => NetworkNamespace.Identify(NetworkNamespace.ThreadSelfPath), cancellationToken)));
        var threadNamespaces = Directory.GetDirectories("/proc/self/task")
            .Select(task => { try { return NetworkNamespace.Identify(Path.Combine(task, "ns/net")); } catch (IOException) { return _hostNamespace; } })
            .ToList();

        Assert.That(results.All(r => r.Succeeded), Is.True, string.Join("; ", results.Select(r => r.Message)));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(NamespaceThreads(), Is.LessThanOrEqualTo(threadsBefore + 1), "one dedicated thread serves all probes");
            Assert.That(NetworkNamespace.Identify(NetworkNamespace.ThreadSelfPath), Is.EqualTo(before).And.EqualTo(_hostNamespace));
            Assert.That(poolNamespaces, Is.All.EqualTo(_hostNamespace));
            Assert.That(threadNamespaces, Is.All.EqualTo(_hostNamespace));
        }
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task CreateAsync_Idle_TheDedicatedThreadExitsAndComesBack(CancellationToken cancellationToken)
    {
        // Other factories' threads (earlier tests) may come and go; only this one's matters.
        var factory = new NamespaceSocketFactory(TimeProvider.System, idleTimeout: TimeSpan.FromMilliseconds(500));
        int before = NamespaceThreads();

        using (var first = await factory.CreateAsync(NamespacePath, AddressFamily.InterNetwork, cancellationToken))
        {
            Assert.That(NamespaceThreads(), Is.GreaterThanOrEqualTo(1));
        }

        while (NamespaceThreads() > before)
        {
            // The thread's own idle wait (real time) ends it; nothing else can be awaited.
            await Task.Delay(20, cancellationToken);
        }

        using var second = await factory.CreateAsync(NamespacePath, AddressFamily.InterNetwork, cancellationToken);
        Assert.That(second.AddressFamily, Is.EqualTo(AddressFamily.InterNetwork));
    }

    /// <summary>Threads of this process named like the factory's (Linux shows .NET thread names in comm).</summary>
    private static int NamespaceThreads() =>
        Directory.GetDirectories("/proc/self/task").Count(task =>
        {
            try
            {
                return File.ReadAllText(Path.Combine(task, "comm")).Trim() == "mesos-netns";
            }
            catch (IOException)
            {
                return false;
            }
        });

    [Test]
    [CancelAfter(20_000)]
    public async Task ProbeAsync_ProcessGone_FailsWithoutThrowing(CancellationToken cancellationToken)
    {
        var gone = new ContainerDetails { Id = "gone", Pid = int.MaxValue - 1 };

        var result = await new NativeHealthCheck().ProbeAsync(Request(ProbeKind.Tcp, 80, gone), cancellationToken);

        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.Message, Does.Contain("/proc/2147483646/ns/net"));
    }

    [Test]
    [CancelAfter(20_000)]
    public void CreateAsync_NotANamespace_ThrowsIOException(CancellationToken cancellationToken)
    {
        Assert.That(
            async () => await new NamespaceSocketFactory(TimeProvider.System).CreateAsync("/etc/hostname", AddressFamily.InterNetwork, cancellationToken),
            Throws.InstanceOf<IOException>().With.Message.Contains("setns"));
    }
}
