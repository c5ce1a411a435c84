#nullable disable warnings

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet.Models;
using Mesos.Executor.Core;
using Mesos.Executor.Docker.Tests.Support;
using Mesos.Executor.TestSupport;
using Mesos.V1;
using NUnit.Framework;
using ContainerSpec = Mesos.Executor.Core.ContainerSpec;
using Network = Mesos.V1.ContainerInfo.Types.DockerInfo.Types.Network;
using PortMapping = Mesos.V1.ContainerInfo.Types.DockerInfo.Types.PortMapping;
using Volume = Mesos.V1.Volume;

namespace Mesos.Executor.Docker.Tests;

/// <summary>
/// The containerizer against the real engine: one test per mapping, read back from inside the
/// container or with inspect, plus the lifecycle (exit codes, OOM, stop grace, exec, logs, pulls).
/// </summary>
[TestFixture(TestEngine.Docker)]
[TestFixture(TestEngine.Podman, Category = "Podman")]
[Category("Docker")]
public sealed class DockerContainerizerTests
{
    private readonly EngineUnderTest _engine;
    private readonly CapturedOutput _stdout = new();
    private readonly CapturedOutput _stderr = new();
    private DockerContainerizer _containerizer;

    public DockerContainerizerTests(TestEngine engine) => _engine = DockerTestEnvironment.For(engine);

    /// <summary>Options for tests; the containers' output goes nowhere unless captured.</summary>
    internal static DockerContainerizerOptions Options(
        EngineUnderTest engine,
        IReadOnlyDictionary<string, string> taskEnvironment = null,
        string containerName = null,
        DefaultDnsSettings defaultDns = null,
        bool cgroupsEnableCfs = false,
        Stream standardOutput = null,
        Stream standardError = null,
        bool useCommandUser = false,
        bool disableSwap = false) => new()
    {
        UseCommandUser = useCommandUser,
        DisableSwap = disableSwap,
        StandardOutput = standardOutput ?? Stream.Null,
        StandardError = standardError ?? Stream.Null,
        Endpoint = engine.Endpoint,
        ExtraLabels = new Dictionary<string, string>(DockerTestEnvironment.RunLabels),
        ShortCallTimeout = TimeSpan.FromSeconds(20),
        EnvironmentReader = _ => null,
        TaskEnvironment = taskEnvironment ?? new Dictionary<string, string>(),
        ContainerName = containerName,
        DefaultDns = defaultDns,
        CgroupsEnableCfs = cgroupsEnableCfs,
    };

    [OneTimeSetUp]
    public async Task OneTimeSetUp()
    {
        await _engine.RequireAsync();
        _containerizer = new DockerContainerizer(Options(_engine, standardOutput: _stdout, standardError: _stderr));
    }

    [SetUp]
    public void SetUp()
    {
        _stdout.Clear();
        _stderr.Clear();
    }

    [TearDown]
    public async Task TearDown() => await DockerTestCleanup.CleanupAsync(_engine);

