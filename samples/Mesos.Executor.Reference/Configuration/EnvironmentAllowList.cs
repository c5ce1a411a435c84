using System;
using System.Collections.Generic;

namespace Mesos.Executor.Reference.Configuration;

/// <summary>
/// The keys that <c>MESOS_EXECUTOR_*</c> environment variables may set: the file's
/// <c>environment_overrides</c>, an operator opt-in. Each entry is a key (<c>logging.level</c>), a
/// section (<c>logging</c>, <c>hooks.acl</c>: every key below it) or <c>all</c>. Empty (the
/// default): no key can be set from the environment.
/// </summary>
internal sealed class EnvironmentAllowList
{
    /// <summary>The Docker CLI's engine variable; it counts as <c>docker.socket</c>.</summary>
    public const string DockerHost = "DOCKER_HOST";

    private readonly List<string> _entries;
    private readonly bool _all;

    private EnvironmentAllowList(List<string> entries, bool all)
    {
        _entries = entries;
        _all = all;
    }

    /// <summary>Nothing is allowed.</summary>
    public static EnvironmentAllowList None { get; } = new([], all: false);

    /// <summary>Reads <c>environment_overrides</c>.</summary>
    /// <param name="entries">The file's list, or <see langword="null"/>.</param>
    /// <param name="path">The file, for errors.</param>
    /// <param name="errors">Where an unknown entry is reported.</param>
    /// <returns>The allow list.</returns>
    public static EnvironmentAllowList Parse(List<string>? entries, string? path, List<string> errors)
    {
        if (entries == null || entries.Count == 0)
        {
            return None;
        }

        var accepted = new List<string>();
        bool all = false;
        for (int i = 0; i < entries.Count; i++)
        {
            string entry = entries[i]?.Trim() ?? string.Empty;
            if (entry == "all")
            {
                all = true;
            }
            else if (IsKeyOrSection(entry))
            {
                accepted.Add(entry);
            }
            else
            {
                errors.Add($"environment_overrides[{i}]: '{entry}' is neither a key nor a section of the configuration (e.g. logging.level, logging, all){(path != null ? $" (in {path})" : string.Empty)}");
            }
        }

        return new EnvironmentAllowList(accepted, all);
    }

    /// <summary>Whether the environment may set <paramref name="keyPath"/>.</summary>
    /// <param name="keyPath">A key's path, e.g. <c>hooks.acl.label_name</c>.</param>
    /// <returns><see langword="true"/> when an entry names the key or a section above it.</returns>
    public bool Allows(string keyPath)
    {
        if (_all)
        {
            return true;
        }

        foreach (string entry in _entries)
        {
            if (Covers(entry, keyPath))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether <paramref name="name"/> is a variable that configures this executor: a key's
    /// <c>MESOS_EXECUTOR_*</c> variable, any other <c>MESOS_EXECUTOR_</c> name with <c>__</c> (the
    /// shape of one), or <c>DOCKER_HOST</c>. Mesos's own <c>MESOS_EXECUTOR_ID</c>,
    /// <c>MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD</c>, ... have no <c>__</c>.
    /// </summary>
    /// <param name="name">An environment variable's name.</param>
    /// <returns><see langword="true"/> for a configuration variable.</returns>
    public static bool IsConfigurationVariable(string name) =>
        name == DockerHost ||
        (name.StartsWith(ConfigKey.EnvironmentPrefix, StringComparison.Ordinal) && name.Contains("__", StringComparison.Ordinal));

    private static bool Covers(string entry, string keyPath) =>
        keyPath == entry || keyPath.StartsWith(entry + ".", StringComparison.Ordinal);

    private static bool IsKeyOrSection(string entry)
    {
        foreach (ConfigKey key in ConfigKeys.All)
        {
            if (Covers(entry, key.Path))
            {
                return true;
            }
        }

        return false;
    }
}
