using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.Executor.Hooks.Internal;

namespace Mesos.Executor.Hooks;

/// <summary>
/// <c>acl</c>: restricts who may connect to a task's container. The task label
/// <c>EXECUTOR_ALLOWED_IP</c> (see <see cref="AclHookOptions.LabelName"/>) lists allowed sources,
/// comma-separated IPv4/IPv6 addresses or CIDR networks (<c>8.8.8.8,10.0.0.0/24</c>).
/// </summary>
/// <remarks>
/// <para>
/// After the container started (post-run), rules are appended to the <c>INPUT</c> chain of the
/// <em>container's</em> network namespace (<c>nsenter --net=/proc/&lt;pid&gt;/ns/net -- iptables -w ...</c>),
/// in this order: accept established/related connections (so the container's own outbound
/// connections keep working), accept loopback, accept each listed source, accept the container's
/// gateways (so probes from the host pass), accept <see cref="AclHookOptions.DefaultAllowedSources"/>,
/// drop everything else. IPv6 gets the same with <c>ip6tables</c> (plus neighbour discovery) unless
/// <see cref="AclHookOptions.FilterIPv6"/> is off. Every rule carries the comment
/// <c>mesos-executor:&lt;task id&gt;</c>.
/// </para>
/// <para>
/// Every entry is validated before any rule is added: an empty item, a malformed address or prefix
/// fails the task (TASK_FAILED naming the entries). A task without the label gets no rule. A task on
/// HOST networking fails: its "container namespace" is the host's, and the rules would cut the host
/// off.
/// </para>
/// <para>
/// Before the container is stopped (pre-stop; post-stop as a fallback) the rules added are deleted
/// with exactly the arguments they were added with; a container that is already gone is fine.
/// </para>
/// </remarks>
public sealed class AclHook : IHook
{
    private const string Table = "filter";
    private const string Chain = "INPUT";

    // Neighbour discovery is not tracked by conntrack; without it IPv6 stops working altogether.
    private static readonly string[] NeighbourDiscoveryTypes = ["router-advertisement", "neighbour-solicitation", "neighbour-advertisement"];

    private readonly AclHookOptions _options;
    private readonly IReadOnlyList<CidrBlock> _defaultSources;
    private readonly IptablesRunner _iptables;
    private readonly string _procRoot;
    private readonly ConcurrentDictionary<string, AclState> _applied = new(StringComparer.Ordinal);

    /// <summary>Creates the hook.</summary>
    /// <param name="options">Its options; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ExecutorConfigurationException">The options are invalid.</exception>
    public AclHook(AclHookOptions? options = null)
        : this(options ?? new AclHookOptions(), ProcessCommandRunner.Instance, "/proc")
    {
    }