    [OneTimeTearDown]
    public async Task OneTimeTearDown()
    {
        if (_containerizer != null)
        {
            await _containerizer.DisposeAsync();
        }

        await DockerTestCleanup.CleanupAsync(_engine);
        DockerTestCleanup.DeleteSandboxes();
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Run_ShellCommand_ExitsZeroAndItsOutputGoesToTheExecutorsStreams(CancellationToken cancellationToken)
    {
        string sandbox = DockerTestCleanup.NewSandbox();

        var result = await RunAsync(TestTasks.Spec(TestTasks.Task("echo out; echo err >&2; echo more"), sandbox), cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.Exit, Is.EqualTo(new ContainerExit { ExitCode = 0 }));
            Assert.That(result.Stdout, Is.EqualTo("out\nmore\n"));
            Assert.That(result.Stderr, Is.EqualTo("err\n"));
            Assert.That(Path.Combine(sandbox, "stdout"), Does.Not.Exist, "the sandbox's log files belong to the agent's container logger");
            Assert.That(Path.Combine(sandbox, "stderr"), Does.Not.Exist);
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Output_OfConcurrentContainersAndOtherWriters_IsWrittenWholeNeverInterleaved(CancellationToken cancellationToken)
    {
        // One stream for two chatty containers and a "logger" writing lines meanwhile, as in the
        // reference executor's stderr: every write must be a whole message, none overlapping.
        var shared = new CapturedOutput();
        Stream synchronized = Stream.Synchronized(shared);
        await using var containerizer = new DockerContainerizer(Options(_engine, standardOutput: shared, standardError: synchronized));
        string line = new('x', 3000);
        var first = TestTasks.Task($"for i in $(seq 1 200); do echo a-$i-{line}; echo e-$i >&2; done");
        var second = TestTasks.Task($"for i in $(seq 1 200); do echo b-$i-{line}; done");
        using var stopLogging = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task logging = Task.Run(
            () =>
            {
                byte[] logLine = System.Text.Encoding.UTF8.GetBytes("log line\n");
                while (!stopLogging.IsCancellationRequested)
                {
                    synchronized.Write(logLine);
                    synchronized.Flush();
                    Thread.Yield();
                }
            },
            CancellationToken.None);

        Task<RunResult> a = RunAsync(TestTasks.Spec(first, DockerTestCleanup.NewSandbox()), cancellationToken, containerizer);
        Task<RunResult> b = RunAsync(TestTasks.Spec(second, DockerTestCleanup.NewSandbox()), cancellationToken, containerizer);
        await Task.WhenAll(a, b);
        await stopLogging.CancelAsync();
        await logging;

        var lines = shared.Chunks.SelectMany(c => c.Split('\n', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(shared.Overlapped, Is.False, "writes are serialized");
            Assert.That(shared.Chunks, Has.All.EndWith("\n"), "each write is whole lines");
            Assert.That(lines.Where(l => l.StartsWith("a-", StringComparison.Ordinal)).ToList(), Has.Count.EqualTo(200).And.All.EndWith(line));
            Assert.That(lines.Where(l => l.StartsWith("b-", StringComparison.Ordinal)).ToList(), Has.Count.EqualTo(200).And.All.EndWith(line));
            Assert.That(lines.Where(l => l.StartsWith("e-", StringComparison.Ordinal)).ToList(), Has.Count.EqualTo(200));
            Assert.That(lines, Has.All.Match("^(a-[0-9]+-x+|b-[0-9]+-x+|e-[0-9]+|log line)$"));
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Run_FailingCommand_ReportsItsExitCode(CancellationToken cancellationToken)
    {
        var result = await RunAsync(TestTasks.Task("exit 3"), cancellationToken);

        Assert.That(result.Exit.ExitCode, Is.EqualTo(3));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Run_SandboxLogFiles_AreLeftAlone(CancellationToken cancellationToken)
    {
        string sandbox = DockerTestCleanup.NewSandbox();
        await File.WriteAllTextAsync(Path.Combine(sandbox, "stdout"), "logger line\n", cancellationToken);

        var result = await RunAsync(TestTasks.Spec(TestTasks.Task("echo task line"), sandbox), cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.Stdout, Is.EqualTo("task line\n"));
            Assert.That(File.ReadAllText(Path.Combine(sandbox, "stdout")), Is.EqualTo("logger line\n"));
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Run_NoSandbox_OutputStillGoesToTheExecutorsStreams(CancellationToken cancellationToken)
    {
        var result = await RunAsync(TestTasks.Spec(TestTasks.Task("echo no sandbox")), cancellationToken);

        Assert.That(result.Stdout, Is.EqualTo("no sandbox\n"));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Run_NonShellCommand_PassesValueAndArgumentsAsArgv(CancellationToken cancellationToken)
    {
        var task = TestTasks.Task();
        task.Command = new CommandInfo { Shell = false, Value = "/bin/echo", Arguments = { "a  b", "$HOME" } };

        var result = await RunAsync(task, cancellationToken);

        Assert.That(result.Stdout, Is.EqualTo("a  b $HOME\n"));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Run_NoCommand_RunsTheImageDefault(CancellationToken cancellationToken)
    {
        // The test image's CMD is /bin/sh, which exits at once without input.
        var result = await RunAsync(TestTasks.Task(), cancellationToken);

        Assert.That(result.Exit.ExitCode, Is.Zero);
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Run_Environment_HasTaskAgentHookAndMesosVariables(CancellationToken cancellationToken)
    {
        await using var containerizer = new DockerContainerizer(Options(_engine, 
            taskEnvironment: new Dictionary<string, string> { ["AGENT_VAR"] = "from agent" },
            containerName: "mesos-" + Guid.NewGuid().ToString("N"),
            standardOutput: _stdout,
            standardError: _stderr));
        var task = TestTasks.Task("env");
        task.Resources.Add(TestTasks.Scalar("cpus", 0.1));
        task.Resources[0].AllocationInfo = new Resource.Types.AllocationInfo { Role = "web" };
        task.Command.Environment = new Mesos.V1.Environment { Variables = { new Mesos.V1.Environment.Types.Variable { Name = "TASK_VAR", Value = "a b=c" } } };
        var spec = TestTasks.Spec(task, DockerTestCleanup.NewSandbox());
        spec.Environment["HOOK_VAR"] = "from hook";

        var result = await RunAsync(spec, cancellationToken, containerizer);
        var env = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);

        Assert.Multiple(() =>
        {
            Assert.That(env["TASK_VAR"], Is.EqualTo("a b=c"));
            Assert.That(env["AGENT_VAR"], Is.EqualTo("from agent"));
            Assert.That(env["HOOK_VAR"], Is.EqualTo("from hook"));
            Assert.That(env["MESOS_SANDBOX"], Is.EqualTo("/mnt/mesos/sandbox"));
            Assert.That(env["MESOS_CONTAINER_NAME"], Does.StartWith("mesos-"));
            Assert.That(env["MESOS_ALLOCATION_ROLE"], Is.EqualTo("web"));
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Run_CommandUserMissingFromTheImage_IsIgnoredLikeMesos(CancellationToken cancellationToken)
    {
        var task = TestTasks.Task("id -u");
        task.Command.User = "nosuchuser";

        var result = await RunAsync(task, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.Exit.ExitCode, Is.Zero, result.Exit.Error);
            Assert.That(result.Stdout, Is.EqualTo("0\n"), "the image's user");
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Run_CommandUserWithUseCommandUser_RunsAsThatUser(CancellationToken cancellationToken)
    {
        await using var containerizer = new DockerContainerizer(Options(_engine, standardOutput: _stdout, standardError: _stderr, useCommandUser: true));
        var task = TestTasks.Task("id -u");
        task.Command.User = "nobody";

        var result = await RunAsync(TestTasks.Spec(task, DockerTestCleanup.NewSandbox()), cancellationToken, containerizer);

        Assert.That(result.Stdout, Is.EqualTo("65534\n"));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Run_SandboxPathWithColon_IsMountedAndRelativeVolumesToo(CancellationToken cancellationToken)
    {
        // MESOS-1833: task ids with ':' (Chronos) give sandbox paths Docker's "Binds" cannot express.
        string sandbox = Directory.CreateDirectory(Path.Combine(DockerTestCleanup.NewSandbox(), "ct:1700000000000:0:job:")).FullName;
        Directory.CreateDirectory(Path.Combine(sandbox, "existing"));
        await File.WriteAllTextAsync(Path.Combine(sandbox, "existing", "in"), "from host", cancellationToken);
        var task = TestTasks.Task("echo written > /mnt/mesos/sandbox/out; cat /existing/in > /created/copy; touch /existing/x 2>/dev/null && echo ro-writable || echo ro-refused");
        task.Container.Volumes.Add(new Volume { HostPath = "existing", ContainerPath = "/existing", Mode = Volume.Types.Mode.Ro });
        task.Container.Volumes.Add(new Volume { HostPath = "created", ContainerPath = "/created", Mode = Volume.Types.Mode.Rw });

        var result = await RunAsync(TestTasks.Spec(task, sandbox), cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.Exit.ExitCode, Is.Zero, result.Exit.Error + result.Stderr);
            Assert.That(File.ReadAllText(Path.Combine(sandbox, "out")), Is.EqualTo("written\n"));
            Assert.That(File.ReadAllText(Path.Combine(sandbox, "created", "copy")), Is.EqualTo("from host"), "a missing relative source is created, as docker run -v does");
            Assert.That(result.Stdout, Is.EqualTo("ro-refused\n"));
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Run_Sandbox_IsMountedAtMesosSandbox(CancellationToken cancellationToken)
    {
        string sandbox = DockerTestCleanup.NewSandbox();
        await File.WriteAllTextAsync(Path.Combine(sandbox, "input"), "from host", cancellationToken);

        var result = await RunAsync(TestTasks.Spec(TestTasks.Task("cat $MESOS_SANDBOX/input > $MESOS_SANDBOX/output"), sandbox), cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.Exit.ExitCode, Is.Zero);
            Assert.That(File.ReadAllText(Path.Combine(sandbox, "output")), Is.EqualTo("from host"));
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Run_HostPathVolumes_AreMountedReadWriteReadOnlyAndRelative(CancellationToken cancellationToken)
    {
        string sandbox = DockerTestCleanup.NewSandbox();
        string rw = Directory.CreateDirectory(Path.Combine(sandbox, "..", Guid.NewGuid().ToString("N"))).FullName;
        string ro = Directory.CreateDirectory(Path.Combine(sandbox, "..", Guid.NewGuid().ToString("N"))).FullName;
        Directory.CreateDirectory(Path.Combine(sandbox, "rel"));
        await File.WriteAllTextAsync(Path.Combine(ro, "file"), "read only", cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(sandbox, "rel", "file"), "relative", cancellationToken);
        var task = TestTasks.Task("echo written > /rw/file; cat /ro/file; echo; cat /data/file; echo; touch /ro/x 2>/dev/null && echo ro-writable || echo ro-refused");
        task.Container.Volumes.Add(new Volume { HostPath = rw, ContainerPath = "/rw", Mode = Volume.Types.Mode.Rw });
        task.Container.Volumes.Add(new Volume { HostPath = ro, ContainerPath = "/ro", Mode = Volume.Types.Mode.Ro });
        task.Container.Volumes.Add(new Volume { HostPath = "rel", ContainerPath = "/data", Mode = Volume.Types.Mode.Rw });

        var result = await RunAsync(TestTasks.Spec(task, sandbox), cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.Stdout, Is.EqualTo("read only\nrelative\nro-refused\n"));
            Assert.That(File.ReadAllText(Path.Combine(rw, "file")), Is.EqualTo("written\n"));
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Run_DockerVolume_IsCreatedWithDriverOptionsAndLabels(CancellationToken cancellationToken)
    {
        string name = "mesos-test-" + Guid.NewGuid().ToString("N")[..12];
        var task = TestTasks.Task("echo persisted > /vol/file && mount | grep ' /vol '");
        task.Container.Volumes.Add(new Volume
        {
            ContainerPath = "/vol",
            Mode = Volume.Types.Mode.Rw,
            Source = new Volume.Types.Source
            {
                Type = Volume.Types.Source.Types.Type.DockerVolume,
                DockerVolume = new Volume.Types.Source.Types.DockerVolume
                {
                    Name = name,
                    Driver = "local",
                    // Podman 4.3 takes the local driver's "o=size=" for an XFS project quota even
                    // with type=tmpfs and refuses it on other file systems: a mount option both take.
                    DriverOptions = new Parameters { Parameter = { TestTasks.Parameter("type", "tmpfs"), TestTasks.Parameter("device", "tmpfs"), TestTasks.Parameter("o", _engine.IsPodman ? "nodev" : "size=1m") } },
                },
            },
        });

        var result = await RunAsync(task, cancellationToken);
        using var client = _engine.CreateClient();
        var volume = await client.Volumes.InspectAsync(name, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.Exit.ExitCode, Is.Zero, result.Stderr);
            Assert.That(result.Stdout, Does.Contain("tmpfs"));
            Assert.That(volume.Options["type"], Is.EqualTo("tmpfs"));
            Assert.That(volume.Labels[DockerTestEnvironment.TestLabel], Is.EqualTo(DockerTestEnvironment.RunId));
            Assert.That(volume.Labels[DockerLabels.TaskId], Is.EqualTo(task.TaskId.Value));
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Run_HostNetwork_SharesTheHostsInterfaces(CancellationToken cancellationToken)
    {
        var (id, details) = await StartAndInspectAsync(TestTasks.Task("sleep 30", Network.Host), cancellationToken);
        // Other tests' containers and networks add and remove interfaces meanwhile, so compare the
        // host's interfaces that exist before and after the listing inside (lo, eth0, docker0, ...),
        // not a count.
        static string[] HostInterfaces() => Directory.GetFileSystemEntries("/sys/class/net").Select(Path.GetFileName).OfType<string>().ToArray();
        string[] before = HostInterfaces();
        var exec = await ExecOutputAsync(id, "ls /sys/class/net", cancellationToken);
        string[] stable = before.Intersect(HostInterfaces()).ToArray();
        string[] inside = exec.Split((char[])['\n', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        Assert.Multiple(() =>
        {
            Assert.That(details.UsesHostNetwork, Is.True);
            Assert.That(details.IPAddresses, Is.Empty);
            Assert.That(stable, Is.Not.Empty);
            Assert.That(inside, Is.SupersetOf(stable), "a host-network container sees the host's interfaces");
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Run_BridgeNetwork_GetsAnAddressAndGateway(CancellationToken cancellationToken)
    {
        var (id, details) = await StartAndInspectAsync(TestTasks.Task("sleep 30", Network.Bridge), cancellationToken);
        string addresses = await ExecOutputAsync(id, "ip -4 addr show eth0", cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(details.UsesHostNetwork, Is.False);
            Assert.That(details.IPAddresses, Has.Count.EqualTo(1));
            Assert.That(details.Gateways, Has.Count.EqualTo(1));
            Assert.That(addresses, Does.Contain(details.IPAddresses[0].ToString()));
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Run_NoneNetwork_HasOnlyLoopback(CancellationToken cancellationToken)
    {
        var result = await RunAsync(TestTasks.Task("ls /sys/class/net", Network.None), cancellationToken);

        Assert.That(result.Stdout, Is.EqualTo("lo\n"));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Run_UserNetwork_JoinsTheNamedNetwork(CancellationToken cancellationToken)
    {
        string network = "mesos-test-" + Guid.NewGuid().ToString("N")[..12];
        using var client = _engine.CreateClient();
        await client.Networks.CreateNetworkAsync(
            new NetworksCreateParameters { Name = network, Labels = new Dictionary<string, string>(DockerTestEnvironment.RunLabels) },
            cancellationToken);
        var task = TestTasks.Task("sleep 30", Network.User);
        task.Container.NetworkInfos.Add(new NetworkInfo { Name = network });
        task.Container.Docker.Parameters.Add(TestTasks.Parameter("network-alias", "web"));

        var (id, details) = await StartAndInspectAsync(task, cancellationToken);
        var inspect = await client.Containers.InspectContainerAsync(id, cancellationToken);

        Assert.Multiple(() =>
        {
            if (!_engine.IsPodman)
            {
                // Podman's inspect reports NetworkMode "bridge" (the driver) for a user network; the
                // containerizer reads NetworkMode only to tell "host" apart.
                Assert.That(inspect.HostConfig.NetworkMode, Is.EqualTo(network));
            }

            Assert.That(inspect.NetworkSettings.Networks.Keys, Is.EqualTo(new[] { network }));
            Assert.That(inspect.NetworkSettings.Networks[network].Aliases, Does.Contain("web"));
            Assert.That(details.IPAddresses.Single().ToString(), Is.EqualTo(inspect.NetworkSettings.Networks[network].IPAddress));
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Run_PortMapping_PublishesTheContainerPortOnTheHost(CancellationToken cancellationToken)
    {
        int hostPort = FreePort();
        var task = TestTasks.Task("httpd -f -p 8080 -h /var/www", Network.Bridge);
        task.Resources.Add(TestTasks.Ports((ulong)hostPort, (ulong)hostPort));
        task.Container.Docker.PortMappings.Add(new PortMapping { HostPort = (uint)hostPort, ContainerPort = 8080, Protocol = "tcp" });

        var (_, details) = await StartAndInspectAsync(task, cancellationToken);
        string body = await GetWithRetryAsync($"http://127.0.0.1:{hostPort}/index.html", cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(details.PublishedPorts.Select(p => (p.HostPort, p.ContainerPort, p.Protocol)), Does.Contain((hostPort, 8080, "tcp")));
            Assert.That(body, Is.EqualTo("ok\n"));
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Run_Hostname_IsTheContainersHostname(CancellationToken cancellationToken)
    {
        var task = TestTasks.Task("hostname", Network.Bridge);
        task.Container.Hostname = "web-1";

        var result = await RunAsync(task, cancellationToken);

        Assert.That(result.Stdout, Is.EqualTo("web-1\n"));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Run_DefaultDns_IsTheContainersResolverConfiguration(CancellationToken cancellationToken)
    {
        await using var containerizer = new DockerContainerizer(Options(_engine, standardOutput: _stdout, standardError: _stderr, defaultDns: new DefaultDnsSettings
        {
            Bridge = new DnsSettings { Nameservers = ["10.9.8.7"], Search = ["corp.example"], Options = ["ndots:3"] },
        }));

        var result = await RunAsync(TestTasks.Spec(TestTasks.Task("cat /etc/resolv.conf", Network.Bridge), DockerTestCleanup.NewSandbox()), cancellationToken, containerizer);

        Assert.That(result.Stdout, Does.Contain("nameserver 10.9.8.7").And.Contain("search corp.example").And.Contain("options ndots:3"));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Run_ResourcesWithDisableSwap_SetCpuSharesCfsQuotaAndMemoryWithoutSwap(CancellationToken cancellationToken)
    {
        await using var containerizer = new DockerContainerizer(Options(_engine, cgroupsEnableCfs: true, standardOutput: _stdout, standardError: _stderr, disableSwap: true));
        var task = TestTasks.Task(
            "cd /sys/fs/cgroup; cat cpu/cpu.shares cpu/cpu.cfs_quota_us cpu/cpu.cfs_period_us memory/memory.limit_in_bytes memory/memory.memsw.limit_in_bytes");
        task.Resources.Add(TestTasks.Scalar("cpus", 0.25));
        task.Resources.Add(TestTasks.Scalar("mem", 48));

        var result = await RunAsync(TestTasks.Spec(task, DockerTestCleanup.NewSandbox()), cancellationToken, containerizer);

        Assert.That(result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[]
        {
            "256", "25000", "100000", (48 * 1024 * 1024).ToString(CultureInfo.InvariantCulture), (48 * 1024 * 1024).ToString(CultureInfo.InvariantCulture),
        }));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Run_Labels_AreOnTheContainer(CancellationToken cancellationToken)
    {
        var task = TestTasks.Task("sleep 30", taskId: "labels-" + Guid.NewGuid().ToString("N")[..6]);
        task.Labels = new Labels { Labels_ = { new Label { Key = "team", Value = "web" } } };
        var spec = TestTasks.Spec(task);
        spec.Labels["hook"] = "yes";

        var (id, _) = await StartAndInspectAsync(spec, cancellationToken);
        using var client = _engine.CreateClient();
        var labels = (await client.Containers.InspectContainerAsync(id, cancellationToken)).Config.Labels;

        Assert.That(labels, Is.SupersetOf(new Dictionary<string, string>
        {
            ["team"] = "web",
            ["hook"] = "yes",
            [DockerTestEnvironment.TestLabel] = DockerTestEnvironment.RunId,
            [DockerLabels.TaskId] = task.TaskId.Value,
            [DockerLabels.ExecutorId] = "executor-1",
            [DockerLabels.FrameworkId] = "framework-1",
        }));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Create_Privileged_CreatesAPrivilegedContainer(CancellationToken cancellationToken)
    {
        // Only created: this machine's own capability set cannot start privileged containers.
        var task = TestTasks.Task("true");
        task.Container.Docker.Privileged = true;

        string id = await _containerizer.CreateAsync(TestTasks.Spec(task), cancellationToken);
        using var client = _engine.CreateClient();

        Assert.That((await client.Containers.InspectContainerAsync(id, cancellationToken)).HostConfig.Privileged, Is.True);
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Run_Parameters_ReachTheContainer(CancellationToken cancellationToken)
    {
        var task = TestTasks.Task("ulimit -n; pwd; grep -w db /etc/hosts; mount | grep -c ' /scratch '; echo $P; touch /x 2>/dev/null || echo read-only; cat /proc/sys/net/ipv4/ip_forward; grep CapEff /proc/self/status", Network.Bridge);
        foreach (var (key, value) in new[]
        {
            ("ulimit", "nofile=1024:2048"), ("workdir", "/work"), ("add-host", "db:10.1.2.3"), ("tmpfs", "/scratch:size=1m"),
            ("env", "P=param"), ("read-only", "true"), ("sysctl", "net.ipv4.ip_forward=1"), ("cap-add", "NET_ADMIN"),
            ("label", "from=parameter"), ("shm-size", "16m"),
        })
        {
            task.Container.Docker.Parameters.Add(TestTasks.Parameter(key, value));
        }

        if (_engine.IsPodman)
        {
            // A task's ulimit replaces Podman's configured default_ulimits, and Podman then sets
            // nproc (and nofile) to 1048576 itself, above this machine's hard limit (no
            // CAP_SYS_RESOURCE here): the container would not start. Docker inherits the rest.
            task.Container.Docker.Parameters.Add(TestTasks.Parameter("ulimit", "nproc=4096:4096"));
        }

        var result = await RunAsync(task, cancellationToken);
        string[] lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        ulong capabilities = ulong.Parse(lines[^1].Split('\t')[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);

        Assert.Multiple(() =>
        {
            Assert.That(lines[..^1], Is.EqualTo(new[] { "1024", "/work", "10.1.2.3\tdb", "1", "param", "read-only", "1" }), result.Stderr);
            Assert.That(capabilities & (1UL << 12), Is.Not.Zero, "CAP_NET_ADMIN");
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Create_UnknownParameter_FailsNamingItAndCreatesNothing(CancellationToken cancellationToken)
    {
        var task = TestTasks.Task("true");
        task.Container.Docker.Parameters.Add(TestTasks.Parameter("frobnicate", "yes"));

        var ex = await Assert.ThrowsAsync<ContainerizerException>(() => _containerizer.CreateAsync(TestTasks.Spec(task), cancellationToken));
        using var client = _engine.CreateClient();
        var containers = await client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{DockerLabels.TaskId}={task.TaskId.Value}"] = true } },
        }, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(ex.Message, Does.Contain("'frobnicate'"));
            Assert.That(containers, Is.Empty);
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Create_UnpullableImage_FailsFastNamingTheImage(CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<ContainerizerException>(() =>
            _containerizer.CreateAsync(TestTasks.Spec(TestTasks.Task("true", image: "nonexistent.invalid/x:1")), cancellationToken));

        Assert.Multiple(() =>
        {
            Assert.That(ex.Message, Does.Contain("'nonexistent.invalid/x:1'"));
            Assert.That(started.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Create_MissingImageWithPullNever_FailsNamingTheImage(CancellationToken cancellationToken)
    {
        var task = TestTasks.Task("true", image: "mesos-executor-test/absent:1");
        task.Container.Docker.Parameters.Add(TestTasks.Parameter("pull", "never"));

        var ex = await Assert.ThrowsAsync<ContainerizerException>(() => _containerizer.CreateAsync(TestTasks.Spec(task), cancellationToken));

        Assert.That(ex.Message, Does.Contain("'mesos-executor-test/absent:1'").And.Contain("Never"));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Wait_TaskExceedingItsMemory_IsReportedOomKilled(CancellationToken cancellationToken)
    {
        var task = TestTasks.Task("dd if=/dev/zero of=/dev/null bs=64M count=1");
        task.Resources.Add(TestTasks.Scalar("mem", 32));

        var result = await RunAsync(task, cancellationToken);

        // Podman 4.3 on cgroup v1 does not notice the OOM kill (State.OOMKilled stays false, the
        // exit is 137 all the same); nothing in the Engine API tells it apart from a SIGKILL.
        Assert.That(result.Exit, Is.EqualTo(new ContainerExit { ExitCode = 137, OomKilled = !_engine.IsPodman }));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Stop_TaskIgnoringSigterm_IsKilledAfterASubSecondGrace(CancellationToken cancellationToken)
    {
        var (id, _) = await StartAndInspectAsync(TestTasks.Task("trap '' TERM; echo ready; while :; do sleep 0.1; done"), cancellationToken);
        Task<ContainerExit> wait = _containerizer.WaitAsync(id, cancellationToken);

        var stopwatch = Stopwatch.StartNew();
        await _containerizer.StopAsync(id, TimeSpan.FromMilliseconds(500), cancellationToken);
        var elapsed = stopwatch.Elapsed;
        var exit = await wait;

        Assert.Multiple(() =>
        {
            Assert.That(exit.ExitCode, Is.EqualTo(137), "SIGKILL");
            Assert.That(elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(450)).And.LessThan(TimeSpan.FromSeconds(3)));
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Stop_TaskObeyingSigterm_EndsOnSigtermWithinTheGrace(CancellationToken cancellationToken)
    {
        string id = await StartWhenReadyAsync(TestTasks.Task("trap 'echo bye; exit 0' TERM; echo ready; while :; do sleep 0.1; done"), cancellationToken);
        Task<ContainerExit> wait = _containerizer.WaitAsync(id, cancellationToken);

        var stopwatch = Stopwatch.StartNew();
        await _containerizer.StopAsync(id, TimeSpan.FromSeconds(20), cancellationToken);
        var elapsed = stopwatch.Elapsed;

        Assert.Multiple(async () =>
        {
            Assert.That((await wait).ExitCode, Is.Zero, "the trap's exit, not SIGKILL");
            Assert.That(elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Stop_StopSignalParameter_IsTheSignalSent(CancellationToken cancellationToken)
    {
        var task = TestTasks.Task("trap 'exit 42' USR1; trap '' TERM; echo ready; while :; do sleep 0.1; done");
        task.Container.Docker.Parameters.Add(TestTasks.Parameter("stop-signal", "SIGUSR1"));
        string id = await StartWhenReadyAsync(task, cancellationToken);

        await _containerizer.StopAsync(id, TimeSpan.FromSeconds(20), cancellationToken);

        Assert.That((await _containerizer.WaitAsync(id, cancellationToken)).ExitCode, Is.EqualTo(42));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task StopAndRemove_StoppedOrMissingContainer_Succeed(CancellationToken cancellationToken)
    {
        var result = await RunAsync(TestTasks.Task("true"), cancellationToken, remove: false);

        await _containerizer.StopAsync(result.Id, TimeSpan.FromSeconds(1), cancellationToken);
        await _containerizer.RemoveAsync(result.Id, cancellationToken);
        await _containerizer.RemoveAsync(result.Id, cancellationToken);
        await _containerizer.StopAsync(result.Id, TimeSpan.FromSeconds(1), cancellationToken);
        var ex = await Assert.ThrowsAsync<ContainerizerException>(() => _containerizer.InspectAsync(result.Id, cancellationToken));

        Assert.That(ex.Message, Does.Contain("no such container"));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Output_IsStreamedWhileTheContainerRuns(CancellationToken cancellationToken)
    {
        string sandbox = DockerTestCleanup.NewSandbox();
        var (id, _) = await StartAndInspectAsync(TestTasks.Spec(TestTasks.Task("echo first; echo oops >&2; sleep 30"), sandbox), cancellationToken);

        string stdout = await _stdout.WaitForAsync(t => t == "first\n", cancellationToken);
        string stderr = await _stderr.WaitForAsync(t => t == "oops\n", cancellationToken);
        var details = await _containerizer.InspectAsync(id, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(stdout, Is.EqualTo("first\n"));
            Assert.That(stderr, Is.EqualTo("oops\n"));
            Assert.That(details.Pid, Is.Positive, "still running");
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Exec_Command_ReturnsItsExitCodeWithEnvironmentAndUser(CancellationToken cancellationToken)
    {
        var (id, _) = await StartAndInspectAsync(TestTasks.Task("sleep 30"), cancellationToken);

        var success = await _containerizer.ExecAsync(id, new ExecRequest { Arguments = ["/bin/sh", "-c", "test \"$X\" = 1 && test $(id -u) = 65534"], Environment = new Dictionary<string, string> { ["X"] = "1" }, User = "nobody" }, cancellationToken);
        var failure = await _containerizer.ExecAsync(id, new ExecRequest { Arguments = ["/bin/sh", "-c", "exit 5"] }, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(success, Is.EqualTo(new ExecResult { ExitCode = 0 }));
            Assert.That(failure, Is.EqualTo(new ExecResult { ExitCode = 5 }));
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Exec_Timeout_KillsTheCommandAndReportsTimedOut(CancellationToken cancellationToken)
    {
        var (id, _) = await StartAndInspectAsync(TestTasks.Task("sleep 30"), cancellationToken);

        var stopwatch = Stopwatch.StartNew();
        var result = await _containerizer.ExecAsync(id, new ExecRequest { Arguments = ["/bin/sh", "-c", "sleep 25; true"], Timeout = TimeSpan.FromMilliseconds(500) }, cancellationToken);
        var elapsed = stopwatch.Elapsed;
        string processes = await ExecOutputAsync(id, "ps -o args | grep -c '^sleep 25' || true", cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.TimedOut, Is.True);
            Assert.That(elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
            Assert.That(processes.Trim(), Is.EqualTo("0"), "the timed-out command and its children are gone");
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Inspect_RawData_IsTheDockerInspectArray(CancellationToken cancellationToken)
    {
        var (id, details) = await StartAndInspectAsync(TestTasks.Task("sleep 30"), cancellationToken);

        using var json = JsonDocument.Parse(details.RawData);

        Assert.Multiple(() =>
        {
            Assert.That(json.RootElement.ValueKind, Is.EqualTo(JsonValueKind.Array));
            Assert.That(json.RootElement[0].GetProperty("Id").GetString(), Is.EqualTo(id));
            Assert.That(json.RootElement[0].GetProperty("State").GetProperty("Pid").GetInt32(), Is.EqualTo(details.Pid));
            Assert.That(details.Name, Does.StartWith("mesos-"));
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Create_SecondTaskWithTheAgentsContainerName_GetsADerivedName(CancellationToken cancellationToken)
    {
        string containerId = Guid.NewGuid().ToString("D");
        await using var containerizer = new DockerContainerizer(Options(_engine, containerName: "mesos-" + containerId));

        string first = await containerizer.CreateAsync(TestTasks.Spec(TestTasks.Task("true")), cancellationToken);
        string second = await containerizer.CreateAsync(TestTasks.Spec(TestTasks.Task("true")), cancellationToken);

        Assert.Multiple(async () =>
        {
            Assert.That((await containerizer.InspectAsync(first, cancellationToken)).Name, Is.EqualTo("mesos-" + containerId));
            Assert.That((await containerizer.InspectAsync(second, cancellationToken)).Name, Is.EqualTo($"mesos-1.{containerId}.task"));
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Create_FailedFirstTask_LeavesTheAgentsContainerNameToTheNext(CancellationToken cancellationToken)
    {
        string name = "mesos-" + Guid.NewGuid().ToString("D");
        await using var containerizer = new DockerContainerizer(Options(_engine, containerName: name));
        var bad = TestTasks.Task("true");
        bad.Container.Docker.Parameters.Add(TestTasks.Parameter("frobnicate", "1"));

        await Assert.ThatAsync(() => containerizer.CreateAsync(TestTasks.Spec(bad), cancellationToken), Throws.TypeOf<ContainerizerException>());
        string id = await containerizer.CreateAsync(TestTasks.Spec(TestTasks.Task("true")), cancellationToken);

        Assert.That((await containerizer.InspectAsync(id, cancellationToken)).Name, Is.EqualTo(name));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Remove_RunningContainer_IsRemovedPromptly(CancellationToken cancellationToken)
    {
        var (id, _) = await StartAndInspectAsync(TestTasks.Task("sleep 30"), cancellationToken);

        var stopwatch = Stopwatch.StartNew();
        await _containerizer.RemoveAsync(id, cancellationToken);
        var elapsed = stopwatch.Elapsed;
        using var client = _engine.CreateClient();
        var remaining = await client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["id"] = new Dictionary<string, bool> { [id] = true } },
        }, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(remaining, Is.Empty);
            Assert.That(elapsed, Is.LessThan(TimeSpan.FromSeconds(4)));
        });
    }

    internal sealed record RunResult(string Id, ContainerExit Exit, string Stdout, string Stderr);

    private Task<RunResult> RunAsync(TaskInfo task, CancellationToken cancellationToken, DockerContainerizer containerizer = null) =>
        RunAsync(TestTasks.Spec(task, DockerTestCleanup.NewSandbox()), cancellationToken, containerizer);

    /// <summary>
    /// Create, start, wait, and (unless told otherwise) remove, which drains the output into the
    /// captured streams (the fixture's unless <paramref name="containerizer"/> has its own).
    /// </summary>
    private async Task<RunResult> RunAsync(ContainerSpec spec, CancellationToken cancellationToken, DockerContainerizer containerizer = null, bool remove = true)
    {
        containerizer ??= _containerizer;
        string id = await containerizer.CreateAsync(spec, cancellationToken);
        await containerizer.StartAsync(id, cancellationToken);
        var exit = await containerizer.WaitAsync(id, cancellationToken);
        if (remove)
        {
            await containerizer.RemoveAsync(id, cancellationToken);
        }

        return new RunResult(id, exit, _stdout.Text, _stderr.Text);
    }

    private Task<RunResult> RunAsync(TaskInfo task, CancellationToken cancellationToken, bool remove) =>
        RunAsync(TestTasks.Spec(task, DockerTestCleanup.NewSandbox()), cancellationToken, null, remove);

    private Task<(string Id, ContainerDetails Details)> StartAndInspectAsync(TaskInfo task, CancellationToken cancellationToken) =>
        StartAndInspectAsync(TestTasks.Spec(task, DockerTestCleanup.NewSandbox()), cancellationToken);

    private async Task<(string Id, ContainerDetails Details)> StartAndInspectAsync(ContainerSpec spec, CancellationToken cancellationToken)
    {
        string id = await _containerizer.CreateAsync(spec, cancellationToken);
        await _containerizer.StartAsync(id, cancellationToken);
        return (id, await _containerizer.InspectAsync(id, cancellationToken));
    }

    /// <summary>
    /// Starts the task and waits for its "ready" line: a signal that reaches the shell (PID 1 in
    /// the container, which ignores signals it has no handler for) before its traps are set would
    /// be lost.
    /// </summary>
    private async Task<string> StartWhenReadyAsync(TaskInfo task, CancellationToken cancellationToken)
    {
        var (id, _) = await StartAndInspectAsync(TestTasks.Spec(task, DockerTestCleanup.NewSandbox()), cancellationToken);
        Assert.That(await _stdout.WaitForAsync(t => t == "ready\n", cancellationToken), Is.EqualTo("ready\n"), "the task set its traps");
        return id;
    }

    private async Task<string> ExecOutputAsync(string containerId, string command, CancellationToken cancellationToken)
    {
        using var client = _engine.CreateClient();
        var exec = await client.Exec.CreateContainerExecAsync(containerId, new ContainerExecCreateParameters
        {
            Cmd = ["/bin/sh", "-c", command],
            AttachStdout = true,
            AttachStderr = true,
        }, cancellationToken);
        using var stream = await client.Exec.StartContainerExecAsync(exec.ID, new ContainerExecStartParameters(), cancellationToken);
        var (stdout, _) = await stream.ReadOutputToEndAsync(cancellationToken);
        return stdout;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<string> GetWithRetryAsync(string url, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return await http.GetStringAsync(url, cancellationToken);
            }
            catch (HttpRequestException) when (attempt < 50)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }
}
