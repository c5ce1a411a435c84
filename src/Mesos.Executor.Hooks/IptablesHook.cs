using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.Executor.Hooks.Internal;

namespace Mesos.Executor.Hooks;

/// <summary>
/// <c>iptables</c>: host-side forwarding and masquerading rules for a container's published ports,
/// for hosts where Docker's own iptables management is off or the <c>FORWARD</c> policy drops.
/// </summary>
/// <remarks>
/// <para>
/// After the container started (post-run), for each IPv4 address A of the container and each
/// published port (container port P, protocol proto), with bridge interface B:
/// </para>
/// <list type="bullet">
/// <item>forwarding (<see cref="IptablesHookOptions.EnableForwarding"/>), in the <c>filter</c> chain
/// <see cref="IptablesHookOptions.FilterChain"/>: <c>-d A/32 ! -i B -o B -p proto -m proto --dport P -j ACCEPT</c>
/// and <c>-s A/32 -i B ! -o B -p proto -m proto --sport P -j ACCEPT</c>;</item>
/// <item>masquerading (<see cref="IptablesHookOptions.EnableMasquerading"/>), in the <c>nat</c> chain
/// <see cref="IptablesHookOptions.NatChain"/>: <c>-s A/32 ! -o B -j MASQUERADE</c> once per address, and
/// the hairpin <c>-s A/32 -d A/32 -p proto -m proto --dport P -j MASQUERADE</c> per port.</item>
/// </list>
/// <para>
/// Every rule carries <c>-m comment --comment mesos-executor:&lt;task id&gt;</c>. The chains are created
/// when absent and jumped to once, appended to <c>FORWARD</c> / <c>POSTROUTING</c> (after Docker's
/// rules, so <c>DOCKER-USER</c> restrictions still apply); they are shared by all tasks and never
/// removed. A rule that is already present is not added again (<c>-C</c> before <c>-A</c>).
/// Before the container is stopped (pre-stop; post-stop when pre-stop did not run) the task's rules
/// are deleted with exactly the arguments they were added with. Containers on HOST networking, or
/// without an IPv4 address, get no rule; IPv6 addresses are ignored.
/// </para>
/// </remarks>
public sealed class IptablesHook : IHook
{
    private const string FilterTable = "filter";
    private const string NatTable = "nat";

    private readonly IptablesHookOptions _options;
    private readonly IptablesRunner _iptables;
    private readonly ConcurrentDictionary<string, List<IptablesRule>> _applied = new(StringComparer.Ordinal);

    /// <summary>Creates the hook.</summary>
    /// <param name="options">Its options; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ExecutorConfigurationException">The options are invalid.</exception>
    public IptablesHook(IptablesHookOptions? options = null)
        : this(options ?? new IptablesHookOptions(), ProcessCommandRunner.Instance)
    {
    }

