#nullable disable warnings
using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet;
using Docker.DotNet.Models;
using Mesos.Executor.Core;
using Mesos.Executor.Docker.Tests.Support;
using Mesos.Executor.TestSupport;
using Mesos.V1;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using NUnit.Framework;
using NUnit.Framework.Constraints;
using Network = Mesos.V1.ContainerInfo.Types.DockerInfo.Types.Network;
using PortMapping = Mesos.V1.ContainerInfo.Types.DockerInfo.Types.PortMapping;

namespace Mesos.Executor.Docker.Tests;

/// <summary>
/// The containerizer's own Engine API client against the real engine, read back with an
/// independent client (Docker.DotNet): every JSON name the create request uses must reach the
/// engine, so a misspelt field (silently ignored by the engine) fails here.
/// </summary>
[TestFixture(TestEngine.Docker)]
[TestFixture(TestEngine.Podman, Category = "Podman")]
[Category("Docker")]
public sealed class EngineWireFormatTests
{
    private readonly EngineUnderTest _engine;
    private DockerContainerizer _containerizer;
    private DockerClient _client;

    public EngineWireFormatTests(TestEngine engine) => _engine = DockerTestEnvironment.For(engine);

    [OneTimeSetUp]
    public async Task OneTimeSetUp()
    {
        await _engine.RequireAsync();
        _containerizer = new DockerContainerizer(DockerContainerizerTests.Options(_engine));
        _client = _engine.CreateClient();
    }

