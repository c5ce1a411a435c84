using System;
using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Mesos.Executor.Hooks.Internal;

/// <summary>Turns task ids and framework names into names the kernel, iptables and Docker accept.</summary>
internal static class Names
{
    /// <summary>The prefix of every iptables comment our hooks write.</summary>
    public const string CommentPrefix = "mesos-executor:";

    /// <summary>iptables' limit on chain names (XT_EXTENSION_MAXNAMELEN - 1).</summary>
    public const int MaxChainNameLength = 28;

    /// <summary>The kernel's limit on interface names (IFNAMSIZ - 1).</summary>
    public const int MaxInterfaceNameLength = 15;

    private const int MaxNetnsNameLength = 200;
    private const int MaxCommentLength = 255;

    private static readonly SearchValues<char> NameChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-");

    private static readonly SearchValues<char> InterfaceChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-@+");

    /// <summary>
    /// A file name for <c>/var/run/netns</c>: task ids made of letters, digits, <c>.</c>, <c>_</c>
    /// and <c>-</c> are kept as they are; any other character becomes <c>_</c> and, so that two ids
    /// cannot meet on one name, <c>-</c> and 8 hex digits of the id's SHA-256 are appended.
    /// </summary>
    public static string NetnsName(string taskId)
    {
        ArgumentNullException.ThrowIfNull(taskId);
        var builder = new StringBuilder(taskId.Length);
        bool changed = false;
        foreach (char c in taskId)
        {
            if (IsNameChar(c))
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('_');
                changed = true;
            }
        }

        string name = builder.ToString();
        if (name.Length == 0 || name == "." || name == ".." || name.Length > MaxNetnsNameLength)
        {
            changed = true;
        }

        if (!changed)
        {
            return name;
        }

        if (name.Length > MaxNetnsNameLength)
        {
            name = name[..MaxNetnsNameLength];
        }

        return $"{name}-{ShortHash(taskId)}";
    }

    /// <summary>
    /// The iptables comment tagging a task's rules: <c>mesos-executor:&lt;task id&gt;</c>, with
    /// characters outside printable ASCII, quotes and backslashes replaced by <c>_</c> (so
    /// <c>iptables-save</c> output stays parseable) and cut at iptables' 255 characters.
    /// </summary>
    public static string RuleComment(string taskId)
    {
        ArgumentNullException.ThrowIfNull(taskId);
        var builder = new StringBuilder(CommentPrefix, CommentPrefix.Length + taskId.Length);
        foreach (char c in taskId)
        {
            builder.Append(c is > ' ' and < '\x7f' and not '"' and not '\'' and not '\\' ? c : '_');
        }

        return builder.Length > MaxCommentLength ? builder.ToString(0, MaxCommentLength) : builder.ToString();
    }

    /// <summary>
    /// A Docker network name from a framework name (Docker accepts <c>[a-zA-Z0-9][a-zA-Z0-9_.-]*</c>):
    /// other characters become <c>-</c>, leading characters that cannot start a name are dropped.
    /// </summary>
    /// <returns>The name, or <see langword="null"/> when nothing usable is left.</returns>
    public static string? DockerNetworkName(string frameworkName)
    {
        ArgumentNullException.ThrowIfNull(frameworkName);
        var builder = new StringBuilder(frameworkName.Length);
        foreach (char c in frameworkName)
        {
            if (builder.Length == 0 && !char.IsAsciiLetterOrDigit(c))
            {
                continue;
            }

            builder.Append(IsNameChar(c) ? c : '-');
        }

        return builder.Length == 0 ? null : builder.ToString();
    }

    /// <summary>Whether Docker accepts <paramref name="name"/> as a network name.</summary>
    public static bool IsValidDockerNetworkName(string name) =>
        name.Length > 0 && char.IsAsciiLetterOrDigit(name[0]) && !name.AsSpan().ContainsAnyExcept(NameChars);

    /// <summary>Whether iptables accepts <paramref name="name"/> as a user chain name.</summary>
    public static bool IsValidChainName(string name) =>
        name.Length is > 0 and <= MaxChainNameLength && name[0] != '-' && !name.AsSpan().ContainsAnyExcept(NameChars);

    /// <summary>Whether the kernel accepts <paramref name="name"/> as a network interface name.</summary>
    public static bool IsValidInterfaceName(string name) =>
        name.Length is > 0 and <= MaxInterfaceNameLength && name != "." && name != ".."
        && !name.AsSpan().ContainsAnyExcept(InterfaceChars);

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-';

    private static string ShortHash(string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)).AsSpan(0, 4));
}
