using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.Executor.Hooks.Tests.Support;
using Mesos.Executor.Testing;
using Mesos.V1;
using NUnit.Framework;

namespace Mesos.Executor.Hooks.Tests;

[TestFixture]
public sealed class AclHookTests
{
    private const int Pid = 4242;
    private const string Comment = "mesos-executor:web-1";
    private TestTasks.FakeProc _proc = null!;
    private IptablesSimulator _iptables = null!;

    [SetUp]
    public void SetUp()
    {
        _proc = new TestTasks.FakeProc();
        _proc.SetNamespace(Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "net:[4026532183]");
        _iptables = new IptablesSimulator();
    }

    [TearDown]
    public void TearDown() => _proc.Dispose();

    private string Netns => _proc.NetnsPath(Pid);

    private AclHook Hook(AclHookOptions? options = null) => new(options ?? new AclHookOptions { FilterIPv6 = false }, _iptables.Runner, _proc.Root);

    private static ContainerDetails Container(bool hostNetwork = false, params string[] gateways) => new()
    {
        Id = "0123456789abcdef",
        Pid = Pid,
        UsesHostNetwork = hostNetwork,
        IPAddresses = [IPAddress.Parse("172.17.0.5")],
        Gateways = gateways.Select(IPAddress.Parse).ToArray(),
    };

    private HookContext Context(string? allowed, ContainerDetails? container = null)
    {
        TaskInfo task = allowed is null ? TestTasks.Task() : TestTasks.Task("web-1", ("EXECUTOR_ALLOWED_IP", allowed));
        return HookTestHarness.CreateContext(task, container: container ?? Container(false, "172.17.0.1"));
    }

    private string[] Nsenter(string tool, string command, params string[] spec) =>
        ["nsenter", $"--net={Netns}", "--", tool, "-w", "-t", "filter", command, "INPUT", .. spec];

    private static string[] Spec(params string[] matchesAndTarget) =>
        [.. matchesAndTarget[..^1], "-m", "comment", "--comment", Comment, "-j", matchesAndTarget[^1]];

    private List<string[]> CallsWith(string command) => _iptables.Calls.Where(c => c.Contains(command)).ToList();

