using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Hooks.Internal;

namespace Mesos.Executor.Hooks.Tests.Support;

/// <summary>
/// A hand-written <see cref="ICommandRunner"/> that records every command and answers like iptables
/// (and nsenter) would, keeping the rules of each namespace and table in memory: <c>-C</c> finds
/// what <c>-A</c> added, <c>-D</c> removes one, <c>-S</c>/<c>-N</c> know the chains.
/// </summary>
internal sealed class IptablesSimulator : ICommandRunner
{
    private static readonly string[] BuiltInChains = ["INPUT", "OUTPUT", "FORWARD", "PREROUTING", "POSTROUTING"];
    private readonly Dictionary<string, List<string>> _rules = new(StringComparer.Ordinal);
    private readonly HashSet<string> _chains = new(StringComparer.Ordinal);

    public ICommandRunner Runner => this;

    /// <summary>Every command run, program first.</summary>
    public List<string[]> Calls { get; } = [];

    /// <summary>Namespace paths whose nsenter fails as if the process were gone.</summary>
    public HashSet<string> GoneNamespaces { get; } = new(StringComparer.Ordinal);

    /// <summary>Fails any command whose joined arguments contain this text, with this exit code and message.</summary>
    public (string Text, int ExitCode, string Error)? FailWhen { get; set; }

    /// <summary>The commands that changed something (-A, -D, -N), joined with spaces.</summary>
    public IEnumerable<string> Changes => Calls.Select(c => string.Join(' ', c))
        .Where(c => c.Contains(" -A ", StringComparison.Ordinal) || c.Contains(" -D ", StringComparison.Ordinal) || c.Contains(" -N ", StringComparison.Ordinal));

    /// <summary>The rule specs currently in a chain ("" namespace = host).</summary>
    public IReadOnlyList<string> Rules(string tool, string table, string chain, string? netns = null) =>
        _rules.TryGetValue(Key(netns, tool, table, chain), out var list) ? list : [];

    public int TotalRules => _rules.Values.Sum(l => l.Count);

    public Task<CommandResult> RunAsync(string fileName, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Calls.Add([fileName, .. arguments]);
        return Task.FromResult(Handle(fileName, arguments));
    }

    private static string Key(string? netns, string tool, string table, string chain) => $"{netns}|{tool}|{table}|{chain}";

    private CommandResult Handle(string fileName, IReadOnlyList<string> arguments)
    {
        string joined = string.Join(' ', arguments);
        if (FailWhen is { } fail && joined.Contains(fail.Text, StringComparison.Ordinal))
        {
            return new CommandResult(fail.ExitCode, string.Empty, fail.Error);
        }

        var args = arguments.ToList();
        string? netns = null;
        string tool = fileName;
        if (fileName == "nsenter")
        {
            netns = args[0]["--net=".Length..];
            if (GoneNamespaces.Contains(netns))
            {
                return new CommandResult(1, string.Empty, $"nsenter: cannot open {netns}: No such file or directory");
            }

            tool = args[2];
            args = args.Skip(3).ToList();
        }

        if (args[0] != "-w" || args[1] != "-t")
        {
            return new CommandResult(2, string.Empty, "unexpected arguments: " + joined);
        }

        string table = args[2];
        string command = args[3];
        string chain = args[4];
        string spec = string.Join(' ', args.Skip(5));
        string key = Key(netns, tool, table, chain);
        bool chainExists = BuiltInChains.Contains(chain) || _chains.Contains(key);
        switch (command)
        {
            case "-S":
                return chainExists ? CommandResult.Success : new CommandResult(1, string.Empty, "No chain/target/match by that name.");
            case "-N":
                if (chainExists)
                {
                    return new CommandResult(1, string.Empty, "iptables: Chain already exists.");
                }

                _chains.Add(key);
                return CommandResult.Success;
            case "-C":
                return _rules.TryGetValue(key, out var present) && present.Contains(spec)
                    ? CommandResult.Success
                    : new CommandResult(1, string.Empty, "iptables: Bad rule (does a matching rule exist in that chain?).");
            case "-A":
                if (!chainExists)
                {
                    return new CommandResult(1, string.Empty, "iptables: No chain/target/match by that name.");
                }

                if (!_rules.TryGetValue(key, out var list))
                {
                    _rules[key] = list = [];
                }

                list.Add(spec);
                return CommandResult.Success;
            case "-D":
                return _rules.TryGetValue(key, out var existing) && existing.Remove(spec)
                    ? CommandResult.Success
                    : new CommandResult(1, string.Empty, "iptables: Bad rule (does a matching rule exist in that chain?).");
            default:
                return new CommandResult(2, string.Empty, "unexpected command: " + joined);
        }
    }
}
