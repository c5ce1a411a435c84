using System;
using System.Collections.Generic;
using System.Linq;

namespace Mesos.Executor.Hooks.Internal;

/// <summary>
/// One iptables rule: family, table, chain and the rule specification (matches and target). The
/// same object is used to check (<c>-C</c>), append (<c>-A</c>) and delete (<c>-D</c>) it, so a
/// rule is always removed with exactly the arguments it was added with.
/// </summary>
internal sealed class IptablesRule : IEquatable<IptablesRule>
{
    public IptablesRule(IpFamily family, string table, string chain, IReadOnlyList<string> specification)
    {
        ArgumentException.ThrowIfNullOrEmpty(table);
        ArgumentException.ThrowIfNullOrEmpty(chain);
        ArgumentNullException.ThrowIfNull(specification);
        Family = family;
        Table = table;
        Chain = chain;
        Specification = specification.ToArray();
    }

    public IpFamily Family { get; }

    public string Table { get; }

    public string Chain { get; }

    public IReadOnlyList<string> Specification { get; }

    /// <summary>The iptables arguments (after <c>-w</c>) for <paramref name="command"/> (<c>-A</c>, <c>-C</c>, <c>-D</c>).</summary>
    public IReadOnlyList<string> Arguments(string command)
    {
        var arguments = new List<string>(Specification.Count + 4) { "-t", Table, command, Chain };
        arguments.AddRange(Specification);
        return arguments;
    }

    public bool Equals(IptablesRule? other) =>
        other is not null
        && Family == other.Family
        && string.Equals(Table, other.Table, StringComparison.Ordinal)
        && string.Equals(Chain, other.Chain, StringComparison.Ordinal)
        && Specification.SequenceEqual(other.Specification, StringComparer.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as IptablesRule);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Family);
        hash.Add(Table, StringComparer.Ordinal);
        hash.Add(Chain, StringComparer.Ordinal);
        foreach (string part in Specification)
        {
            hash.Add(part, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    /// <summary>The rule as <c>iptables-save</c> would print it (for messages).</summary>
    public override string ToString() =>
        $"{(Family == IpFamily.IPv6 ? "ip6tables" : "iptables")} -t {Table} -A {Chain} {string.Join(' ', Specification)}";
}
