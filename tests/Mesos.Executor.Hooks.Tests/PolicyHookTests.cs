using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.Executor.Hooks.Tests.Support;
using Mesos.Executor.Testing;
using Mesos.V1;
using NUnit.Framework;
using DockerNetwork = Mesos.V1.ContainerInfo.Types.DockerInfo.Types.Network;

namespace Mesos.Executor.Hooks.Tests;

[TestFixture]
public sealed class NetworkHookTests
{
    [Test]
    [CancelAfter(10_000)]
    public async Task PreCreateAsync_NoNetworkName_UsesTheSanitisedFrameworkName(CancellationToken cancellationToken)
    {
        var framework = new FrameworkInfo { User = "root", Name = "my team/app" };

        var context = await HookTestHarness.RunPhaseAsync(new NetworkHook(), HookPhase.PreCreate, TestTasks.DockerTask(), framework: framework, cancellationToken: cancellationToken);

        Assert.That(context.Spec.Task.Container.Docker.Network, Is.EqualTo(DockerNetwork.User));
        Assert.That(context.Spec.Task.Container.NetworkInfos.Single().Name, Is.EqualTo("my-team-app"));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PreCreateAsync_NetworkNameAndExistingInfos_OverridesTheFirstAndDropsNetParameters(CancellationToken cancellationToken)
    {
        TaskInfo task = TestTasks.DockerTask(configure: d =>
        {
            d.Network = DockerNetwork.Host;
            d.Parameters.Add(new Parameter { Key = "net", Value = "host" });
            d.Parameters.Add(new Parameter { Key = "memory-swap", Value = "1g" });
        });
        task.Container.NetworkInfos.Add(new NetworkInfo { Name = "other" });
        task.Container.NetworkInfos.Add(new NetworkInfo { Name = "second" });

        var context = await HookTestHarness.RunPhaseAsync(new NetworkHook(new NetworkHookOptions { NetworkName = "tenants" }), HookPhase.PreCreate, task, cancellationToken: cancellationToken);

        ContainerInfo container = context.Spec.Task.Container;
        Assert.That(container.Docker.Network, Is.EqualTo(DockerNetwork.User));
        Assert.That(container.NetworkInfos.Select(n => n.Name), Is.EqualTo(new[] { "tenants", "second" }));
        Assert.That(container.Docker.Parameters.Select(p => p.Key), Is.EqualTo(new[] { "memory-swap" }));
        Assert.That(task.Container.Docker.Network, Is.EqualTo(DockerNetwork.Host), "the caller's task is not touched");
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PreCreateAsync_TaskWithoutContainer_CreatesDockerSettings(CancellationToken cancellationToken)
    {
        var context = await HookTestHarness.RunPhaseAsync(new NetworkHook(), HookPhase.PreCreate, TestTasks.Task(), cancellationToken: cancellationToken);

        Assert.That(context.Spec.Task.Container.Type, Is.EqualTo(ContainerInfo.Types.Type.Docker));
        Assert.That(context.Spec.Task.Container.NetworkInfos.Single().Name, Is.EqualTo(HookTestHarness.DefaultFrameworkName));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PreCreateAsync_FrameworkNameWithoutUsableCharacters_Fails(CancellationToken cancellationToken)
    {
        var framework = new FrameworkInfo { User = "root", Name = "__ //" };

        var ex = await Assert.ThrowsAsync<HookFailedException>(() => HookTestHarness.RunPhaseAsync(new NetworkHook(), HookPhase.PreCreate, TestTasks.DockerTask(), framework: framework, cancellationToken: cancellationToken));

        Assert.That(ex!.Message, Does.Contain("network_name"));
    }

    [TestCase("-bad")]
    [TestCase("with space")]
    [TestCase("")]
    public void Constructor_InvalidNetworkName_Throws(string name)
    {
        Assert.That(() => new NetworkHook(new NetworkHookOptions { NetworkName = name }), Throws.TypeOf<ExecutorConfigurationException>().With.Message.Contains("network_name"));
    }
}

[TestFixture]
public sealed class DenyPrivilegedHookTests
{
    private static readonly FrameworkInfo Trusted = new() { User = "root", Name = "ops", Id = new FrameworkID { Value = "fw-ops" } };

    [Test]
    [CancelAfter(10_000)]
    public async Task PreCreateAsync_PrivilegedFlag_FailsNamingTheFramework(CancellationToken cancellationToken)
    {
        var ex = await Assert.ThrowsAsync<HookFailedException>(() => HookTestHarness.RunPhaseAsync(
            new DenyPrivilegedHook(), HookPhase.PreCreate, TestTasks.DockerTask(configure: d => d.Privileged = true), cancellationToken: cancellationToken));

        Assert.That(ex!.HookName, Is.EqualTo("deny-privileged"));
        Assert.That(ex.Phase, Is.EqualTo(HookPhase.PreCreate));
        Assert.That(ex.Message, Does.Contain(HookTestHarness.DefaultFrameworkName));
    }

    [TestCase("privileged", "true")]
    [TestCase("privileged", "")]
    [TestCase("--privileged", "1")]
    [TestCase("privileged", "yes-please")]
    [CancelAfter(10_000)]
    public void PreCreateAsync_PrivilegedParameter_Fails(string key, string value, CancellationToken cancellationToken)
    {
        TaskInfo task = TestTasks.DockerTask(configure: d => d.Parameters.Add(new Parameter { Key = key, Value = value }));

        Assert.That(
            () => HookTestHarness.RunPhaseAsync(new DenyPrivilegedHook(), HookPhase.PreCreate, task, cancellationToken: cancellationToken),
            Throws.TypeOf<HookFailedException>());
    }

    [TestCase("false")]
    [TestCase("FALSE")]
    [TestCase("0")]
    [CancelAfter(10_000)]
    public async Task PreCreateAsync_PrivilegedParameterFalse_Passes(string value, CancellationToken cancellationToken)
    {
        TaskInfo task = TestTasks.DockerTask(configure: d => d.Parameters.Add(new Parameter { Key = "privileged", Value = value }));

        var context = await HookTestHarness.RunPhaseAsync(new DenyPrivilegedHook(), HookPhase.PreCreate, task, cancellationToken: cancellationToken);

        Assert.That(context.Spec.Task, Is.EqualTo(task), "nothing changed");
    }

    [TestCase("ops")]
    [TestCase("fw-ops")]
    [CancelAfter(10_000)]
    public async Task PreCreateAsync_AllowedFrameworkByNameOrId_Passes(string allowed, CancellationToken cancellationToken)
    {
        var hook = new DenyPrivilegedHook(new DenyPrivilegedHookOptions { AllowedFrameworks = [allowed] });

        var context = await HookTestHarness.RunPhaseAsync(hook, HookPhase.PreCreate, TestTasks.DockerTask(configure: d => d.Privileged = true), framework: Trusted, cancellationToken: cancellationToken);

        Assert.That(context.Spec.Task.Container.Docker.Privileged, Is.True);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PreCreateAsync_NotPrivileged_Passes(CancellationToken cancellationToken)
    {
        await HookTestHarness.RunPhaseAsync(new DenyPrivilegedHook(), HookPhase.PreCreate, TestTasks.Task(), cancellationToken: cancellationToken);

        await HookTestHarness.RunPhaseAsync(new DenyPrivilegedHook(), HookPhase.PreCreate, TestTasks.DockerTask(configure: d => d.Privileged = false), cancellationToken: cancellationToken);
    }

    [Test]
    public void Constructor_EmptyAllowedEntry_Throws()
    {
        Assert.That(
            () => new DenyPrivilegedHook(new DenyPrivilegedHookOptions { AllowedFrameworks = ["ok", " "] }),
            Throws.TypeOf<ExecutorConfigurationException>().With.Message.Contains("allowed_frameworks[1]"));
    }
}

[TestFixture]
public sealed class ForceBridgeHookTests
{
    [TestCase(DockerNetwork.Host)]
    [TestCase(DockerNetwork.None)]
    [CancelAfter(10_000)]
    public async Task PreCreateAsync_HostOrNone_RewritesToBridge(DockerNetwork network, CancellationToken cancellationToken)
    {
        var context = await HookTestHarness.RunPhaseAsync(new ForceBridgeHook(), HookPhase.PreCreate, TestTasks.DockerTask(configure: d => d.Network = network), cancellationToken: cancellationToken);

        Assert.That(context.Spec.Task.Container.Docker.Network, Is.EqualTo(DockerNetwork.Bridge));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PreCreateAsync_NoNetworkSet_IsHostAndRewritten(CancellationToken cancellationToken)
    {
        var context = await HookTestHarness.RunPhaseAsync(new ForceBridgeHook(), HookPhase.PreCreate, TestTasks.DockerTask(), cancellationToken: cancellationToken);

        Assert.That(context.Spec.Task.Container.Docker.Network, Is.EqualTo(DockerNetwork.Bridge));
    }

    [TestCase(DockerNetwork.Bridge)]
    [TestCase(DockerNetwork.User)]
    [CancelAfter(10_000)]
    public async Task PreCreateAsync_BridgeOrUser_LeavesIt(DockerNetwork network, CancellationToken cancellationToken)
    {
        TaskInfo task = TestTasks.DockerTask(configure: d =>
        {
            d.Network = network;
            d.Parameters.Add(new Parameter { Key = "network", Value = "container:abc" });
            d.Parameters.Add(new Parameter { Key = "net", Value = "bridge" });
        });

        var context = await HookTestHarness.RunPhaseAsync(new ForceBridgeHook(), HookPhase.PreCreate, task, cancellationToken: cancellationToken);

        Assert.That(context.Spec.Task.Container.Docker.Network, Is.EqualTo(network));
        Assert.That(context.Spec.Task.Container.Docker.Parameters.Select(p => $"{p.Key}={p.Value}"), Is.EqualTo(new[] { "net=bridge" }));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PreCreateAsync_RefuseAndHost_FailsNamingWhatWasAsked(CancellationToken cancellationToken)
    {
        TaskInfo task = TestTasks.DockerTask(configure: d =>
        {
            d.Network = DockerNetwork.Host;
            d.Parameters.Add(new Parameter { Key = "net", Value = "host" });
        });

        var ex = await Assert.ThrowsAsync<HookFailedException>(() => HookTestHarness.RunPhaseAsync(new ForceBridgeHook(new ForceBridgeHookOptions { Refuse = true }), HookPhase.PreCreate, task, cancellationToken: cancellationToken));

        Assert.That(ex!.Message, Does.Contain("network HOST").And.Contain("parameter net=host"));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PreCreateAsync_RefuseAndBridge_Passes(CancellationToken cancellationToken)
    {
        var hook = new ForceBridgeHook(new ForceBridgeHookOptions { Refuse = true });

        var context = await HookTestHarness.RunPhaseAsync(hook, HookPhase.PreCreate, TestTasks.DockerTask(configure: d => d.Network = DockerNetwork.Bridge), cancellationToken: cancellationToken);

        Assert.That(context.Spec.Task.Container.Docker.Network, Is.EqualTo(DockerNetwork.Bridge));
    }
}

[TestFixture]
public sealed class SandboxVolumesHookTests
{
    private string _root = null!;
    private string _sandbox = null!;

    [SetUp]
    public void SetUp()
    {
        _root = Path.Combine(Path.GetTempPath(), "sandbox-test-" + Guid.NewGuid().ToString("N"));
        _sandbox = Path.Combine(_root, "slaves", "s1", "runs", "r1");
        Directory.CreateDirectory(_sandbox);
        Directory.CreateDirectory(Path.Combine(_root, "shared", "data"));
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    private static TaskInfo WithVolume(string hostPath, Volume.Types.Source.Types.Type? sourceType = null)
    {
        TaskInfo task = TestTasks.DockerTask();
        var volume = new Volume { ContainerPath = "/data", Mode = Volume.Types.Mode.Rw };
        switch (sourceType)
        {
            case Volume.Types.Source.Types.Type.HostPath:
                volume.Source = new Volume.Types.Source { Type = Volume.Types.Source.Types.Type.HostPath, HostPath = new Volume.Types.Source.Types.HostPath { Path = hostPath } };
                break;
            case Volume.Types.Source.Types.Type.SandboxPath:
                volume.Source = new Volume.Types.Source { Type = Volume.Types.Source.Types.Type.SandboxPath, SandboxPath = new Volume.Types.Source.Types.SandboxPath { Path = hostPath } };
                break;
            default:
                volume.HostPath = hostPath;
                break;
        }

        task.Container.Volumes.Add(volume);
        return task;
    }

    private static TaskInfo WithParameter(string key, string value) =>
        TestTasks.DockerTask(configure: d => d.Parameters.Add(new Parameter { Key = key, Value = value }));

    private Task<HookContext> RunAsync(TaskInfo task, CancellationToken cancellationToken, params string[] allowed) =>
        HookTestHarness.RunPhaseAsync(
            new SandboxVolumesHook(new SandboxVolumesHookOptions { AllowedHostPaths = allowed }),
            HookPhase.PreCreate,
            task,
            sandboxDirectory: _sandbox,
            cancellationToken: cancellationToken);

    [TestCase("logs")]
    [TestCase("./a/../b")]
    [CancelAfter(10_000)]
    public void PreCreateAsync_RelativePathsInside_Pass(string path, CancellationToken cancellationToken)
    {
        Assert.That(() => RunAsync(WithVolume(path), cancellationToken), Throws.Nothing);
        Assert.That(() => RunAsync(WithVolume(path, Volume.Types.Source.Types.Type.SandboxPath), cancellationToken), Throws.Nothing);
    }

    [Test]
    [CancelAfter(10_000)]
    public void PreCreateAsync_AbsolutePathsInside_Pass(CancellationToken cancellationToken)
    {
        Assert.That(() => RunAsync(WithVolume(_sandbox), cancellationToken), Throws.Nothing);
        Assert.That(() => RunAsync(WithVolume(_sandbox + "//sub/./dir", Volume.Types.Source.Types.Type.HostPath), cancellationToken), Throws.Nothing);
    }

    [TestCase("/etc")]
    [TestCase("/")]
    [TestCase("../../etc")]
    [CancelAfter(10_000)]
    public async Task PreCreateAsync_OutsideTheSandbox_FailsNamingTheVolume(string path, CancellationToken cancellationToken)
    {
        var ex = await Assert.ThrowsAsync<HookFailedException>(() => RunAsync(WithVolume(path, Volume.Types.Source.Types.Type.HostPath), cancellationToken));

        Assert.That(ex!.HookName, Is.EqualTo("sandbox-volumes"));
        Assert.That(ex.Message, Does.Contain("volume '/data'").And.Contain(path));
    }

    [Test]
    [CancelAfter(10_000)]
    public void PreCreateAsync_DotDotEscapeFromAbsoluteSandboxPath_Fails(CancellationToken cancellationToken)
    {
        Assert.That(() => RunAsync(WithVolume(_sandbox + "/../../../shared"), cancellationToken), Throws.TypeOf<HookFailedException>());
        Assert.That(() => RunAsync(WithVolume(_sandbox + "-sibling"), cancellationToken), Throws.TypeOf<HookFailedException>());
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PreCreateAsync_SymlinkInSandboxPointingOut_Fails(CancellationToken cancellationToken)
    {
        File.CreateSymbolicLink(Path.Combine(_sandbox, "escape"), "/etc");

        var ex = await Assert.ThrowsAsync<HookFailedException>(() => RunAsync(WithVolume("escape/ssl"), cancellationToken));

        Assert.That(ex!.Message, Does.Contain("/etc/ssl"));
    }

    [Test]
    [CancelAfter(10_000)]
    public void PreCreateAsync_AbsoluteSandboxPathSource_Fails(CancellationToken cancellationToken)
    {
        Assert.That(() => RunAsync(WithVolume("/etc", Volume.Types.Source.Types.Type.SandboxPath), cancellationToken), Throws.TypeOf<HookFailedException>());
    }

    [Test]
    [CancelAfter(10_000)]
    public void PreCreateAsync_AllowedHostPath_Passes(CancellationToken cancellationToken)
    {
        string shared = Path.Combine(_root, "shared");

        Assert.That(() => RunAsync(WithVolume(shared + "/data"), cancellationToken, shared), Throws.Nothing);
        Assert.That(() => RunAsync(WithVolume(shared + "-not/data"), cancellationToken, shared), Throws.TypeOf<HookFailedException>());
    }

    [TestCase("volume", "/etc:/etc:ro", true)]
    [TestCase("v", "/var/run/docker.sock:/var/run/docker.sock", true)]
    [TestCase("v", "../x:/x", true)]
    [TestCase("volume", "named:/data", false)]
    [TestCase("volume", "/anonymous-volume-path", false)]
    [TestCase("volume", "logs/app:/logs", false)]
    [TestCase("mount", "type=bind,source=/etc,target=/etc", true)]
    [TestCase("mount", "type=bind,src=/,dst=/host", true)]
    [TestCase("mount", "type=volume,source=/etc,target=/x", false)]
    [TestCase("mount", "type=tmpfs,target=/tmp", false)]
    [TestCase("volumes-from", "other", true)]
    [CancelAfter(10_000)]
    public void PreCreateAsync_DockerParameters_AreChecked(string key, string value, bool rejected, CancellationToken cancellationToken)
    {
        var run = () => RunAsync(WithParameter(key, value), cancellationToken);

        if (rejected)
        {
            Assert.That(run, Throws.TypeOf<HookFailedException>().With.Message.Contains($"{key}={value}"));
        }
        else
        {
            Assert.That(run, Throws.Nothing);
        }
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PreCreateAsync_SeveralOffenders_NamesEveryOne(CancellationToken cancellationToken)
    {
        TaskInfo task = WithVolume("/etc");
        task.Container.Docker.Parameters.Add(new Parameter { Key = "v", Value = "/root:/root" });

        var ex = await Assert.ThrowsAsync<HookFailedException>(() => RunAsync(task, cancellationToken));

        Assert.That(ex!.Message, Does.Contain("'/etc'").And.Contain("v=/root:/root"));
    }

    [Test]
    public void Constructor_RelativeAllowedPath_Throws()
    {
        Assert.That(
            () => new SandboxVolumesHook(new SandboxVolumesHookOptions { AllowedHostPaths = ["data", "/ok", ""] }),
            Throws.TypeOf<ExecutorConfigurationException>().With.Message.Contains("allowed_host_paths[0] 'data'").And.Message.Contains("allowed_host_paths[2]"));
    }
}
