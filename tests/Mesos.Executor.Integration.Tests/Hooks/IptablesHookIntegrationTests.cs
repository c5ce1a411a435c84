using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.Executor.Docker;
using Mesos.Executor.Hooks;
using Mesos.Executor.Testing;
using Mesos.Executor.TestSupport;
using Mesos.V1;
using NUnit.Framework;

namespace Mesos.Executor.Integration.Tests.Hooks;

[TestFixture]
[Category("Docker")]
[Category("Privileged")]
public sealed class IptablesHookIntegrationTests
{
    // Per-run chains, so parallel runs and the real MESOS-EXECUTOR-* chains are never touched.
    private static readonly string FilterChain = "MXT-F-" + DockerTestEnvironment.RunId[..8];
    private static readonly string NatChain = "MXT-N-" + DockerTestEnvironment.RunId[..8];
    private DockerContainerizer? _containerizer;

    [TearDown]
    public async Task TearDownAsync()
    {
        if (_containerizer is not null)
        {
            await _containerizer.DisposeAsync();
        }

        await DockerTestEnvironment.CleanupAsync();
        foreach (var (table, builtIn, chain) in new[] { ("filter", "FORWARD", FilterChain), ("nat", "POSTROUTING", NatChain) })
        {
            while ((await HookHost.RunAsync("iptables", ["-w", "-t", table, "-D", builtIn, "-j", chain], CancellationToken.None)).ExitCode == 0)
            {
            }

            await HookHost.RunAsync("iptables", ["-w", "-t", table, "-F", chain], CancellationToken.None);
            await HookHost.RunAsync("iptables", ["-w", "-t", table, "-X", chain], CancellationToken.None);
        }
    }

    private static async Task<string[]> TaskRulesAsync(string table, string chain, string comment, CancellationToken cancellationToken)
    {
        var listed = await HookHost.RunAsync("iptables", ["-w", "-t", table, "-S", chain], cancellationToken);
        Assert.That(listed.ExitCode, Is.Zero, listed.Error);
        return listed.Output.Split('\n').Where(l => l.Contains(comment, StringComparison.Ordinal)).ToArray();
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task IptablesHook_PublishedPort_RulesAppearOnceAndVanishAtTeardown(CancellationToken cancellationToken)
    {
        await HookHost.RequireAsync(cancellationToken);
        _containerizer = HookHost.CreateContainerizer();
        TaskInfo task = HookHost.Task("iptables-web", $"httpd -f -p {HookHost.HttpPort} -h /var/www");
        int hostPort = 20000 + Random.Shared.Next(10000);
        task.Resources.Add(new Resource
        {
            Name = "ports",
            Type = Value.Types.Type.Ranges,
            Ranges = new Value.Types.Ranges { Range = { new Value.Types.Range { Begin = (ulong)hostPort, End = (ulong)hostPort } } },
        });
        task.Container.Docker.PortMappings.Add(new ContainerInfo.Types.DockerInfo.Types.PortMapping { HostPort = (uint)hostPort, ContainerPort = HookHost.HttpPort, Protocol = "tcp" });
        HookContext context = await HookHost.StartAsync(_containerizer, task, cancellationToken);
        Assert.That(context.Container!.PublishedPorts.Select(p => p.ContainerPort), Does.Contain(HookHost.HttpPort));
        string comment = "mesos-executor:" + context.Task.TaskId.Value;
        string address = context.Container.IPAddresses.First(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork) + "/32";
        var hook = new IptablesHook(new IptablesHookOptions { FilterChain = FilterChain, NatChain = NatChain });

        await HookTestHarness.RunPhaseAsync(hook, HookPhase.PostRun, context, cancellationToken);
        await HookTestHarness.RunPhaseAsync(hook, HookPhase.PostRun, context, cancellationToken);

        string[] forward = await TaskRulesAsync("filter", FilterChain, comment, cancellationToken);
        string[] nat = await TaskRulesAsync("nat", NatChain, comment, cancellationToken);
        Assert.That(forward, Has.Length.EqualTo(2), "in and out, once each despite two runs");
        Assert.That(forward, Has.Some.Contains($"-d {address}").And.Some.Contains("--dport 8080"));
        Assert.That(nat, Has.Length.EqualTo(2), "outbound masquerade and hairpin");
        Assert.That(nat, Has.All.Contains("-j MASQUERADE"));
        var jumps = await HookHost.RunAsync("iptables", ["-w", "-t", "filter", "-S", "FORWARD"], cancellationToken);
        Assert.That(jumps.Output.Split('\n').Count(l => l == $"-A FORWARD -j {FilterChain}"), Is.EqualTo(1));

        await HookTestHarness.RunPhaseAsync(hook, HookPhase.PreStop, context, cancellationToken);

        Assert.That(await TaskRulesAsync("filter", FilterChain, comment, cancellationToken), Is.Empty);
        Assert.That(await TaskRulesAsync("nat", NatChain, comment, cancellationToken), Is.Empty);
    }
}