    internal AclHook(AclHookOptions options, ICommandRunner runner, string procRoot)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(runner);
        _defaultSources = options.ParseDefaultSources();
        _options = options;
        _iptables = new IptablesRunner(runner, options.IptablesCommand, options.Ip6tablesCommand, options.NsenterCommand);
        _procRoot = procRoot;
    }

    /// <inheritdoc />
    public string Name => HookNames.Acl;

    /// <inheritdoc />
    public int Priority => _options.Priority;

    /// <inheritdoc />
    /// <exception cref="HookFailedException">
    /// An entry of the label is invalid, the task uses host networking, the container's namespace
    /// cannot be found, or iptables failed.
    /// </exception>
    public async Task PostRunAsync(HookContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        string taskId = TaskFacts.TaskId(context);
        List<string>? values = TaskFacts.LabelValues(context.Task, _options.LabelName);
        if (values is null)
        {
            context.Logger.AclNoLabel(taskId, _options.LabelName);
            return;
        }

        List<CidrBlock> sources = ParseEntries(values);

        ContainerDetails container = context.Container
            ?? throw Fail(HookPhase.PostRun, "the container's details are unknown (it is not running)");
        if (container.UsesHostNetwork)
        {
            throw Fail(HookPhase.PostRun, $"the task uses host networking: the rules would filter the host's own traffic; run it on a bridge or user network, or remove the {_options.LabelName} label");
        }

        if (container.Pid <= 0)
        {
            throw Fail(HookPhase.PostRun, "the container has no process (it is not running)");
        }

        string netnsPath = $"{_procRoot}/{container.Pid}/ns/net";
        string identity = TaskFacts.NamespaceIdentity(netnsPath)
            ?? throw Fail(HookPhase.PostRun, $"the container's network namespace {netnsPath} is gone");
        if (string.Equals(identity, TaskFacts.NamespaceIdentity($"{_procRoot}/self/ns/net"), StringComparison.Ordinal))
        {
            throw Fail(HookPhase.PostRun, "the container shares the executor's network namespace: the rules would filter the host's own traffic");
        }

        IReadOnlyList<IptablesRule> rules = BuildRules(Names.RuleComment(taskId), sources, container.Gateways);

        var state = _applied.AddOrUpdate(
            taskId,
            static (_, fresh) => fresh,
            static (_, existing, fresh) => string.Equals(existing.Identity, fresh.Identity, StringComparison.Ordinal) ? existing : fresh,
            new AclState(netnsPath, identity));
        int added = 0;
        foreach (IptablesRule rule in rules)
        {
            try
            {
                if (await _iptables.AppendIfMissingAsync(rule, netnsPath, cancellationToken).ConfigureAwait(false))
                {
                    state.Rules.Add(rule);
                    added++;
                }
            }
            catch (CommandFailedException ex)
            {
                throw Fail(HookPhase.PostRun, $"could not add '{rule}' in the container's namespace: {ex.Message}" + Ipv6Hint(rule), ex);
            }
        }

        context.Logger.AclApplied(taskId, RemoveContainerHook.ShortId(context.ContainerId ?? string.Empty), sources.Count, added);
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
        if (!_applied.TryRemove(taskId, out AclState? state) || state.Rules.Count == 0)
        {
            return;
        }

        // A different (or no) namespace behind the pid means the container is gone, and its rules
        // with it; the pid may even belong to another process now.
        if (!string.Equals(TaskFacts.NamespaceIdentity(state.NetnsPath), state.Identity, StringComparison.Ordinal))
        {
            context.Logger.AclNamespaceGone(taskId, state.Rules.Count);
            return;
        }

        var failures = new List<string>();
        int removed = 0;
        for (int i = state.Rules.Count - 1; i >= 0; i--)
        {
            IptablesRule rule = state.Rules[i];
            try
            {
                if (await _iptables.DeleteAsync(rule, state.NetnsPath, cancellationToken).ConfigureAwait(false))
                {
                    removed++;
                }
            }
            catch (CommandFailedException ex) when (ex.NamespaceUnavailable)
            {
                context.Logger.AclNamespaceGone(taskId, i + 1);
                return;
            }
            catch (CommandFailedException ex)
            {
                failures.Add($"'{rule}': {ex.Message}");
            }
        }

        if (failures.Count > 0)
        {
            throw Fail(phase, $"could not remove {failures.Count} rule(s): {string.Join("; ", failures)}");
        }

        context.Logger.AclRemoved(taskId, removed);
    }

    private List<CidrBlock> ParseEntries(List<string> values)
    {
        var sources = new List<CidrBlock>();
        var invalid = new List<string>();
        foreach (string value in values)
        {
            foreach (string item in value.Split(','))
            {
                string entry = item.Trim();
                if (!CidrBlock.TryParse(entry, out CidrBlock block, out string error))
                {
                    invalid.Add($"'{entry}' ({error})");
                }
                else if (block.Family == IpFamily.IPv6 && !_options.FilterIPv6)
                {
                    invalid.Add($"'{entry}' (IPv6, but filter_ipv6 is off)");
                }
                else
                {
                    sources.Add(block);
                }
            }
        }

        if (invalid.Count > 0)
        {
            throw Fail(HookPhase.PostRun, $"invalid {_options.LabelName} entries: {string.Join(", ", invalid)}; no rule was added");
        }

        return sources;
    }

    private List<IptablesRule> BuildRules(string comment, List<CidrBlock> sources, IReadOnlyList<IPAddress> gateways)
    {
        var rules = new List<IptablesRule>();
        var seen = new HashSet<IptablesRule>();
        void Add(IpFamily family, params string[] matches)
        {
            var specification = new List<string>(matches.Length + 6);
            specification.AddRange(matches[..^1]);
            specification.AddRange(["-m", "comment", "--comment", comment, "-j", matches[^1]]);
            var rule = new IptablesRule(family, Table, Chain, specification);
            if (seen.Add(rule))
            {
                rules.Add(rule);
            }
        }

        foreach (IpFamily family in _options.FilterIPv6 ? (IpFamily[])[IpFamily.IPv4, IpFamily.IPv6] : [IpFamily.IPv4])
        {
            Add(family, "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "ACCEPT");
            Add(family, "-i", "lo", "ACCEPT");
            if (family == IpFamily.IPv6)
            {
                foreach (string type in NeighbourDiscoveryTypes)
                {
                    Add(family, "-p", "ipv6-icmp", "-m", "icmp6", "--icmpv6-type", type, "ACCEPT");
                }
            }

            foreach (CidrBlock source in sources)
            {
                if (source.Family == family)
                {
                    Add(family, "-s", source.ToString(), "ACCEPT");
                }
            }

            foreach (IPAddress gateway in gateways)
            {
                if (!IsUsableGateway(gateway))
                {
                    continue;
                }

                CidrBlock block = CidrBlock.FromAddress(gateway);
                if (block.Family == family)
                {
                    Add(family, "-s", block.ToString(), "ACCEPT");
                }
            }

            foreach (CidrBlock source in _defaultSources)
            {
                if (source.Family == family)
                {
                    Add(family, "-s", source.ToString(), "ACCEPT");
                }
            }

            Add(family, "DROP");
        }

        return rules;
    }

    private static bool IsUsableGateway(IPAddress gateway) =>
        gateway.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6
        && !gateway.Equals(IPAddress.Any) && !gateway.Equals(IPAddress.IPv6Any);

    private static string Ipv6Hint(IptablesRule rule) =>
        rule.Family == IpFamily.IPv6 ? " (set filter_ipv6: false if the host has no IPv6 netfilter)" : string.Empty;

    private HookFailedException Fail(HookPhase phase, string message, Exception? inner = null) => new(Name, phase, message, inner);

    private sealed class AclState(string netnsPath, string identity)
    {
        public string NetnsPath { get; } = netnsPath;

        public string Identity { get; } = identity;

        public List<IptablesRule> Rules { get; } = [];
    }
}
