using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.Executor.Hooks.Tests.Support;
using Mesos.Executor.Testing;
using NUnit.Framework;

namespace Mesos.Executor.Hooks.Tests;

[TestFixture]
public sealed class IptablesHookTests
{
    private const string Comment = "mesos-executor:web-1";
    private IptablesSimulator _iptables = null!;

    [SetUp]
    public void SetUp() => _iptables = new IptablesSimulator();

    private IptablesHook Hook(IptablesHookOptions? options = null) => new(options ?? new IptablesHookOptions(), _iptables.Runner);

    private static ContainerDetails Container(bool hostNetwork = false) => new()
    {
        Id = "0123456789abcdef",
        Pid = 4242,
        UsesHostNetwork = hostNetwork,
        IPAddresses = [IPAddress.Parse("172.17.0.5"), IPAddress.Parse("fd00::5")],
        PublishedPorts =
        [
            new PublishedPort { HostPort = 31000, ContainerPort = 8080, Protocol = "tcp" },
            new PublishedPort { HostPort = 31000, ContainerPort = 8080, Protocol = "tcp", HostIP = "::" },
            new PublishedPort { HostPort = 31001, ContainerPort = 53, Protocol = "UDP" },
        ],
    };

    private static HookContext Context(ContainerDetails? container = null, string taskId = "web-1") =>
        HookTestHarness.CreateContext(TestTasks.Task(taskId), container: container ?? Container());

    private static string[] Ipt(params string[] arguments) => ["iptables", "-w", .. arguments];

    private static string[] Tagged(params string[] matchesAndTarget) =>
        [.. matchesAndTarget[..^1], "-m", "comment", "--comment", Comment, "-j", matchesAndTarget[^1]];

    private List<string[]> CallsWith(string command) => _iptables.Calls.Where(c => c.Contains(command)).ToList();

    private static readonly string[][] ExpectedRules =
    [
        Ipt(["-t", "filter", "-A", "MESOS-EXECUTOR-FORWARD", .. Tagged("-d", "172.17.0.5/32", "!", "-i", "docker0", "-o", "docker0", "-p", "tcp", "-m", "tcp", "--dport", "8080", "ACCEPT")]),
        Ipt(["-t", "filter", "-A", "MESOS-EXECUTOR-FORWARD", .. Tagged("-s", "172.17.0.5/32", "-i", "docker0", "!", "-o", "docker0", "-p", "tcp", "-m", "tcp", "--sport", "8080", "ACCEPT")]),
        Ipt(["-t", "filter", "-A", "MESOS-EXECUTOR-FORWARD", .. Tagged("-d", "172.17.0.5/32", "!", "-i", "docker0", "-o", "docker0", "-p", "udp", "-m", "udp", "--dport", "53", "ACCEPT")]),
        Ipt(["-t", "filter", "-A", "MESOS-EXECUTOR-FORWARD", .. Tagged("-s", "172.17.0.5/32", "-i", "docker0", "!", "-o", "docker0", "-p", "udp", "-m", "udp", "--sport", "53", "ACCEPT")]),
        Ipt(["-t", "nat", "-A", "MESOS-EXECUTOR-POSTROUTING", .. Tagged("-s", "172.17.0.5/32", "!", "-o", "docker0", "MASQUERADE")]),
        Ipt(["-t", "nat", "-A", "MESOS-EXECUTOR-POSTROUTING", .. Tagged("-s", "172.17.0.5/32", "-d", "172.17.0.5/32", "-p", "tcp", "-m", "tcp", "--dport", "8080", "MASQUERADE")]),
        Ipt(["-t", "nat", "-A", "MESOS-EXECUTOR-POSTROUTING", .. Tagged("-s", "172.17.0.5/32", "-d", "172.17.0.5/32", "-p", "udp", "-m", "udp", "--dport", "53", "MASQUERADE")]),
    ];

