using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Mesos.Executor.Core;
using Mesos.Executor.Docker;
using Mesos.Executor.Hooks;
using Mesos.Executor.Reference.CommandLine;
using Mesos.Executor.Reference.Logging;
using Microsoft.Extensions.Logging;

namespace Mesos.Executor.Reference.Configuration;

/// <summary>Validates the document and turns it into settings, naming each bad key and its origin.</summary>
internal sealed class ConfigResolver
{
    private readonly string? _path;
    private readonly Dictionary<string, string> _origins;
    private readonly List<string> _errors;

    public ConfigResolver(string? path, Dictionary<string, string> origins, List<string> errors)
    {
        _path = path;
        _origins = origins;
        _errors = errors;
    }

    public ExecutorSettings Resolve(ConfigDocument d)
    {
        var defaults = new ExecutorSettings();
        IReadOnlyList<string> knownHooks = HookCatalog.KnownNames;
        List<string> enabled = Hooks("hooks.enabled", d.Hooks?.Enabled, knownHooks);
        HookSettings hookSettings = HookOptions(d.Hooks, Priorities("hooks.priorities", d.Hooks?.Priorities, knownHooks));
        ValidateHooks(enabled, hookSettings);
        return new ExecutorSettings
        {
            ConfigFile = _path,
            LogLevel = Choice("logging.level", d.Logging?.Level, defaults.LogLevel, LogLevels),
            LogFormat = Choice("logging.format", d.Logging?.Format, defaults.LogFormat, LogFormats),
            DockerEndpoint = d.Docker?.Socket is { Length: > 0 } socket ? ParseEndpoint("docker.socket", socket) : null,
            DockerApiVersion = ApiVersion("docker.api_version", d.Docker?.ApiVersion),
            PullPolicy = Choice("docker.pull_policy", d.Docker?.PullPolicy, defaults.PullPolicy, PullPolicies),
            DockerConfigPath = AbsolutePath("docker.config", d.Docker?.Config),
            ExtraLabels = Labels("docker.extra_labels", d.Docker?.ExtraLabels),
            EnabledHooks = enabled,
            HookSettings = hookSettings,
            HealthChecksEnabled = Boolean("health_checks.enabled", d.HealthChecks?.Enabled, defaults.HealthChecksEnabled),
            ChecksEnabled = Boolean("health_checks.checks_enabled", d.HealthChecks?.ChecksEnabled, defaults.ChecksEnabled),
            DefaultKillGrace = string.IsNullOrWhiteSpace(d.Timeouts?.DefaultKillGrace) ? null : Duration("timeouts.default_kill_grace", d.Timeouts.DefaultKillGrace, TimeSpan.Zero),
            TerminalAckFailsafe = Duration("timeouts.terminal_ack_failsafe", d.Timeouts?.TerminalAckFailsafe, defaults.TerminalAckFailsafe, allowZero: false),
            DrainDelay = Duration("timeouts.drain_delay", d.Timeouts?.DrainDelay, defaults.DrainDelay),
            DrainDelayLabel = string.IsNullOrWhiteSpace(d.Timeouts?.DrainDelayLabel) ? null : d.Timeouts.DrainDelayLabel.Trim(),
            MaxDrainDelay = Duration("timeouts.max_drain_delay", d.Timeouts?.MaxDrainDelay, defaults.MaxDrainDelay),
            ReleaseFilePages = Boolean("memory.release_file_pages", d.Memory?.ReleaseFilePages, defaults.ReleaseFilePages),
            ReleaseInterval = Duration("memory.release_interval", d.Memory?.ReleaseInterval, defaults.ReleaseInterval, allowZero: false),
        };
    }

    private static readonly (string Name, LogLevel Value)[] LogLevels =
    [
        ("trace", LogLevel.Trace), ("debug", LogLevel.Debug), ("info", LogLevel.Information),
        ("information", LogLevel.Information), ("warning", LogLevel.Warning), ("warn", LogLevel.Warning),
        ("error", LogLevel.Error), ("critical", LogLevel.Critical), ("none", LogLevel.None),
    ];

