using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Mesos.Executor.Hooks.Internal;

/// <summary>
/// Runs <c>iptables</c> / <c>ip6tables</c> with <c>-w</c> (wait for the xtables lock), on the host
/// or inside another network namespace through <c>nsenter --net=&lt;path&gt; -- iptables ...</c>.
/// Argument vectors only: nothing is ever parsed by a shell.
/// </summary>
internal sealed class IptablesRunner
{
    /// <summary>iptables' exit code for "bad rule / no such rule / chain exists" (as opposed to 2, bad parameters).</summary>
    private const int GeneralFailureExitCode = 1;

    private readonly ICommandRunner _runner;
    private readonly string _iptables;
    private readonly string _ip6tables;
    private readonly string _nsenter;

    public IptablesRunner(ICommandRunner runner, string iptablesCommand = "iptables", string ip6tablesCommand = "ip6tables", string nsenterCommand = "nsenter")
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentException.ThrowIfNullOrEmpty(iptablesCommand);
        ArgumentException.ThrowIfNullOrEmpty(ip6tablesCommand);
        ArgumentException.ThrowIfNullOrEmpty(nsenterCommand);
        _runner = runner;
        _iptables = iptablesCommand;
        _ip6tables = ip6tablesCommand;
        _nsenter = nsenterCommand;
    }

    /// <summary>The program and argument vector for one iptables call.</summary>
    /// <param name="family">iptables or ip6tables.</param>
    /// <param name="netnsPath">A network namespace file (e.g. <c>/proc/42/ns/net</c>), or <see langword="null"/> for the executor's own.</param>
    /// <param name="iptablesArguments">The arguments after <c>-w</c>.</param>
    public (string FileName, IReadOnlyList<string> Arguments) BuildCommand(IpFamily family, string? netnsPath, IReadOnlyList<string> iptablesArguments)
    {
        ArgumentNullException.ThrowIfNull(iptablesArguments);
        string tool = family == IpFamily.IPv6 ? _ip6tables : _iptables;
        var arguments = new List<string>(iptablesArguments.Count + 4);
        if (netnsPath is null)
        {
            arguments.Add("-w");
            arguments.AddRange(iptablesArguments);
            return (tool, arguments);
        }

        arguments.Add("--net=" + netnsPath);
        arguments.Add("--");
        arguments.Add(tool);
        arguments.Add("-w");
        arguments.AddRange(iptablesArguments);
        return (_nsenter, arguments);
    }

    /// <summary>Runs one iptables call; the result is returned whatever the exit code.</summary>
    public async Task<CommandResult> RunAsync(IpFamily family, string? netnsPath, IReadOnlyList<string> iptablesArguments, CancellationToken cancellationToken)
    {
        var (fileName, arguments) = BuildCommand(family, netnsPath, iptablesArguments);
        CommandResult result = await _runner.RunAsync(fileName, arguments, cancellationToken).ConfigureAwait(false);
        if (netnsPath is not null && result.ExitCode != 0 && IsNamespaceFailure(result))
        {
            throw new CommandFailedException(fileName, arguments, result, namespaceUnavailable: true);
        }

        return result;
    }

    /// <summary>Whether <paramref name="rule"/> is present (<c>-C</c>).</summary>
    /// <exception cref="CommandFailedException">iptables failed for another reason than "no such rule".</exception>
    public async Task<bool> ExistsAsync(IptablesRule rule, string? netnsPath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var arguments = rule.Arguments("-C");
        CommandResult result = await RunAsync(rule.Family, netnsPath, arguments, cancellationToken).ConfigureAwait(false);
        return result.ExitCode switch
        {
            0 => true,
            GeneralFailureExitCode => false,
            _ => throw Failed(rule.Family, netnsPath, arguments, result),
        };
    }

    /// <summary>Appends <paramref name="rule"/> unless it is already present (<c>-C</c>, then <c>-A</c>).</summary>
    /// <returns><see langword="true"/> when it was appended, <see langword="false"/> when it was already there.</returns>
    /// <exception cref="CommandFailedException">iptables failed.</exception>
    public async Task<bool> AppendIfMissingAsync(IptablesRule rule, string? netnsPath, CancellationToken cancellationToken)
    {
        if (await ExistsAsync(rule, netnsPath, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        var arguments = rule.Arguments("-A");
        CommandResult result = await RunAsync(rule.Family, netnsPath, arguments, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw Failed(rule.Family, netnsPath, arguments, result);
        }

        return true;
    }

    /// <summary>Deletes <paramref name="rule"/> (<c>-D</c> with the very arguments it was added with).</summary>
    /// <returns><see langword="true"/> when it was deleted, <see langword="false"/> when it was not there.</returns>
    /// <exception cref="CommandFailedException">iptables failed for another reason than "no such rule".</exception>
    public async Task<bool> DeleteAsync(IptablesRule rule, string? netnsPath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var arguments = rule.Arguments("-D");
        CommandResult result = await RunAsync(rule.Family, netnsPath, arguments, cancellationToken).ConfigureAwait(false);
        return result.ExitCode switch
        {
            0 => true,
            GeneralFailureExitCode => false,
            _ => throw Failed(rule.Family, netnsPath, arguments, result),
        };
    }

    /// <summary>Creates a user chain unless it exists (<c>-S</c>, then <c>-N</c>; a concurrent creation is fine).</summary>
    /// <returns><see langword="true"/> when it was created here.</returns>
    /// <exception cref="CommandFailedException">The chain neither exists nor could be created.</exception>
    public async Task<bool> EnsureChainAsync(IpFamily family, string table, string chain, string? netnsPath, CancellationToken cancellationToken)
    {
        string[] list = ["-t", table, "-S", chain];
        CommandResult listed = await RunAsync(family, netnsPath, list, cancellationToken).ConfigureAwait(false);
        if (listed.ExitCode == 0)
        {
            return false;
        }

        string[] create = ["-t", table, "-N", chain];
        CommandResult created = await RunAsync(family, netnsPath, create, cancellationToken).ConfigureAwait(false);
        if (created.ExitCode == 0)
        {
            return true;
        }

        // Another executor on this host may have created it in between.
        listed = await RunAsync(family, netnsPath, list, cancellationToken).ConfigureAwait(false);
        if (listed.ExitCode == 0)
        {
            return false;
        }

        throw Failed(family, netnsPath, create, created);
    }

    private static bool IsNamespaceFailure(CommandResult result) =>
        result.ExitCode != CommandResult.NotStartedExitCode
        && result.StandardError.StartsWith("nsenter:", StringComparison.Ordinal);

    private CommandFailedException Failed(IpFamily family, string? netnsPath, IReadOnlyList<string> iptablesArguments, CommandResult result)
    {
        var (fileName, arguments) = BuildCommand(family, netnsPath, iptablesArguments);
        return new CommandFailedException(fileName, arguments, result);
    }
}