    internal IptablesHook(IptablesHookOptions options, ICommandRunner runner)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(runner);
        options.Validate();
        _options = options;
        _iptables = new IptablesRunner(runner, options.IptablesCommand);
    }

    /// <inheritdoc />
    public string Name => HookNames.Iptables;

    /// <inheritdoc />
    public int Priority => _options.Priority;

    /// <inheritdoc />
    /// <exception cref="HookFailedException">The container's details are unknown, a published port is invalid, or iptables failed.</exception>
    public async Task PostRunAsync(HookContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        string taskId = TaskFacts.TaskId(context);
        ContainerDetails container = context.Container
            ?? throw Fail(HookPhase.PostRun, "the container's details are unknown (it is not running)");
        if (!_options.EnableForwarding && !_options.EnableMasquerading)
        {
            return;
        }

        if (container.UsesHostNetwork)
        {
            context.Logger.IptablesSkipped(taskId, "the task uses host networking");
            return;
        }

        var addresses = new List<string>();
        foreach (IPAddress address in container.IPAddresses)
        {
            IPAddress ipv4 = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
            if (ipv4.AddressFamily == AddressFamily.InterNetwork && !addresses.Contains(ipv4 + "/32"))
            {
                addresses.Add(ipv4 + "/32");
            }
        }

        if (addresses.Count == 0)
        {
            context.Logger.IptablesSkipped(taskId, "the container has no IPv4 address");
            return;
        }

        List<IptablesRule> rules = BuildRules(Names.RuleComment(taskId), addresses, ValidatePorts(container.PublishedPorts));
        List<IptablesRule> state = _applied.GetOrAdd(taskId, static _ => []);
        int added = 0;
        try
        {
            if (_options.EnableForwarding)
            {
                await EnsureChainAndJumpAsync(FilterTable, "FORWARD", _options.FilterChain, context, cancellationToken).ConfigureAwait(false);
            }

            if (_options.EnableMasquerading)
            {
                await EnsureChainAndJumpAsync(NatTable, "POSTROUTING", _options.NatChain, context, cancellationToken).ConfigureAwait(false);
            }

            foreach (IptablesRule rule in rules)
            {
                // Rules carry the task's comment: one already present is this task's, from an earlier run.
                if (await _iptables.AppendIfMissingAsync(rule, netnsPath: null, cancellationToken).ConfigureAwait(false))
                {
                    added++;
                }

                if (!state.Contains(rule))
                {
                    state.Add(rule);
                }
            }
        }
        catch (CommandFailedException ex)
        {
            throw Fail(HookPhase.PostRun, ex.Message, ex);
        }

        context.Logger.IptablesApplied(taskId, added, rules.Count - added);
    }

    /// <inheritdoc />
    /// <exception cref="HookFailedException">A rule could not be removed (the others still are).</exception>
    public Task PreStopAsync(HookContext context, CancellationToken cancellationToken = default) =>
        TeardownAsync(context, HookPhase.PreStop, cancellationToken);

    /// <inheritdoc />
    /// <exception cref="HookFailedException">A rule could not be removed (the others still are).</exception>
    public Task PostStopAsync(HookContext context, CancellationToken cancellationToken = default) =>
        TeardownAsync(context, HookPhase.PostStop, cancellationToken);

    private async Task TeardownAsync(HookContext context, HookPhase phase, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        string taskId = TaskFacts.TaskId(context);
        if (!_applied.TryRemove(taskId, out List<IptablesRule>? rules) || rules.Count == 0)
        {
            return;
        }

        var failures = new List<string>();
        int removed = 0;
        for (int i = rules.Count - 1; i >= 0; i--)
        {
            try
            {
                if (await _iptables.DeleteAsync(rules[i], netnsPath: null, cancellationToken).ConfigureAwait(false))
                {
                    removed++;
                }
            }
            catch (CommandFailedException ex)
            {
                failures.Add($"'{rules[i]}': {ex.Message}");
            }
        }

        if (failures.Count > 0)
        {
            throw Fail(phase, $"could not remove {failures.Count} rule(s): {string.Join("; ", failures)}");
        }

        context.Logger.IptablesRemoved(taskId, removed);
    }

    private async Task EnsureChainAndJumpAsync(string table, string builtInChain, string chain, HookContext context, CancellationToken cancellationToken)
    {
        if (await _iptables.EnsureChainAsync(IpFamily.IPv4, table, chain, netnsPath: null, cancellationToken).ConfigureAwait(false))
        {
            context.Logger.IptablesChainCreated(table, chain);
        }

        var jump = new IptablesRule(IpFamily.IPv4, table, builtInChain, ["-j", chain]);
        await _iptables.AppendIfMissingAsync(jump, netnsPath: null, cancellationToken).ConfigureAwait(false);
    }

    private List<(string Protocol, string Port)> ValidatePorts(IReadOnlyList<PublishedPort> published)
    {
        var ports = new List<(string Protocol, string Port)>();
        var invalid = new List<string>();
        foreach (PublishedPort port in published)
        {
            string protocol = string.IsNullOrEmpty(port.Protocol) ? "tcp" : port.Protocol.ToLowerInvariant();
            if (protocol is not ("tcp" or "udp" or "sctp") || port.ContainerPort is < 1 or > 65535)
            {
                invalid.Add($"{port.ContainerPort}/{port.Protocol}");
                continue;
            }

            var entry = (protocol, port.ContainerPort.ToString(CultureInfo.InvariantCulture));
            if (!ports.Contains(entry))
            {
                ports.Add(entry);
            }
        }

        if (invalid.Count > 0)
        {
            throw Fail(HookPhase.PostRun, $"invalid published ports: {string.Join(", ", invalid)} (ports 1-65535, protocols tcp, udp, sctp)");
        }

        return ports;
    }

    private List<IptablesRule> BuildRules(string comment, List<string> addresses, List<(string Protocol, string Port)> ports)
    {
        string bridge = _options.BridgeInterface;
        var rules = new List<IptablesRule>();
        IptablesRule Rule(string table, string chain, string target, params string[] matches) =>
            new(IpFamily.IPv4, table, chain, [.. matches, "-m", "comment", "--comment", comment, "-j", target]);

        foreach (string address in addresses)
        {
            if (_options.EnableForwarding)
            {
                foreach (var (protocol, port) in ports)
                {
                    rules.Add(Rule(FilterTable, _options.FilterChain, "ACCEPT", "-d", address, "!", "-i", bridge, "-o", bridge, "-p", protocol, "-m", protocol, "--dport", port));
                    rules.Add(Rule(FilterTable, _options.FilterChain, "ACCEPT", "-s", address, "-i", bridge, "!", "-o", bridge, "-p", protocol, "-m", protocol, "--sport", port));
                }
            }

            if (_options.EnableMasquerading)
            {
                rules.Add(Rule(NatTable, _options.NatChain, "MASQUERADE", "-s", address, "!", "-o", bridge));
                foreach (var (protocol, port) in ports)
                {
                    rules.Add(Rule(NatTable, _options.NatChain, "MASQUERADE", "-s", address, "-d", address, "-p", protocol, "-m", protocol, "--dport", port));
                }
            }
        }

        return rules;
    }

    private HookFailedException Fail(HookPhase phase, string message, Exception? inner = null) => new(Name, phase, message, inner);
}
