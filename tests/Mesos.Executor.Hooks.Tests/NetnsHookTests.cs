using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.Executor.Hooks.Tests.Support;
using Mesos.Executor.Testing;
using NUnit.Framework;

namespace Mesos.Executor.Hooks.Tests;

[TestFixture]
public sealed class NetnsHookTests
{
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Path.Combine(Path.GetTempPath(), "netns-test-" + Guid.NewGuid().ToString("N"), "netns");

    [TearDown]
    public void TearDown()
    {
        string parent = Path.GetDirectoryName(_directory)!;
        if (Directory.Exists(parent))
        {
            Directory.Delete(parent, recursive: true);
        }
    }

    private NetnsHook Hook() => new(new NetnsHookOptions { Directory = _directory }, "/proc");

    private static HookContext Context(string taskId = "web-1", int pid = 4242) =>
        HookTestHarness.CreateContext(TestTasks.Task(taskId), container: new ContainerDetails { Id = "c1", Pid = pid });

    [Test]
    [CancelAfter(10_000)]
    public async Task PostRunAsync_RunningContainer_CreatesDirectoryAndLinkToItsNamespace(CancellationToken cancellationToken)
    {
        await HookTestHarness.RunPhaseAsync(Hook(), HookPhase.PostRun, Context(), cancellationToken);

        Assert.That(new FileInfo(Path.Combine(_directory, "web-1")).LinkTarget, Is.EqualTo("/proc/4242/ns/net"));
        Assert.That(Directory.GetFileSystemEntries(_directory), Has.Length.EqualTo(1), "no temporary file left");
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PostStopAsync_AfterPostRun_RemovesTheLink(CancellationToken cancellationToken)
    {
        var hook = Hook();
        var context = Context();
        await HookTestHarness.RunPhaseAsync(hook, HookPhase.PostRun, context, cancellationToken);

        await HookTestHarness.RunPhaseAsync(hook, HookPhase.PostStop, context, cancellationToken);

        Assert.That(Directory.GetFileSystemEntries(_directory), Is.Empty);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PostStopAsync_LinkReplacedBySomeoneElse_LeavesIt(CancellationToken cancellationToken)
    {
        var hook = Hook();
        var context = Context();
        await HookTestHarness.RunPhaseAsync(hook, HookPhase.PostRun, context, cancellationToken);
        string link = Path.Combine(_directory, "web-1");
        File.Delete(link);
        File.CreateSymbolicLink(link, "/proc/1/ns/net");

        await HookTestHarness.RunPhaseAsync(hook, HookPhase.PostStop, context, cancellationToken);

        Assert.That(new FileInfo(link).LinkTarget, Is.EqualTo("/proc/1/ns/net"));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PostStopAsync_WithoutPostRun_DoesNothing(CancellationToken cancellationToken)
    {
        await HookTestHarness.RunPhaseAsync(Hook(), HookPhase.PostStop, Context(), cancellationToken);

        Assert.That(Directory.Exists(_directory), Is.False);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PostRunAsync_StaleLinkOfTheSameName_ReplacesIt(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_directory);
        File.CreateSymbolicLink(Path.Combine(_directory, "web-1"), "/proc/99999/ns/net");

        await HookTestHarness.RunPhaseAsync(Hook(), HookPhase.PostRun, Context(), cancellationToken);

        Assert.That(new FileInfo(Path.Combine(_directory, "web-1")).LinkTarget, Is.EqualTo("/proc/4242/ns/net"));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PostRunAsync_RegularFileOfTheSameName_FailsAndLeavesIt(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_directory);
        string path = Path.Combine(_directory, "web-1");
        File.WriteAllText(path, string.Empty);

        var ex = await Assert.ThrowsAsync<HookFailedException>(() => HookTestHarness.RunPhaseAsync(Hook(), HookPhase.PostRun, Context(), cancellationToken));

        Assert.That(ex!.Message, Does.Contain("not a symbolic link"));
        Assert.That(new FileInfo(path).LinkTarget, Is.Null);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PostRunAsync_TaskIdWithSlash_UsesTheSanitisedName(CancellationToken cancellationToken)
    {
        await HookTestHarness.RunPhaseAsync(Hook(), HookPhase.PostRun, Context("team/web 1"), cancellationToken);

        string name = NetnsHook.LinkName("team/web 1");
        Assert.That(name, Does.Match("^team_web_1-[0-9a-f]{8}$"));
        Assert.That(new FileInfo(Path.Combine(_directory, name)).LinkTarget, Is.EqualTo("/proc/4242/ns/net"));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PostRunAsync_ContainerNotRunning_Fails(CancellationToken cancellationToken)
    {
        var ex = await Assert.ThrowsAsync<HookFailedException>(() => HookTestHarness.RunPhaseAsync(Hook(), HookPhase.PostRun, Context(pid: 0), cancellationToken));

        Assert.That(ex!.HookName, Is.EqualTo("netns"));
    }

    [Test]
    public void Constructor_RelativeDirectory_Throws()
    {
        var ex = Assert.Throws<ExecutorConfigurationException>(() => _ = new NetnsHook(new NetnsHookOptions { Directory = "run/netns" }));

        Assert.That(ex!.Message, Does.Contain("directory 'run/netns'"));
    }
}
