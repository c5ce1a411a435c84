using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Hooks.Internal;
using Mesos.Executor.Hooks.Tests.Support;
using NUnit.Framework;

namespace Mesos.Executor.Hooks.Tests.Internal;

[TestFixture]
public sealed class IptablesRunnerTests
{
    private static readonly IptablesRule Rule = new(IpFamily.IPv4, "filter", "INPUT", ["-s", "1.2.3.4/32", "-j", "ACCEPT"]);

    private static ScriptedCommandRunner Runner(params CommandResult[] results) => new(results);

    [Test]
    public void BuildCommand_HostNamespace_IsIptablesWithWait()
    {
        var runner = new IptablesRunner(new ScriptedCommandRunner(), "/sbin/iptables", "/sbin/ip6tables");

        var (fileName, arguments) = runner.BuildCommand(IpFamily.IPv6, null, ["-t", "nat", "-S"]);

        Assert.That(fileName, Is.EqualTo("/sbin/ip6tables"));
        Assert.That(arguments, Is.EqualTo(new[] { "-w", "-t", "nat", "-S" }));
    }

    [Test]
    public void BuildCommand_OtherNamespace_GoesThroughNsenterWithoutAShell()
    {
        var runner = new IptablesRunner(new ScriptedCommandRunner(), nsenterCommand: "/usr/bin/nsenter");

        var (fileName, arguments) = runner.BuildCommand(IpFamily.IPv4, "/proc/42/ns/net", Rule.Arguments("-A"));

        Assert.That(fileName, Is.EqualTo("/usr/bin/nsenter"));
        Assert.That(arguments, Is.EqualTo(new[] { "--net=/proc/42/ns/net", "--", "iptables", "-w", "-t", "filter", "-A", "INPUT", "-s", "1.2.3.4/32", "-j", "ACCEPT" }));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task AppendIfMissingAsync_Missing_ChecksThenAppends(CancellationToken cancellationToken)
    {
        var runner = Runner(new CommandResult(1, "", "iptables: Bad rule"), CommandResult.Success);

        bool appended = await new IptablesRunner(runner).AppendIfMissingAsync(Rule, null, cancellationToken);

        Assert.That(appended, Is.True);
        Assert.That(runner.Calls, Has.Count.EqualTo(2));
        Assert.That(runner.Calls.Select(c => c.FileName), Is.All.EqualTo("iptables"));
        Assert.That(runner.Calls[0].Arguments, Is.EqualTo(new[] { "-w", "-t", "filter", "-C", "INPUT", "-s", "1.2.3.4/32", "-j", "ACCEPT" }));
        Assert.That(runner.Calls[1].Arguments, Is.EqualTo(new[] { "-w", "-t", "filter", "-A", "INPUT", "-s", "1.2.3.4/32", "-j", "ACCEPT" }));
        Assert.That(runner.Calls.Select(c => c.CancellationToken), Is.All.EqualTo(cancellationToken));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task AppendIfMissingAsync_Present_DoesNotAppend(CancellationToken cancellationToken)
    {
        var runner = Runner(CommandResult.Success);

        bool appended = await new IptablesRunner(runner).AppendIfMissingAsync(Rule, null, cancellationToken);

        Assert.That(appended, Is.False);
        Assert.That(runner.Calls, Has.Count.EqualTo(1));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task ExistsAsync_ParameterProblem_ThrowsWithCommandAndError(CancellationToken cancellationToken)
    {
        var runner = Runner(new CommandResult(2, "", "iptables v1.8.9: unknown option \"--bogus\""));

        var ex = await Assert.ThrowsAsync<CommandFailedException>(() => new IptablesRunner(runner).ExistsAsync(Rule, null, cancellationToken));

        Assert.That(ex!.Message, Does.Contain("iptables -w -t filter -C INPUT").And.Contain("exited with 2").And.Contain("--bogus"));
        Assert.That(ex.NamespaceUnavailable, Is.False);
    }

    [TestCase(0, true)]
    [TestCase(1, false)]
    [CancelAfter(10_000)]
    public async Task DeleteAsync_ExitCode_TellsWhetherItWasThere(int exitCode, bool expected, CancellationToken cancellationToken)
    {
        var runner = Runner(new CommandResult(exitCode, "", ""));

        Assert.That(await new IptablesRunner(runner).DeleteAsync(Rule, null, cancellationToken), Is.EqualTo(expected));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task DeleteAsync_NsenterCannotEnter_ReportsNamespaceUnavailable(CancellationToken cancellationToken)
    {
        var runner = Runner(new CommandResult(1, "", "nsenter: cannot open /proc/42/ns/net: No such file or directory"));

        var ex = await Assert.ThrowsAsync<CommandFailedException>(() => new IptablesRunner(runner).DeleteAsync(Rule, "/proc/42/ns/net", cancellationToken));

        Assert.That(ex!.NamespaceUnavailable, Is.True);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task EnsureChainAsync_CreatedConcurrently_IsFine(CancellationToken cancellationToken)
    {
        var runner = Runner(new CommandResult(1, "", "no chain"), new CommandResult(1, "", "iptables: Chain already exists."), CommandResult.Success);

        bool created = await new IptablesRunner(runner).EnsureChainAsync(IpFamily.IPv4, "nat", "X", null, cancellationToken);

        Assert.That(created, Is.False);
    }

    [Test]
    [CancelAfter(10_000)]
    public void EnsureChainAsync_CannotCreate_Throws(CancellationToken cancellationToken)
    {
        var runner = Runner(new CommandResult(1, "", "no chain"), new CommandResult(4, "", "permission denied"), new CommandResult(1, "", "no chain"));

        Assert.That(
            () => new IptablesRunner(runner).EnsureChainAsync(IpFamily.IPv4, "nat", "X", null, cancellationToken),
            Throws.TypeOf<CommandFailedException>().With.Message.Contains("-N X").And.Message.Contains("permission denied"));
    }

    [Test]
    public void Rule_Equality_IsByValue()
    {
        var same = new IptablesRule(IpFamily.IPv4, "filter", "INPUT", ["-s", "1.2.3.4/32", "-j", "ACCEPT"]);
        var other = new IptablesRule(IpFamily.IPv6, "filter", "INPUT", ["-s", "1.2.3.4/32", "-j", "ACCEPT"]);

        Assert.That(same, Is.EqualTo(Rule));
        Assert.That(same.GetHashCode(), Is.EqualTo(Rule.GetHashCode()));
        Assert.That(other, Is.Not.EqualTo(Rule));
        Assert.That(Rule.ToString(), Is.EqualTo("iptables -t filter -A INPUT -s 1.2.3.4/32 -j ACCEPT"));
    }
}