    private static readonly (string Name, LogFormat Value)[] LogFormats = [("text", LogFormat.Text), ("json", LogFormat.Json)];

    private static readonly (string Name, PullPolicy Value)[] PullPolicies =
    [
        ("if_not_present", PullPolicy.IfNotPresent), ("ifnotpresent", PullPolicy.IfNotPresent),
        ("always", PullPolicy.Always), ("never", PullPolicy.Never),
    ];

    private void Error(string key, string problem)
    {
        string? variable = null;
        foreach (var (path, name) in _origins)
        {
            // hooks.enabled[1] and hooks.priorities.acl come from hooks.enabled / hooks.priorities.
            if (key == path || key.StartsWith(path + "[", StringComparison.Ordinal) || key.StartsWith(path + ".", StringComparison.Ordinal))
            {
                variable = name;
            }
        }

        string where = variable != null
            ? $" (from {variable})"
            : _path != null ? $" (in {_path})" : string.Empty;
        _errors.Add($"{key}: {problem}{where}");
    }

    private T Choice<T>(string key, string? value, T fallback, (string Name, T Value)[] choices)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }

        string normalized = value.Trim().ToLowerInvariant().Replace('-', '_');
        foreach (var (name, choice) in choices)
        {
            if (name == normalized)
            {
                return choice;
            }
        }

        var names = new List<string>();
        foreach (var (name, _) in choices)
        {
            names.Add(name);
        }

        Error(key, $"'{value}' is not one of {string.Join(", ", names)}");
        return fallback;
    }

    private bool Boolean(string key, string? value, bool fallback)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }

        if (FlagParser.TryParseBoolean(value, out bool result))
        {
            return result;
        }

        Error(key, $"'{value}' is not a boolean (true or false)");
        return fallback;
    }

    private TimeSpan Duration(string key, string? value, TimeSpan fallback, bool allowZero = true)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }

        if (!MesosDuration.TryParse(value.Trim(), out TimeSpan result))
        {
            Error(key, $"'{value}' is not a Mesos duration (a number and one of ns, us, ms, secs, mins, hrs, days, weeks, e.g. 3secs)");
            return fallback;
        }

        if (!allowZero && result == TimeSpan.Zero)
        {
            Error(key, "must be greater than zero");
            return fallback;
        }

        return result;
    }

    private Uri? ParseEndpoint(string key, string value)
    {
        var local = new List<string>();
        Uri? uri = ConfigLoader.ParseDockerEndpoint(value, key, local);
        if (uri == null)
        {
            Error(key, $"'{value}' is neither an absolute socket path nor a unix://, tcp:// or http:// URI");
        }

        return uri;
    }

    private string? ApiVersion(string key, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        string trimmed = value.Trim().TrimStart('v');
        if (!System.Version.TryParse(trimmed, out _) || trimmed.Split('.').Length != 2)
        {
            Error(key, $"'{value}' is not a Docker API version (e.g. 1.41)");
            return null;
        }

        return trimmed;
    }

    private string? AbsolutePath(string key, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        string trimmed = value.Trim();
        if (!Path.IsPathFullyQualified(trimmed))
        {
            Error(key, $"'{value}' is not an absolute path");
            return null;
        }

        return trimmed;
    }

    private Dictionary<string, string> Labels(string key, Dictionary<string, string>? value)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (value == null)
        {
            return labels;
        }

        foreach (var (name, text) in value)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                Error(key, "a label has an empty name");
                continue;
            }

            labels[name] = text ?? string.Empty;
        }

        return labels;
    }

    private List<string> Hooks(string key, List<string>? value, IReadOnlyList<string> knownHooks)
    {
        var hooks = new List<string>();
        if (value == null)
        {
            return hooks;
        }

        for (int i = 0; i < value.Count; i++)
        {
            string name = value[i]?.Trim() ?? string.Empty;
            if (!knownHooks.Contains(name))
            {
                Error($"{key}[{i}]", $"unknown hook '{name}' (known: {string.Join(", ", knownHooks)})");
            }
            else if (hooks.Contains(name))
            {
                Error($"{key}[{i}]", $"hook '{name}' is listed twice");
            }
            else
            {
                hooks.Add(name);
            }
        }

        return hooks;
    }

    private HookSettings HookOptions(HooksSection? h, Dictionary<string, int> priorities)
    {
        var defaults = new HookSettings();
        int Priority(string name, int fallback) => priorities.TryGetValue(name, out int p) ? p : fallback;
        AclSection acl = h?.Acl ?? new AclSection();
        IptablesSection iptables = h?.Iptables ?? new IptablesSection();
        return new HookSettings
        {
            RemoveContainer = new RemoveContainerHookOptions
            {
                Priority = Priority("remove-container", defaults.RemoveContainer.Priority),
            },
            Acl = new AclHookOptions
            {
                Priority = Priority("acl", defaults.Acl.Priority),
                LabelName = Text(acl.LabelName, defaults.Acl.LabelName),
                DefaultAllowedSources = acl.DefaultAllowedSources ?? [],
                FilterIPv6 = Boolean("hooks.acl.filter_ipv6", acl.FilterIpv6, defaults.Acl.FilterIPv6),
                IptablesCommand = Text(acl.IptablesCommand, defaults.Acl.IptablesCommand),
                Ip6tablesCommand = Text(acl.Ip6tablesCommand, defaults.Acl.Ip6tablesCommand),
                NsenterCommand = Text(acl.NsenterCommand, defaults.Acl.NsenterCommand),
            },
            Netns = new NetnsHookOptions
            {
                Priority = Priority("netns", defaults.Netns.Priority),
                Directory = Text(h?.Netns?.Directory, defaults.Netns.Directory),
            },
            Iptables = new IptablesHookOptions
            {
                Priority = Priority("iptables", defaults.Iptables.Priority),
                FilterChain = Text(iptables.FilterChain, defaults.Iptables.FilterChain),
                NatChain = Text(iptables.NatChain, defaults.Iptables.NatChain),
                BridgeInterface = Text(iptables.BridgeInterface, defaults.Iptables.BridgeInterface),
                EnableForwarding = Boolean("hooks.iptables.enable_forwarding", iptables.EnableForwarding, defaults.Iptables.EnableForwarding),
                EnableMasquerading = Boolean("hooks.iptables.enable_masquerading", iptables.EnableMasquerading, defaults.Iptables.EnableMasquerading),
                IptablesCommand = Text(iptables.IptablesCommand, defaults.Iptables.IptablesCommand),
            },
            Network = new NetworkHookOptions
            {
                Priority = Priority("network", defaults.Network.Priority),
                NetworkName = string.IsNullOrWhiteSpace(h?.Network?.NetworkName) ? defaults.Network.NetworkName : h.Network.NetworkName.Trim(),
            },
            DenyPrivileged = new DenyPrivilegedHookOptions
            {
                Priority = Priority("deny-privileged", defaults.DenyPrivileged.Priority),
                AllowedFrameworks = h?.DenyPrivileged?.AllowedFrameworks ?? [],
            },
            SandboxVolumes = new SandboxVolumesHookOptions
            {
                Priority = Priority("sandbox-volumes", defaults.SandboxVolumes.Priority),
                AllowedHostPaths = h?.SandboxVolumes?.AllowedHostPaths ?? [],
            },
            ForceBridge = new ForceBridgeHookOptions
            {
                Priority = Priority("force-bridge", defaults.ForceBridge.Priority),
                Refuse = Boolean("hooks.force-bridge.refuse", h?.ForceBridge?.Refuse, defaults.ForceBridge.Refuse),
            },
            Exec = ExecOptions(h?.Exec, Priority("exec", defaults.Exec.Priority)),
        };
    }

    /// <summary>
    /// <c>hooks.exec</c>: one command per phase. Read from the file only: the commands are not
    /// in <see cref="ConfigKeys"/>, so no environment variable can name one.
    /// </summary>
    private ExecHookOptions ExecOptions(ExecSection? section, int priority)
    {
        var commands = new Dictionary<HookPhase, ExecHookCommand>();
        int maxOutput = ExecHookOptions.DefaultMaxOutputBytes;
        if (section?.MaxOutputBytes is { Length: > 0 } max)
        {
            if (int.TryParse(max.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int parsed) && parsed > 0)
            {
                maxOutput = parsed;
            }
            else
            {
                Error("hooks.exec.max_output_bytes", $"'{max}' is not a positive whole number");
            }
        }

        (HookPhase Phase, ExecCommandSection? Command)[] phases =
        [
            (HookPhase.PreCreate, section?.PreCreate), (HookPhase.PreRun, section?.PreRun), (HookPhase.PostRun, section?.PostRun),
            (HookPhase.Ready, section?.Ready), (HookPhase.HealthChanged, section?.HealthChanged), (HookPhase.Draining, section?.Draining),
            (HookPhase.PreStop, section?.PreStop), (HookPhase.PostStop, section?.PostStop),
        ];
        foreach ((HookPhase phase, ExecCommandSection? command) in phases)
        {
            if (command is null)
            {
                continue;
            }

            string key = "hooks.exec." + ExecHook.PhaseName(phase);
            commands[phase] = new ExecHookCommand
            {
                Command = command.Command ?? [],
                Timeout = Duration(key + ".timeout", command.Timeout, ExecHookCommand.DefaultTimeout, allowZero: false),
                FailTask = Boolean(key + ".fail_task", command.FailTask, false),
            };
        }

        return new ExecHookOptions { Priority = priority, Commands = commands, MaxOutputBytes = maxOutput };
    }

    private void ValidateHooks(List<string> enabled, HookSettings settings)
    {
        // Only the enabled hooks' settings must be valid (the others are never used).
        foreach (string name in enabled)
        {
            try
            {
                switch (name)
                {
                    case "remove-container": settings.RemoveContainer.Validate(); break;
                    case "acl": settings.Acl.Validate(); break;
                    case "netns": settings.Netns.Validate(); break;
                    case "iptables": settings.Iptables.Validate(); break;
                    case "network": settings.Network.Validate(); break;
                    case "deny-privileged": settings.DenyPrivileged.Validate(); break;
                    case "sandbox-volumes": settings.SandboxVolumes.Validate(); break;
                    case "force-bridge": settings.ForceBridge.Validate(); break;
                    case "exec": settings.Exec.Validate(); break;
                    default: break;
                }
            }
            catch (ExecutorConfigurationException ex)
            {
                Error($"hooks.{name}", ex.Message);
            }
        }
    }

    private static string Text(string? value, string fallback) => string.IsNullOrWhiteSpace(value) ? fallback : value.Trim();

    private Dictionary<string, int> Priorities(string key, Dictionary<string, string>? value, IReadOnlyList<string> knownHooks)
    {
        var priorities = new Dictionary<string, int>(StringComparer.Ordinal);
        if (value == null)
        {
            return priorities;
        }

        foreach (var (name, text) in value)
        {
            if (!knownHooks.Contains(name))
            {
                Error($"{key}.{name}", $"unknown hook '{name}' (known: {string.Join(", ", knownHooks)})");
            }
            else if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int priority))
            {
                Error($"{key}.{name}", $"'{text}' is not an integer");
            }
            else
            {
                priorities[name] = priority;
            }
        }

        return priorities;
    }
}
