using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.Executor.Docker;
using Mesos.Executor.Hooks;
using Mesos.Executor.Testing;
using Mesos.Executor.TestSupport;
using NUnit.Framework;

namespace Mesos.Executor.Integration.Tests.Hooks;

[TestFixture]
[Category("Docker")]
[Category("Privileged")]
public sealed class NetnsHookIntegrationTests
{
    private DockerContainerizer? _containerizer;
    private string? _link;

    [TearDown]
    public async Task TearDownAsync()
    {
        if (_link is not null && HookHost.LinkExists(_link))
        {
            File.Delete(_link);
        }

        if (_containerizer is not null)
        {
            await _containerizer.DisposeAsync();
        }

        await DockerTestEnvironment.CleanupAsync();
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task NetnsHook_RunningContainer_IpNetnsExecSeesItsAddressUntilPostStop(CancellationToken cancellationToken)
    {
        await HookHost.RequireAsync(cancellationToken);
        _containerizer = HookHost.CreateContainerizer();
        HookContext context = await HookHost.StartAsync(_containerizer, HookHost.Task("netns/web", "sleep 120"), cancellationToken);
        string name = NetnsHook.LinkName(context.Task.TaskId.Value);
        _link = Path.Combine("/var/run/netns", name);
        var hook = new NetnsHook();

        await HookTestHarness.RunPhaseAsync(hook, HookPhase.PostRun, context, cancellationToken);

        var list = await HookHost.RunAsync("ip", ["netns", "list"], cancellationToken);
        Assert.That(list.Output, Does.Contain(name));
        var addr = await HookHost.RunAsync("ip", ["netns", "exec", name, "ip", "-4", "addr"], cancellationToken);
        Assert.That(addr.ExitCode, Is.Zero, addr.Error);
        Assert.That(addr.Output, Does.Contain(context.Container!.IPAddresses[0] + "/"));

        await _containerizer.StopAsync(context.ContainerId!, System.TimeSpan.FromSeconds(1), cancellationToken);
        await HookTestHarness.RunPhaseAsync(hook, HookPhase.PostStop, context, cancellationToken);

        Assert.That(HookHost.LinkExists(_link), Is.False);
        Assert.That((await HookHost.RunAsync("ip", ["netns", "list"], cancellationToken)).Output, Does.Not.Contain(name));
    }
}