    [OneTimeTearDown]
    public async Task OneTimeTearDown()
    {
        if (_containerizer != null)
        {
            await _containerizer.DisposeAsync();
        }

        _client?.Dispose();
        await DockerTestCleanup.CleanupAsync(_engine);
        DockerTestCleanup.DeleteSandboxes();
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task FirstCall_Ping_TellsTheEngineAndNegotiatesItsApiVersion(CancellationToken cancellationToken)
    {
        using var logs = new FakeLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        await using var containerizer = new DockerContainerizer(DockerContainerizerTests.Options(_engine), loggerFactory);

        await containerizer.CreateAsync(TestTasks.Spec(TestTasks.Task("true")), cancellationToken);

        var records = logs.Collector.GetSnapshot();
        Assert.Multiple(() =>
        {
            // Podman 4.3 answers API-Version 1.41 (and its own Libpod-API-Version 4.3.1).
            Assert.That(records.Count(r => r.Id.Name == "DockerEngineIsPodman"), Is.EqualTo(_engine.IsPodman ? 1 : 0));
            Assert.That(records.Single(r => r.Id.Name == "DockerApiVersionNegotiated").Message, Does.Match(@"speaks API 1\.[0-9]+; using 1\.[0-9]+$"));
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Create_ConfigAndHostConfigFields_ReachTheEngine(CancellationToken cancellationToken)
    {
        var task = TestTasks.Task("sleep 30", Network.Bridge);
        task.Resources.Add(TestTasks.Scalar("cpus", 0.5));
        task.Resources.Add(TestTasks.Scalar("mem", 64));
        task.Resources.Add(TestTasks.Ports(31000, 31000));
        task.Container.Docker.PortMappings.Add(new PortMapping { HostPort = 31000, ContainerPort = 8080, Protocol = "tcp" });
        foreach (var (key, value) in new[]
        {
            ("dns", "10.0.0.53"), ("dns-search", "example.org"), ("dns-option", "ndots:2"), ("add-host", "db:10.0.0.7"),
            ("cap-add", "NET_ADMIN"), ("cap-drop", "MKNOD"), ("security-opt", "no-new-privileges"), ("group-add", "audio"),
            ("sysctl", "net.ipv4.ip_unprivileged_port_start=1024"), ("ulimit", "nofile=1024:2048"), ("log-opt", "max-size=1m"),
            ("cpu-period", "100000"), ("cpu-quota", "50000"), ("memory-reservation", "32m"), ("oom-score-adj", "100"),
            ("pids-limit", "64"), ("shm-size", "16m"), ("tmpfs", "/scratch:size=1m"), ("read-only", "true"), ("init", "true"),
            ("user", "1000:1000"), ("workdir", "/tmp"), ("hostname", "wired"), ("domainname", "example.org"),
            ("entrypoint", "/bin/sh"), ("stop-signal", "SIGUSR1"), ("stop-timeout", "7"), ("expose", "9000/udp"),
            ("no-healthcheck", "true"), ("volume", "/data"), ("mount", "type=tmpfs,target=/fast,tmpfs-size=2m"),
            ("device", "/dev/null:/dev/xnull:r"), ("device-cgroup-rule", "c 1:3 mr"), ("cpuset-cpus", "0"),
            ("label", "wire=yes"), ("network-alias", "wired-alias"),
        })
        {
            task.Container.Docker.Parameters.Add(TestTasks.Parameter(key, value));
        }

        string id = await _containerizer.CreateAsync(TestTasks.Spec(task, DockerTestCleanup.NewSandbox()), cancellationToken);
        var inspect = await _client.Containers.InspectContainerAsync(id, cancellationToken);
        var config = inspect.Config;
        var host = inspect.HostConfig;
        bool docker = !_engine.IsPodman;
        Assert.Multiple(() =>
        {
            // Podman 4.3's inspect leaves out what it does not echo (Sysctls, LogConfig.Config,
            // DeviceCgroupRules, Config.Volumes, Domainname, device permissions: asserted on Docker
            // only) and shows some fields its own way: RLIMIT_ names, tmpfs mounts under Tmpfs with
            // its default options, the stop signal as a number, the image as localhost/....
            Assert.That(host.DNS, Is.EqualTo(new[] { "10.0.0.53" }), "Dns");
            Assert.That(host.DNSSearch, Is.EqualTo(new[] { "example.org" }), "DnsSearch");
            Assert.That(host.DNSOptions, Is.EqualTo(new[] { "ndots:2" }), "DnsOptions");
            Assert.That(host.ExtraHosts, Does.Contain("db:10.0.0.7"), "ExtraHosts");
            Assert.That(host.CapAdd, Does.Contain("NET_ADMIN"), "CapAdd");
            Assert.That(host.CapDrop, Does.Contain("MKNOD"), "CapDrop");
            Assert.That(host.SecurityOpt, Does.Contain("no-new-privileges"), "SecurityOpt");
            Assert.That(host.GroupAdd, Does.Contain("audio"), "GroupAdd");
            if (docker) Assert.That(host.Sysctls ?? new Dictionary<string, string>(), Does.ContainKey("net.ipv4.ip_unprivileged_port_start").WithValue("1024"), "Sysctls");
            Assert.That((host.Ulimits ?? []).Select(u => $"{u.Name}={u.Soft}:{u.Hard}"), Does.Contain(docker ? "nofile=1024:2048" : "RLIMIT_NOFILE=1024:2048"), "Ulimits");
            if (docker) Assert.That(host.LogConfig?.Config ?? new Dictionary<string, string>(), Does.ContainKey("max-size").WithValue("1m"), "LogConfig.Config");
            Assert.That(host.CPUPeriod, Is.EqualTo(100000), "CpuPeriod");
            Assert.That(host.CPUQuota, Is.EqualTo(50000), "CpuQuota");
            Assert.That(host.CPUShares, Is.EqualTo(512), "CpuShares (cpus resource)");
            Assert.That(host.Memory, Is.EqualTo(64L * 1024 * 1024), "Memory (mem resource)");
            Assert.That(host.MemorySwap, Is.EqualTo(2 * 64L * 1024 * 1024), "MemorySwap not sent, as in Mesos: the engine then allows as much swap again as memory");
            Assert.That(host.MemoryReservation, Is.EqualTo(32L * 1024 * 1024), "MemoryReservation");
            Assert.That(host.OomScoreAdj, Is.EqualTo(100), "OomScoreAdj");
            Assert.That(host.PidsLimit, Is.EqualTo(64), "PidsLimit");
            Assert.That(host.ShmSize, Is.EqualTo(16L * 1024 * 1024), "ShmSize");
            Assert.That(TmpfsOptions(host, "/scratch"), docker ? Is.EqualTo("size=1m") : (IResolveConstraint)Does.StartWith("size=1m,"), "Tmpfs");
            Assert.That(host.ReadonlyRootfs, Is.True, "ReadonlyRootfs");
            Assert.That(host.Init, Is.True, "Init");
            Assert.That(docker ? host.Mounts?.SingleOrDefault()?.Target : host.Tmpfs?.Keys.SingleOrDefault(k => k == "/fast"), Is.EqualTo("/fast"), "Mounts");
            if (docker) Assert.That(host.Mounts?.SingleOrDefault()?.TmpfsOptions?.SizeBytes, Is.EqualTo(2L * 1024 * 1024), "Mounts.TmpfsOptions");
            else Assert.That(TmpfsOptions(host, "/fast"), Does.StartWith("size=2097152,"), "Mounts.TmpfsOptions");
            Assert.That(host.Devices?.SingleOrDefault()?.PathInContainer, Is.EqualTo("/dev/xnull"), "Devices");
            if (docker) Assert.That(host.Devices?.SingleOrDefault()?.CgroupPermissions, Is.EqualTo("r"), "Devices.CgroupPermissions");
            if (docker) Assert.That(host.DeviceCgroupRules ?? [], Does.Contain("c 1:3 mr"), "DeviceCgroupRules");
            Assert.That(host.CpusetCpus, Is.EqualTo("0"), "CpusetCpus");
            Assert.That(host.NetworkMode, Is.EqualTo("bridge"), "NetworkMode");
            Assert.That(host.PortBindings != null && host.PortBindings.TryGetValue("8080/tcp", out var binding) ? binding.SingleOrDefault()?.HostPort : null, Is.EqualTo("31000"), "PortBindings");
            Assert.That(config.User, Is.EqualTo("1000:1000"), "User");
            Assert.That(config.WorkingDir, Is.EqualTo("/tmp"), "WorkingDir");
            Assert.That(config.Hostname, Is.EqualTo("wired"), "Hostname");
            if (docker) Assert.That(config.Domainname, Is.EqualTo("example.org"), "Domainname");
            Assert.That(config.Entrypoint, Is.EqualTo(new[] { "/bin/sh" }), "Entrypoint");
            Assert.That(config.StopSignal, Is.EqualTo(docker ? "SIGUSR1" : "10"), "StopSignal");
            Assert.That(config.StopTimeout, Is.EqualTo(TimeSpan.FromSeconds(7)), "StopTimeout (seconds on the wire)");
            Assert.That(config.ExposedPorts?.Keys ?? [], Does.Contain("9000/udp").And.Contain("8080/tcp"), "ExposedPorts");
            Assert.That(config.Healthcheck?.Test, Is.EqualTo(new[] { "NONE" }), "Healthcheck");
            if (docker) Assert.That(config.Volumes?.Keys ?? [], Does.Contain("/data"), "Volumes");
            Assert.That(config.Labels, Does.ContainKey("wire").WithValue("yes"), "Labels");
            Assert.That(config.Image, Is.EqualTo(docker ? TestTasks.Image : "localhost/" + TestTasks.Image), "Image");
            Assert.That(config.Cmd, Is.EqualTo(new[] { "-c", "sleep 30" }), "Cmd");
            Assert.That(inspect.Name, Does.StartWith("/"), "name query parameter");
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Create_NanoCpusAndPublishedHostIp_ReachTheEngine(CancellationToken cancellationToken)
    {
        var task = TestTasks.Task("sleep 30", Network.Bridge);
        task.Container.Docker.Parameters.Add(TestTasks.Parameter("cpus", "0.25"));
        task.Container.Docker.Parameters.Add(TestTasks.Parameter("publish", "127.0.0.1:31001:80/udp"));
        task.Container.Docker.Parameters.Add(TestTasks.Parameter("memory-swap", "-1"));
        task.Container.Docker.Parameters.Add(TestTasks.Parameter("env", "WIRE=1"));

        string id = await _containerizer.CreateAsync(TestTasks.Spec(task, DockerTestCleanup.NewSandbox()), cancellationToken);
        var inspect = await _client.Containers.InspectContainerAsync(id, cancellationToken);
        Assert.Multiple(() =>
        {
            Assert.That(inspect.HostConfig.NanoCPUs, Is.EqualTo(250_000_000), "NanoCpus");
            Assert.That(inspect.HostConfig.PortBindings["80/udp"].Single().HostIP, Is.EqualTo("127.0.0.1"), "PortBindings.HostIp");
            Assert.That(inspect.HostConfig.PortBindings["80/udp"].Single().HostPort, Is.EqualTo("31001"), "PortBindings.HostPort");
            if (!_engine.IsPodman)
            {
                // Podman 4.3's inspect shows 0 for an unlimited swap.
                Assert.That(inspect.HostConfig.MemorySwap, Is.EqualTo(-1), "MemorySwap");
            }
            else
            {
                Assert.That(inspect.HostConfig.MemorySwap, Is.EqualTo(0), "MemorySwap");
            }
            Assert.That(inspect.Config.Env, Does.Contain("WIRE=1"), "Env");
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Exec_EnvironmentAndUser_ReachTheEngine(CancellationToken cancellationToken)
    {
        var task = TestTasks.Task("sleep 30");
        string id = await _containerizer.CreateAsync(TestTasks.Spec(task, DockerTestCleanup.NewSandbox()), cancellationToken);
        await _containerizer.StartAsync(id, cancellationToken);

        var ok = await _containerizer.ExecAsync(
            id,
            new ExecRequest
            {
                Arguments = ["sh", "-c", "test \"$WIRE\" = yes && test \"$(id -u)\" = 1234"],
                Environment = new Dictionary<string, string> { ["WIRE"] = "yes" },
                User = "1234",
            },
            cancellationToken);
        var wrong = await _containerizer.ExecAsync(
            id,
            new ExecRequest { Arguments = ["sh", "-c", "test \"$WIRE\" = no"], Environment = new Dictionary<string, string> { ["WIRE"] = "yes" } },
            cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(ok.ExitCode, Is.Zero);
            Assert.That(wrong.ExitCode, Is.EqualTo(1));
        });
    }

    private static string TmpfsOptions(HostConfig host, string path) =>
        host.Tmpfs != null && host.Tmpfs.TryGetValue(path, out string options) ? options : null;
}
