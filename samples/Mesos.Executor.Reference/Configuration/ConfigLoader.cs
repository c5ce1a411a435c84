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
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Mesos.Executor.Reference.Configuration;

/// <summary>
/// Loads the executor's configuration: built-in defaults, then one YAML file (<c>--config PATH</c>,
/// else <c>config.yaml</c> beside the binary, else <c>/etc/mesos-executor/config.yaml</c>, else
/// none), then <c>MESOS_EXECUTOR_*</c> environment variables (only for the keys the file lists
/// in <c>environment_overrides</c>), then flags. Every problem is collected and reported at once,
/// each naming its key and where the value came from.
/// </summary>
internal static class ConfigLoader
{
    /// <summary>The Mesos logging levels <c>--logging_level</c> takes.</summary>
    private static readonly string[] MesosLevels = ["INFO", "WARNING", "ERROR"];

    /// <summary>Loads and validates the configuration.</summary>
    /// <param name="flags">The parsed command line.</param>
    /// <param name="sources">The environment and the file system.</param>
    /// <returns>The settings.</returns>
    /// <exception cref="ExecutorConfigurationException">The configuration is invalid; the message lists every problem.</exception>
    public static ExecutorSettings Load(ExecutorFlags flags, ConfigSources sources)
    {
        ArgumentNullException.ThrowIfNull(flags);
        ArgumentNullException.ThrowIfNull(sources);

        var errors = new List<string>();
        string? path = FindFile(flags.ConfigPath, sources, errors);
        ConfigDocument document = new();
        if (path != null)
        {
            document = ReadFile(path, sources, errors) ?? new ConfigDocument();
        }

        if (errors.Count > 0)
        {
            throw Invalid(errors);
        }

        // Environment variables configure the executor only where the operator's file allows it:
        // the agent merges the task's environment over the executor's own (src/slave/slave.cpp,
        // src/slave/containerizer/docker.cpp), so a variable may come from a framework's user.
        // The host refuses tasks whose environment brought a variable that was used (see
        // TaskEnvironmentGuard).
        var origins = new Dictionary<string, string>(StringComparer.Ordinal);
        EnvironmentAllowList allowed = EnvironmentAllowList.Parse(document.EnvironmentOverrides, path, errors);
        var applied = new List<string>();
        var ignored = new List<string>();
        foreach (ConfigKey key in ConfigKeys.All)
        {
            string? value = sources.Environment(key.EnvironmentVariable);
            if (value == null)
            {
                continue;
            }

            if (!allowed.Allows(key.Path))
            {
                ignored.Add(key.EnvironmentVariable);
                continue;
            }

            key.Apply(document, value);
            origins[key.Path] = key.EnvironmentVariable;
            applied.Add(key.EnvironmentVariable);
        }

        // DOCKER_HOST is the Docker CLI's way to name the engine; it counts as docker.socket.
        if (sources.Environment(EnvironmentAllowList.DockerHost) is { Length: > 0 } dockerHost && !origins.ContainsKey("docker.socket"))
        {
            if (allowed.Allows("docker.socket"))
            {
                (document.Docker ??= new DockerSection()).Socket = dockerHost;
                origins["docker.socket"] = EnvironmentAllowList.DockerHost;
                applied.Add(EnvironmentAllowList.DockerHost);
            }
            else
            {
                ignored.Add(EnvironmentAllowList.DockerHost);
            }
        }

        var resolver = new Resolver(path, origins, errors);
        ExecutorSettings settings = resolver.Resolve(document);
        settings = ApplyFlags(settings, flags, errors);
        if (errors.Count > 0)
        {
            throw Invalid(errors);
        }

        return settings with { EnvironmentApplied = applied, EnvironmentIgnored = ignored };
    }

    /// <summary>Parses YAML text into the document.</summary>
    /// <param name="yaml">The YAML text.</param>
    /// <returns>The document (empty for an empty file).</returns>
    /// <exception cref="YamlException">The text is not valid YAML for the document.</exception>
    public static ConfigDocument Parse(string yaml)
    {
        IDeserializer deserializer = new StaticDeserializerBuilder(new ConfigYamlContext())
            .WithNamingConvention(UnderscoredNamingConvention.Instance)
            .Build();
        try
        {
            return deserializer.Deserialize<ConfigDocument?>(yaml) ?? new ConfigDocument();
        }
        catch (InvalidCastException ex)
        {
            // A document that is a single value (a line without "key:"): YamlDotNet reads it as a
            // string, then fails to cast it to the document.
            var start = new Mark(0, 1, 1);
            throw new YamlException(start, start, "the file must be a mapping (key: value lines), not a single value", ex);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet's scanner lets a few malformed documents escape as other exceptions (found
            // by fuzzing, issue 16): a NUL after "...", a global tag that is not a URI ("!!stO["),
            // a \U escape beyond Unicode. They are YAML errors all the same.
            var start = new Mark(0, 1, 1);
            throw new YamlException(start, start, $"the file is not valid YAML: {ex.Message}", ex);
        }
    }