    [Test]
    [CancelAfter(10_000)]
    public async Task PostRunAsync_PublishedPorts_CreatesChainsJumpsAndTaggedRules(CancellationToken cancellationToken)
    {
        await HookTestHarness.RunPhaseAsync(Hook(), HookPhase.PostRun, Context(), cancellationToken);

        string[][] expectedChanges =
        [
            Ipt("-t", "filter", "-N", "MESOS-EXECUTOR-FORWARD"),
            Ipt("-t", "filter", "-A", "FORWARD", "-j", "MESOS-EXECUTOR-FORWARD"),
            Ipt("-t", "nat", "-N", "MESOS-EXECUTOR-POSTROUTING"),
            Ipt("-t", "nat", "-A", "POSTROUTING", "-j", "MESOS-EXECUTOR-POSTROUTING"),
            .. ExpectedRules,
        ];
        Assert.That(_iptables.Calls.Where(c => c.Contains("-A") || c.Contains("-N")), Is.EqualTo(expectedChanges));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PostRunAsync_Twice_AddsNothingTheSecondTime(CancellationToken cancellationToken)
    {
        var hook = Hook();
        await HookTestHarness.RunPhaseAsync(hook, HookPhase.PostRun, Context(), cancellationToken);
        int changes = _iptables.Changes.Count();
        int rules = _iptables.TotalRules;

        await HookTestHarness.RunPhaseAsync(hook, HookPhase.PostRun, Context(), cancellationToken);

        Assert.That(_iptables.Changes.Count(), Is.EqualTo(changes));
        Assert.That(_iptables.TotalRules, Is.EqualTo(rules));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PostRunAsync_ChainsAndJumpsExist_OnlyAddsTheTasksRules(CancellationToken cancellationToken)
    {
        await HookTestHarness.RunPhaseAsync(Hook(), HookPhase.PostRun, Context(taskId: "other"), cancellationToken);
        _iptables.Calls.Clear();

        await HookTestHarness.RunPhaseAsync(Hook(), HookPhase.PostRun, Context(), cancellationToken);

        Assert.That(CallsWith("-N"), Is.Empty);
        Assert.That(CallsWith("-A"), Is.EqualTo(ExpectedRules));
        Assert.That(_iptables.Rules("iptables", "filter", "FORWARD"), Is.EqualTo(new[] { "-j MESOS-EXECUTOR-FORWARD" }));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PreStopAsync_AfterPostRun_DeletesExactlyTheTasksRulesAndKeepsChains(CancellationToken cancellationToken)
    {
        var hook = Hook();
        await HookTestHarness.RunPhaseAsync(hook, HookPhase.PostRun, Context(), cancellationToken);

        await HookTestHarness.RunPhaseAsync(hook, HookPhase.PreStop, Context(), cancellationToken);

        var deleted = CallsWith("-D").Select(c => string.Join(' ', c).Replace(" -D ", " -A ", StringComparison.Ordinal));
        Assert.That(deleted, Is.EqualTo(ExpectedRules.Reverse().Select(c => string.Join(' ', c))));
        Assert.That(_iptables.Rules("iptables", "filter", "MESOS-EXECUTOR-FORWARD"), Is.Empty);
        Assert.That(_iptables.Rules("iptables", "nat", "MESOS-EXECUTOR-POSTROUTING"), Is.Empty);
        Assert.That(_iptables.Rules("iptables", "filter", "FORWARD"), Has.Count.EqualTo(1), "the shared jump stays");
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PostStopAsync_AfterPreStop_DeletesNothingMore(CancellationToken cancellationToken)
    {
        var hook = Hook();
        await HookTestHarness.RunPhaseAsync(hook, HookPhase.PostRun, Context(), cancellationToken);
        await HookTestHarness.RunPhaseAsync(hook, HookPhase.PreStop, Context(), cancellationToken);
        int deletes = CallsWith("-D").Count;

        await HookTestHarness.RunPhaseAsync(hook, HookPhase.PostStop, Context(), cancellationToken);

        Assert.That(CallsWith("-D"), Has.Count.EqualTo(deletes));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PostStopAsync_WithoutPreStop_DeletesTheRules(CancellationToken cancellationToken)
    {
        var hook = Hook();
        await HookTestHarness.RunPhaseAsync(hook, HookPhase.PostRun, Context(), cancellationToken);

        await HookTestHarness.RunPhaseAsync(hook, HookPhase.PostStop, Context(), cancellationToken);

        Assert.That(_iptables.Rules("iptables", "filter", "MESOS-EXECUTOR-FORWARD"), Is.Empty);
        Assert.That(_iptables.Rules("iptables", "nat", "MESOS-EXECUTOR-POSTROUTING"), Is.Empty);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PreStopAsync_RuleAlreadyDeleted_Succeeds(CancellationToken cancellationToken)
    {
        var hook = Hook();
        await HookTestHarness.RunPhaseAsync(hook, HookPhase.PostRun, Context(), cancellationToken);
        await _iptables.Runner.RunAsync("iptables", [.. ExpectedRules[0][1..].Select(a => a == "-A" ? "-D" : a)], cancellationToken);

        await HookTestHarness.RunPhaseAsync(hook, HookPhase.PreStop, Context(), cancellationToken);

        Assert.That(_iptables.Rules("iptables", "filter", "MESOS-EXECUTOR-FORWARD"), Is.Empty);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PostRunAsync_CustomOptions_UsesChainsAndBridgeAndSwitches(CancellationToken cancellationToken)
    {
        var hook = Hook(new IptablesHookOptions { FilterChain = "MY-FWD", BridgeInterface = "br0", EnableMasquerading = false });

        await HookTestHarness.RunPhaseAsync(hook, HookPhase.PostRun, Context(), cancellationToken);

        Assert.That(_iptables.Calls.Any(c => c.Contains("nat")), Is.False);
        Assert.That(_iptables.Rules("iptables", "filter", "FORWARD"), Is.EqualTo(new[] { "-j MY-FWD" }));
        Assert.That(_iptables.Rules("iptables", "filter", "MY-FWD"), Has.Count.EqualTo(4).And.All.Contain("br0"));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PostRunAsync_HostNetworking_RunsNoCommand(CancellationToken cancellationToken)
    {
        var hook = Hook();

        await HookTestHarness.RunPhaseAsync(hook, HookPhase.PostRun, Context(Container(hostNetwork: true)), cancellationToken);
        await HookTestHarness.RunPhaseAsync(hook, HookPhase.PreStop, Context(Container(hostNetwork: true)), cancellationToken);

        Assert.That(_iptables.Calls, Is.Empty);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PostRunAsync_NoIpv4Address_RunsNoCommand(CancellationToken cancellationToken)
    {
        var container = Container() with { IPAddresses = [IPAddress.Parse("fd00::5")] };

        await HookTestHarness.RunPhaseAsync(Hook(), HookPhase.PostRun, Context(container), cancellationToken);

        Assert.That(_iptables.Calls, Is.Empty);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PostRunAsync_InvalidPublishedPort_FailsNamingIt(CancellationToken cancellationToken)
    {
        var container = Container() with { PublishedPorts = [new PublishedPort { HostPort = 1, ContainerPort = 0, Protocol = "tcp" }, new PublishedPort { HostPort = 2, ContainerPort = 80, Protocol = "icmp" }] };

        var ex = await Assert.ThrowsAsync<HookFailedException>(() => HookTestHarness.RunPhaseAsync(Hook(), HookPhase.PostRun, Context(container), cancellationToken));

        Assert.That(ex!.Message, Does.Contain("0/tcp").And.Contain("80/icmp"));
        Assert.That(_iptables.Calls, Is.Empty);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PostRunAsync_IptablesFails_FailsWithTheCommandAndError(CancellationToken cancellationToken)
    {
        _iptables.FailWhen = ("-N MESOS-EXECUTOR-FORWARD", 3, "iptables v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)");

        var ex = await Assert.ThrowsAsync<HookFailedException>(() => HookTestHarness.RunPhaseAsync(Hook(), HookPhase.PostRun, Context(), cancellationToken));

        Assert.That(ex!.HookName, Is.EqualTo("iptables"));
        Assert.That(ex.Message, Does.Contain("iptables -w -t filter -N MESOS-EXECUTOR-FORWARD").And.Contain("you must be root"));
    }

    [Test]
    public void Constructor_InvalidOptions_ListsEveryProblem()
    {
        var options = new IptablesHookOptions
        {
            FilterChain = "FORWARD",
            NatChain = "A-CHAIN-NAME-THAT-IS-FAR-TOO-LONG",
            BridgeInterface = "bridge/with/slash",
        };

        var ex = Assert.Throws<ExecutorConfigurationException>(() => _ = new IptablesHook(options));

        Assert.That(ex!.Message, Does.Contain("filter_chain 'FORWARD'").And.Contain("nat_chain").And.Contain("bridge_interface"));
    }
}
