using System;
using System.Collections.Generic;
using Mesos.Executor.Core;
using Mesos.Executor.Hooks.Internal;

namespace Mesos.Executor.Hooks;

/// <summary>
/// Creates the hooks of this package by their configuration names (<c>acl</c>, <c>netns</c>, ...),
/// so an executor can enable them from a configuration file.
/// </summary>
/// <example>
/// <code>
/// IReadOnlyList&lt;IHook&gt; hooks = HookCatalog.CreateAll(
///     ["acl", "netns", "remove-container"],
///     new HookSettings { Acl = new AclHookOptions { DefaultAllowedSources = ["10.0.0.0/8"] } });
/// </code>
/// </example>
public static class HookCatalog
{
    /// <summary>The names of the hooks this catalog creates, in the order of the hooks reference.</summary>
    public static IReadOnlyList<string> KnownNames { get; } =
    [
        HookNames.RemoveContainer,
        HookNames.Acl,
        HookNames.Netns,
        HookNames.Iptables,
        HookNames.Network,
        HookNames.DenyPrivileged,
        HookNames.SandboxVolumes,
        HookNames.ForceBridge,
        HookNames.Exec,
    ];

    /// <summary>Whether <paramref name="name"/> is one of <see cref="KnownNames"/> (exact, lower case).</summary>
    /// <param name="name">A hook name.</param>
    /// <returns><see langword="true"/> when the catalog can create it.</returns>
    public static bool IsKnown(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (string known in KnownNames)
        {
            if (string.Equals(known, name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Creates one hook by name with its options from <paramref name="settings"/>.</summary>
    /// <param name="name">One of <see cref="KnownNames"/>.</param>
    /// <param name="settings">The hooks' options; <see langword="null"/> for the defaults.</param>
    /// <returns>The hook.</returns>
    /// <exception cref="ExecutorConfigurationException">The name is unknown or the hook's options are invalid.</exception>
    public static IHook Create(string name, HookSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        settings ??= new HookSettings();
        return name switch
        {
            HookNames.RemoveContainer => new RemoveContainerHook(settings.RemoveContainer),
            HookNames.Acl => new AclHook(settings.Acl),
            HookNames.Netns => new NetnsHook(settings.Netns),
            HookNames.Iptables => new IptablesHook(settings.Iptables),
            HookNames.Network => new NetworkHook(settings.Network),
            HookNames.DenyPrivileged => new DenyPrivilegedHook(settings.DenyPrivileged),
            HookNames.SandboxVolumes => new SandboxVolumesHook(settings.SandboxVolumes),
            HookNames.ForceBridge => new ForceBridgeHook(settings.ForceBridge),
            HookNames.Exec => new ExecHook(settings.Exec),
            _ => throw new ExecutorConfigurationException(UnknownMessage(name)),
        };
    }

    /// <summary>
    /// Creates the hooks named in <paramref name="names"/>, in that order. Every problem (unknown
    /// or repeated names, invalid options) is reported in one exception.
    /// </summary>
    /// <param name="names">Hook names, each one of <see cref="KnownNames"/>, each at most once.</param>
    /// <param name="settings">The hooks' options; <see langword="null"/> for the defaults.</param>
    /// <returns>The hooks, in the order of <paramref name="names"/> (the executor orders them by priority).</returns>
    /// <exception cref="ExecutorConfigurationException">A name is unknown or repeated, or options are invalid; the message lists every problem.</exception>
    public static IReadOnlyList<IHook> CreateAll(IEnumerable<string> names, HookSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(names);
        settings ??= new HookSettings();
        var hooks = new List<IHook>();
        var errors = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string name in names)
        {
            if (name is null)
            {
                errors.Add("a hook name is null");
                continue;
            }

            if (!seen.Add(name))
            {
                errors.Add($"hook '{name}' is enabled twice");
                continue;
            }

            try
            {
                hooks.Add(Create(name, settings));
            }
            catch (ExecutorConfigurationException ex)
            {
                errors.Add(ex.Message);
            }
        }

        if (errors.Count > 0)
        {
            throw new ExecutorConfigurationException(string.Join(Environment.NewLine, errors));
        }

        return hooks;
    }

    private static string UnknownMessage(string name) =>
        $"unknown hook '{name}'; known hooks: {string.Join(", ", KnownNames)}";
}