    private static string? FindFile(string? explicitPath, ConfigSources sources, List<string> errors)
    {
        if (explicitPath != null)
        {
            if (!sources.FileExists(explicitPath))
            {
                errors.Add($"--config: file '{explicitPath}' does not exist");
                return null;
            }

            return explicitPath;
        }

        string besideBinary = Path.Combine(sources.BaseDirectory, ConfigSources.FileName);
        if (sources.FileExists(besideBinary))
        {
            return besideBinary;
        }

        return sources.FileExists(ConfigSources.SystemConfigPath) ? ConfigSources.SystemConfigPath : null;
    }

    private static ConfigDocument? ReadFile(string path, ConfigSources sources, List<string> errors)
    {
        string text;
        try
        {
            text = sources.ReadFile(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{path}: cannot be read: {ex.Message}");
            return null;
        }

        try
        {
            return Parse(text);
        }
        catch (YamlException ex)
        {
            errors.Add($"{path}: {YamlErrors.Describe(ex, text)}");
            return null;
        }
    }

    private static ExecutorSettings ApplyFlags(ExecutorSettings settings, ExecutorFlags flags, List<string> errors)
    {
        foreach (string error in flags.Errors)
        {
            errors.Add(error);
        }

        Uri? endpoint = settings.DockerEndpoint;
        if (flags.DockerSocket != null)
        {
            endpoint = ParseDockerEndpoint(flags.DockerSocket, "--docker_socket", errors) ?? endpoint;
        }

        TimeSpan? stopTimeout = null;
        if (flags.StopTimeout != null)
        {
            // The agent always passes --stop_timeout (its deprecated --docker_stop_timeout, default
            // 0ns); it only counts when larger than the shutdown grace period (KillGraceFor).
            if (!MesosDuration.TryParse(flags.StopTimeout, out TimeSpan stop))
            {
                errors.Add($"--stop_timeout: '{flags.StopTimeout}' is not a Mesos duration (e.g. 10secs, 500ms)");
            }
            else
            {
                stopTimeout = stop;
            }
        }

        LogLevel level = settings.LogLevel;
        if (flags.LoggingLevel != null)
        {
            string upper = flags.LoggingLevel.Trim().ToUpperInvariant();
            if (!MesosLevels.Contains(upper))
            {
                errors.Add($"--logging_level: '{flags.LoggingLevel}' is not one of INFO, WARNING, ERROR");
            }
            else if (upper != "INFO")
            {
                // INFO is the agent's default and it always passes the flag, so INFO cannot mean
                // "override logging.level"; WARNING and ERROR do.
                level = upper == "WARNING" ? LogLevel.Warning : LogLevel.Error;
            }
        }

        if (flags.Quiet)
        {
            level = LogLevel.None;
        }

        return settings with
        {
            DockerEndpoint = endpoint,
            StopTimeout = stopTimeout,
            LogLevel = level,
            ContainerName = flags.Container,
            DropIn = flags.Container != null,
            SandboxDirectory = flags.SandboxDirectory,
            MappedDirectory = flags.MappedDirectory,
            TaskEnvironmentJson = flags.TaskEnvironment,
            DefaultContainerDnsJson = flags.DefaultContainerDns,
            CgroupsEnableCfs = flags.CgroupsEnableCfs ?? false,
        };
    }

    /// <summary>Turns a socket path or URI into the Docker endpoint URI.</summary>
    /// <param name="value">A path (<c>/var/run/docker.sock</c>) or a URI (<c>unix://</c>, <c>tcp://</c>, <c>http://</c>; the Docker containerizer has no TLS).</param>
    /// <param name="key">The key or flag, for the error.</param>
    /// <param name="errors">Where an error goes.</param>
    /// <returns>The URI, or <see langword="null"/> on error.</returns>
    internal static Uri? ParseDockerEndpoint(string value, string key, List<string> errors)
    {
        string trimmed = value.Trim();
        if (trimmed.StartsWith('/'))
        {
            return new Uri("unix://" + trimmed);
        }

        if (Uri.TryCreate(trimmed, UriKind.Absolute, out Uri? uri) && uri.Scheme is "unix" or "tcp" or "http")
        {
            return uri;
        }

        errors.Add($"{key}: '{value}' is neither an absolute socket path nor a unix://, tcp:// or http:// URI");
        return null;
    }

    private static ExecutorConfigurationException Invalid(List<string> errors) =>
        new("invalid configuration:" + Environment.NewLine + " - " + string.Join(Environment.NewLine + " - ", errors));

    /// <summary>Validates the document and turns it into settings, naming each bad key and its origin.</summary>
    private sealed class Resolver
    {
        private readonly string? _path;
        private readonly Dictionary<string, string> _origins;
        private readonly List<string> _errors;

        public Resolver(string? path, Dictionary<string, string> origins, List<string> errors)
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
            Uri? uri = ParseDockerEndpoint(value, key, local);
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
}
