using System;
using YamlDotNet.Core;

namespace Mesos.Executor.Reference.Configuration;

/// <summary>Turns YamlDotNet's exceptions into messages that name the offending key.</summary>
internal static class YamlErrors
{
    /// <summary>Describes a YAML error for an operator.</summary>
    /// <param name="exception">The exception.</param>
    /// <param name="source">The YAML text (to find the key a bad value belongs to).</param>
    /// <returns>A one-line description with the line and column.</returns>
    public static string Describe(YamlException exception, string source)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(source);
        string where = $"line {exception.Start.Line}, column {exception.Start.Column}";
        string message = exception.Message;

        const string NotFound = "Property '";
        if (message.StartsWith(NotFound, StringComparison.Ordinal))
        {
            int end = message.IndexOf('\'', NotFound.Length);
            string property = end > 0 ? message[NotFound.Length..end] : "?";
            string section = SectionOf(message);
            string key = section.Length == 0 ? property : section + "." + property;
            return $"{where}: unknown key '{key}'";
        }

        const string NoDeserializer = "No node deserializer was able to deserialize the node into type ";
        if (message.StartsWith(NoDeserializer, StringComparison.Ordinal))
        {
            string type = message[NoDeserializer.Length..];
            string expected = type.StartsWith("System.String", StringComparison.Ordinal) ? "a single value"
                : type.StartsWith("System.Collections.Generic.List", StringComparison.Ordinal) ? "a list"
                : "a mapping (key: value lines)";
            string? key = KeyBefore(source, (int)exception.Start.Index);
            return key == null
                ? $"{where}: expected {expected}"
                : $"{where}: '{key}' must be {expected}";
        }

        // A YAML syntax error.
        return $"{where}: {message}";
    }

    private static string SectionOf(string message)
    {
        // "... not found on type 'Mesos.Executor.Reference.Configuration.LoggingSection'."
        const string OnType = "on type '";
        int start = message.IndexOf(OnType, StringComparison.Ordinal);
        if (start < 0)
        {
            return string.Empty;
        }

        start += OnType.Length;
        int end = message.IndexOf('\'', start);
        string type = end > start ? message[start..end] : string.Empty;
        int dot = type.LastIndexOf('.');
        type = dot >= 0 ? type[(dot + 1)..] : type;
        return type switch
        {
            nameof(LoggingSection) => "logging",
            nameof(DockerSection) => "docker",
            nameof(HooksSection) => "hooks",
            nameof(HealthChecksSection) => "health_checks",
            nameof(TimeoutsSection) => "timeouts",
            nameof(MemorySection) => "memory",
            nameof(AclSection) => "hooks.acl",
            nameof(NetnsSection) => "hooks.netns",
            nameof(IptablesSection) => "hooks.iptables",
            nameof(NetworkSection) => "hooks.network",
            nameof(DenyPrivilegedSection) => "hooks.deny-privileged",
            nameof(SandboxVolumesSection) => "hooks.sandbox-volumes",
            nameof(ForceBridgeSection) => "hooks.force-bridge",
            _ => string.Empty,
        };
    }

    private static string? KeyBefore(string source, int index)
    {
        if (index <= 0 || index > source.Length)
        {
            return null;
        }

        // The node starts at `index`; its key is the `name:` just before it (same line in flow or
        // inline style, an earlier line in block style).
        ReadOnlySpan<char> before = source.AsSpan(0, index).TrimEnd(" \t\r\n-[{");
        if (before.IsEmpty || before[^1] != ':')
        {
            return null;
        }

        before = before[..^1].TrimEnd();
        int start = before.Length;
        while (start > 0 && (char.IsAsciiLetterOrDigit(before[start - 1]) || before[start - 1] is '_' or '-' or '.'))
        {
            start--;
        }

        return start == before.Length ? null : before[start..].ToString();
    }
}