    [Test]
    [CancelAfter(10_000)]
    public async Task PostRunAsync_NoLabel_RunsNoCommand(CancellationToken cancellationToken)
    {
        await HookTestHarness.RunPhaseAsync(Hook(), HookPhase.PostRun, Context(null), cancellationToken);

        Assert.That(_iptables.Calls, Is.Empty);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PostRunAsync_AllowedSources_AppendsRulesInOrderInTheContainerNamespace(CancellationToken cancellationToken)
    {
        var hook = Hook(new AclHookOptions { FilterIPv6 = false, DefaultAllowedSources = ["192.168.0.0/16"] });

        await HookTestHarness.RunPhaseAsync(hook, HookPhase.PostRun, Context("8.8.8.8, 10.0.0.0/24"), cancellationToken);

        string[][] expected =
        [
            Nsenter("iptables", "-A", Spec("-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "ACCEPT")),
            Nsenter("iptables", "-A", Spec("-i", "lo", "ACCEPT")),
            Nsenter("iptables", "-A", Spec("-s", "8.8.8.8/32", "ACCEPT")),
            Nsenter("iptables", "-A", Spec("-s", "10.0.0.0/24", "ACCEPT")),
            Nsenter("iptables", "-A", Spec("-s", "172.17.0.1/32", "ACCEPT")),
            Nsenter("iptables", "-A", Spec("-s", "192.168.0.0/16", "ACCEPT")),
            Nsenter("iptables", "-A", Spec("DROP")),
        ];
        Assert.That(CallsWith("-A"), Is.EqualTo(expected));
        // Each append was preceded by a check of the very same rule.
        Assert.That(CallsWith("-C").Select(c => string.Join(' ', c).Replace(" -C ", " -A ", StringComparison.Ordinal)), Is.EqualTo(expected.Select(c => string.Join(' ', c))));
        Assert.That(_iptables.Rules("iptables", "filter", "INPUT", Netns), Has.Count.EqualTo(7));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PostRunAsync_HostBitsAndDuplicates_NormalisesAndAddsEachRuleOnce(CancellationToken cancellationToken)
    {
        await HookTestHarness.RunPhaseAsync(Hook(), HookPhase.PostRun, Context("10.0.0.7/24,10.0.0.0/24,172.17.0.1"), cancellationToken);

        var sources = CallsWith("-A").Select(c => Array.IndexOf(c, "-s") is var i and >= 0 ? c[i + 1] : null).Where(s => s is not null);
        Assert.That(sources, Is.EqualTo(new[] { "10.0.0.0/24", "172.17.0.1/32" }));
    }

    [TestCase("8.8.8.8,,10.0.0.0/24", "''")]
    [TestCase("8.8.8.8,", "''")]
    [TestCase("", "''")]
    [TestCase("8.8.8.300", "'8.8.8.300'")]
    [TestCase("10.0.0.0/33", "'10.0.0.0/33'")]
    [TestCase("10.0.0.0/", "'10.0.0.0/'")]
    [TestCase("10.0.0.0/-1", "'10.0.0.0/-1'")]
    [TestCase("10.0.0.0/8/8", "'10.0.0.0/8/8'")]
    [TestCase("10.1", "'10.1'")]
    [TestCase("010.0.0.1", "'010.0.0.1'")]
    [TestCase("fe80::1%eth0", "'fe80::1%eth0'")]
    [TestCase("2001:db8::/129", "'2001:db8::/129'")]
    [TestCase("example.com", "'example.com'")]
    [CancelAfter(10_000)]
    public async Task PostRunAsync_InvalidEntry_FailsNamingItBeforeAnyCommand(string allowed, string named, CancellationToken cancellationToken)
    {
        var ex = await Assert.ThrowsAsync<HookFailedException>(
            () => HookTestHarness.RunPhaseAsync(Hook(new AclHookOptions()), HookPhase.PostRun, Context(allowed), cancellationToken));

        Assert.That(ex!.HookName, Is.EqualTo("acl"));
        Assert.That(ex.Phase, Is.EqualTo(HookPhase.PostRun));
        Assert.That(ex.Message, Does.Contain(named).And.Contain("EXECUTOR_ALLOWED_IP"));
        Assert.That(_iptables.Calls, Is.Empty);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PostRunAsync_SeveralInvalidEntries_NamesEveryOne(CancellationToken cancellationToken)
    {
        var ex = await Assert.ThrowsAsync<HookFailedException>(
            () => HookTestHarness.RunPhaseAsync(Hook(), HookPhase.PostRun, Context("1.2.3.4,bad,5.6.7.8/40"), cancellationToken));

        Assert.That(ex!.Message, Does.Contain("'bad'").And.Contain("'5.6.7.8/40'").And.Not.Contain("'1.2.3.4'"));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PostRunAsync_LabelOnTwoEntries_ChecksBoth(CancellationToken cancellationToken)
    {
        TaskInfo task = TestTasks.Task("web-1", ("EXECUTOR_ALLOWED_IP", "1.2.3.4"), ("EXECUTOR_ALLOWED_IP", null));
        var context = HookTestHarness.CreateContext(task, container: Container());

        var ex = await Assert.ThrowsAsync<HookFailedException>(() => HookTestHarness.RunPhaseAsync(Hook(), HookPhase.PostRun, context, cancellationToken));

        Assert.That(ex!.Message, Does.Contain("''"));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PostRunAsync_HostNetworking_FailsWithoutCommands(CancellationToken cancellationToken)
    {
        var ex = await Assert.ThrowsAsync<HookFailedException>(
            () => HookTestHarness.RunPhaseAsync(Hook(), HookPhase.PostRun, Context("8.8.8.8", Container(hostNetwork: true)), cancellationToken));

        Assert.That(ex!.Message, Does.Contain("host networking"));
        Assert.That(_iptables.Calls, Is.Empty);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PostRunAsync_ContainerInTheExecutorsNamespace_FailsWithoutCommands(CancellationToken cancellationToken)
    {
        _proc.SetNamespace(Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "net:[4026531840]");

        var ex = await Assert.ThrowsAsync<HookFailedException>(
            () => HookTestHarness.RunPhaseAsync(Hook(), HookPhase.PostRun, Context("8.8.8.8"), cancellationToken));

        Assert.That(ex!.Message, Does.Contain("executor's network namespace"));
        Assert.That(_iptables.Calls, Is.Empty);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PostRunAsync_NoContainerDetails_Fails(CancellationToken cancellationToken)
    {
        var context = HookTestHarness.CreateContext(TestTasks.Task("web-1", ("EXECUTOR_ALLOWED_IP", "8.8.8.8")));

        var ex = await Assert.ThrowsAsync<HookFailedException>(() => HookTestHarness.RunPhaseAsync(Hook(), HookPhase.PostRun, context, cancellationToken));

        Assert.That(ex!.Message, Does.Contain("details are unknown"));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PostRunAsync_ContainerProcessGone_Fails(CancellationToken cancellationToken)
    {
        _proc.Remove(Pid.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var ex = await Assert.ThrowsAsync<HookFailedException>(
            () => HookTestHarness.RunPhaseAsync(Hook(), HookPhase.PostRun, Context("8.8.8.8"), cancellationToken));

        Assert.That(ex!.Message, Does.Contain("is gone"));
        Assert.That(_iptables.Calls, Is.Empty);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PostRunAsync_FilterIPv6_AddsIp6tablesRulesWithNeighbourDiscovery(CancellationToken cancellationToken)
    {
        var hook = Hook(new AclHookOptions());

        await HookTestHarness.RunPhaseAsync(hook, HookPhase.PostRun, Context("8.8.8.8,2001:db8::/32", Container(false, "172.17.0.1", "fe80::1")), cancellationToken);

        var ipv6 = CallsWith("-A").Where(c => c[3] == "ip6tables").ToList();
        string[][] expected =
        [
            Nsenter("ip6tables", "-A", Spec("-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "ACCEPT")),
            Nsenter("ip6tables", "-A", Spec("-i", "lo", "ACCEPT")),
            Nsenter("ip6tables", "-A", Spec("-p", "ipv6-icmp", "-m", "icmp6", "--icmpv6-type", "router-advertisement", "ACCEPT")),
            Nsenter("ip6tables", "-A", Spec("-p", "ipv6-icmp", "-m", "icmp6", "--icmpv6-type", "neighbour-solicitation", "ACCEPT")),
            Nsenter("ip6tables", "-A", Spec("-p", "ipv6-icmp", "-m", "icmp6", "--icmpv6-type", "neighbour-advertisement", "ACCEPT")),
            Nsenter("ip6tables", "-A", Spec("-s", "2001:db8::/32", "ACCEPT")),
            Nsenter("ip6tables", "-A", Spec("-s", "fe80::1/128", "ACCEPT")),
            Nsenter("ip6tables", "-A", Spec("DROP")),
        ];
        Assert.That(ipv6, Is.EqualTo(expected));
        Assert.That(CallsWith("-A").Where(c => c[3] == "iptables").Select(c => c.Contains("2001:db8::/32")), Has.None.True);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PostRunAsync_Ipv6EntryWithIpv6FilteringOff_FailsNamingIt(CancellationToken cancellationToken)
    {
        var ex = await Assert.ThrowsAsync<HookFailedException>(
            () => HookTestHarness.RunPhaseAsync(Hook(), HookPhase.PostRun, Context("2001:db8::1"), cancellationToken));

        Assert.That(ex!.Message, Does.Contain("'2001:db8::1'").And.Contain("filter_ipv6"));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PostRunAsync_IptablesFails_FailsNamingTheRuleAndTheError(CancellationToken cancellationToken)
    {
        _iptables.FailWhen = ("DROP", 4, "iptables: Resource temporarily unavailable.");

        var ex = await Assert.ThrowsAsync<HookFailedException>(
            () => HookTestHarness.RunPhaseAsync(Hook(), HookPhase.PostRun, Context("8.8.8.8"), cancellationToken));

        Assert.That(ex!.Message, Does.Contain("-j DROP").And.Contain("Resource temporarily unavailable").And.Contain("exited with 4"));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PreStopAsync_AfterPostRun_DeletesExactlyTheAddedRulesInReverseOrder(CancellationToken cancellationToken)
    {
        var hook = Hook();
        var context = Context("8.8.8.8");
        await HookTestHarness.RunPhaseAsync(hook, HookPhase.PostRun, context, cancellationToken);
        var added = CallsWith("-A").Select(c => string.Join(' ', c)).ToList();

        await HookTestHarness.RunPhaseAsync(hook, HookPhase.PreStop, context, cancellationToken);

        var deleted = CallsWith("-D").Select(c => string.Join(' ', c).Replace(" -D ", " -A ", StringComparison.Ordinal)).ToList();
        Assert.That(deleted, Is.EqualTo(Enumerable.Reverse(added)));
        Assert.That(_iptables.TotalRules, Is.Zero);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PostRunAsync_Twice_AddsNothingTheSecondTimeAndTeardownDeletesOnce(CancellationToken cancellationToken)
    {
        var hook = Hook();
        var context = Context("8.8.8.8");
        await HookTestHarness.RunPhaseAsync(hook, HookPhase.PostRun, context, cancellationToken);
        int appended = CallsWith("-A").Count;

        await HookTestHarness.RunPhaseAsync(hook, HookPhase.PostRun, context, cancellationToken);
        await HookTestHarness.RunPhaseAsync(hook, HookPhase.PreStop, context, cancellationToken);

        Assert.That(CallsWith("-A"), Has.Count.EqualTo(appended));
        Assert.That(CallsWith("-D"), Has.Count.EqualTo(appended));
        Assert.That(_iptables.TotalRules, Is.Zero);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PreStopAsync_RulePresentBeforeTheHook_IsLeftInPlace(CancellationToken cancellationToken)
    {
        // Someone else's identical rule: not added by the hook, so not removed by it either.
        var hook = Hook();
        var context = Context("8.8.8.8");
        await _iptables.Runner.RunAsync("nsenter", Nsenter("iptables", "-A", Spec("-i", "lo", "ACCEPT"))[1..], cancellationToken);

        await HookTestHarness.RunPhaseAsync(hook, HookPhase.PostRun, context, cancellationToken);
        await HookTestHarness.RunPhaseAsync(hook, HookPhase.PreStop, context, cancellationToken);

        Assert.That(_iptables.Rules("iptables", "filter", "INPUT", Netns), Is.EqualTo(new[] { string.Join(' ', Spec("-i", "lo", "ACCEPT")) }));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PreStopAsync_ContainerGone_RunsNoCommandAndSucceeds(CancellationToken cancellationToken)
    {
        var hook = Hook();
        var context = Context("8.8.8.8");
        await HookTestHarness.RunPhaseAsync(hook, HookPhase.PostRun, context, cancellationToken);
        _iptables.Calls.Clear();
        _proc.Remove(Pid.ToString(System.Globalization.CultureInfo.InvariantCulture));

        await HookTestHarness.RunPhaseAsync(hook, HookPhase.PreStop, context, cancellationToken);

        Assert.That(_iptables.Calls, Is.Empty);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PreStopAsync_PidReusedByAnotherNamespace_RunsNoCommand(CancellationToken cancellationToken)
    {
        var hook = Hook();
        var context = Context("8.8.8.8");
        await HookTestHarness.RunPhaseAsync(hook, HookPhase.PostRun, context, cancellationToken);
        _iptables.Calls.Clear();
        _proc.SetNamespace(Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "net:[4026531840]");

        await HookTestHarness.RunPhaseAsync(hook, HookPhase.PreStop, context, cancellationToken);

        Assert.That(_iptables.Calls, Is.Empty);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PreStopAsync_NsenterCannotEnter_StopsQuietly(CancellationToken cancellationToken)
    {
        var hook = Hook();
        var context = Context("8.8.8.8");
        await HookTestHarness.RunPhaseAsync(hook, HookPhase.PostRun, context, cancellationToken);
        _iptables.GoneNamespaces.Add(Netns);

        await HookTestHarness.RunPhaseAsync(hook, HookPhase.PreStop, context, cancellationToken);

        Assert.That(CallsWith("-D"), Has.Count.EqualTo(1));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PreStopAsync_OneDeleteFails_DeletesTheOthersAndReportsIt(CancellationToken cancellationToken)
    {
        var hook = Hook();
        var context = Context("8.8.8.8");
        await HookTestHarness.RunPhaseAsync(hook, HookPhase.PostRun, context, cancellationToken);
        _iptables.FailWhen = ("-D INPUT -s 8.8.8.8/32", 4, "iptables: Resource temporarily unavailable.");

        var ex = await Assert.ThrowsAsync<HookFailedException>(() => HookTestHarness.RunPhaseAsync(hook, HookPhase.PreStop, context, cancellationToken));

        Assert.That(ex!.Phase, Is.EqualTo(HookPhase.PreStop));
        Assert.That(ex.Message, Does.Contain("8.8.8.8/32").And.Contain("1 rule(s)"));
        Assert.That(_iptables.Rules("iptables", "filter", "INPUT", Netns), Is.EqualTo(new[] { string.Join(' ', Spec("-s", "8.8.8.8/32", "ACCEPT")) }));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PostStopAsync_WithoutPreStop_DeletesTheRules(CancellationToken cancellationToken)
    {
        var hook = Hook();
        var context = Context("8.8.8.8");
        await HookTestHarness.RunPhaseAsync(hook, HookPhase.PostRun, context, cancellationToken);

        await HookTestHarness.RunPhaseAsync(hook, HookPhase.PostStop, context, cancellationToken);
        await HookTestHarness.RunPhaseAsync(hook, HookPhase.PreStop, context, cancellationToken);

        Assert.That(_iptables.TotalRules, Is.Zero);
        Assert.That(CallsWith("-D"), Has.Count.EqualTo(CallsWith("-A").Count));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PreStopAsync_TwoTasks_EachRemovesOnlyItsOwnRules(CancellationToken cancellationToken)
    {
        var hook = Hook();
        _proc.SetNamespace("5000", "net:[4026532999]");
        var first = Context("8.8.8.8");
        var second = HookTestHarness.CreateContext(
            TestTasks.Task("web-2", ("EXECUTOR_ALLOWED_IP", "9.9.9.9")),
            container: Container() with { Pid = 5000 });
        await HookTestHarness.RunPhaseAsync(hook, HookPhase.PostRun, first, cancellationToken);
        await HookTestHarness.RunPhaseAsync(hook, HookPhase.PostRun, second, cancellationToken);

        await HookTestHarness.RunPhaseAsync(hook, HookPhase.PreStop, first, cancellationToken);

        Assert.That(_iptables.Rules("iptables", "filter", "INPUT", Netns), Is.Empty);
        Assert.That(_iptables.Rules("iptables", "filter", "INPUT", _proc.NetnsPath(5000)), Has.Count.EqualTo(4));
    }

    [Test]
    public void Constructor_InvalidOptions_ListsEveryProblem()
    {
        var options = new AclHookOptions
        {
            LabelName = " ",
            DefaultAllowedSources = ["10.0.0.0/8", "300.1.1.1", "2001:db8::/32"],
            FilterIPv6 = false,
            NsenterCommand = "",
        };

        var ex = Assert.Throws<ExecutorConfigurationException>(() => _ = new AclHook(options));

        Assert.That(ex!.Message, Does.Contain("label_name").And.Contain("default_allowed_sources[1] '300.1.1.1'")
            .And.Contain("default_allowed_sources[2] '2001:db8::/32'").And.Contain("nsenter_command").And.Contain("'acl'"));
    }

    [Test]
    public void Options_Defaults_AreDocumentedValues()
    {
        var options = new AclHookOptions();

        Assert.That(options.Priority, Is.EqualTo(200));
        Assert.That(options.LabelName, Is.EqualTo("EXECUTOR_ALLOWED_IP"));
        Assert.That(options.DefaultAllowedSources, Is.Empty);
        Assert.That(options.FilterIPv6, Is.True);
        Assert.That(new AclHook(options).Name, Is.EqualTo("acl"));
    }
}
