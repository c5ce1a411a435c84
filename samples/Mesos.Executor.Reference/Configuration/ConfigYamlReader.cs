using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Mesos.Executor.Reference.Configuration;

/// <summary>
/// Reads <c>config.yaml</c> into a <see cref="ConfigDocument"/>: each section is read by code that
/// knows its keys, from the nodes <see cref="YamlNodeReader"/> reads. YamlDotNet's object
/// deserializer did this before, through type inspectors and generic node deserializers: measured
/// in the NativeAOT executor, about 40% of the CPU of a start-up before SUBSCRIBE, for a file of a
/// hundred values (issue 13). What it accepted reads the same (see <see cref="YamlNodeReader"/> for
/// values, aliases, tags and documents). Keys are exact: snake_case, the hook sections and exec
/// phases with dashes, as the hooks are named; an unknown key is an error naming its whole path. A
/// key given twice: the last wins (a section given twice: the last replaces the first whole).
/// </summary>
/// <remarks>
/// What is read is as deep as the schema (a list of text in an exec phase, five levels down): a
/// deeper node is the wrong kind of node where it stands, and fails there.
/// </remarks>
internal sealed class ConfigYamlReader
{
    private readonly YamlNodeReader _yaml;

    private ConfigYamlReader(string yaml) => _yaml = new YamlNodeReader(yaml);

    /// <summary>Reads a YAML text into the document.</summary>
    /// <param name="yaml">The YAML text.</param>
    /// <returns>The document (empty for an empty file).</returns>
    /// <exception cref="YamlException">The text is not valid YAML, or not a valid document (unknown key, wrong kind of value); the exception's marks locate the node.</exception>
    public static ConfigDocument Read(string yaml) => new ConfigYamlReader(yaml).ReadDocument();

    private ConfigDocument ReadDocument()
    {
        if (!_yaml.BeginDocument())
        {
            return new ConfigDocument();
        }

        var document = new ConfigDocument();
        while (_yaml.NextKey() is { } key)
        {
            switch (key.Value)
            {
                case "logging": document.Logging = ReadLogging(key); break;
                case "docker": document.Docker = ReadDocker(key); break;
                case "hooks": document.Hooks = ReadHooks(key); break;
                case "health_checks": document.HealthChecks = ReadHealthChecks(key); break;
                case "timeouts": document.Timeouts = ReadTimeouts(key); break;
                case "memory": document.Memory = ReadMemory(key); break;
                case "environment_overrides": document.EnvironmentOverrides = _yaml.ReadList(key); break;
                default: throw _yaml.UnknownKey(null, key);
            }
        }

        _yaml.EndDocument();
        return document;
    }

    private LoggingSection? ReadLogging(Scalar name)
    {
        if (!_yaml.BeginMapping(name))
        {
            return null;
        }

        var section = new LoggingSection();
        while (_yaml.NextKey() is { } key)
        {
            switch (key.Value)
            {
                case "level": section.Level = _yaml.ReadText(key); break;
                case "format": section.Format = _yaml.ReadText(key); break;
                default: throw _yaml.UnknownKey("logging", key);
            }
        }

        return section;
    }

    private DockerSection? ReadDocker(Scalar name)
    {
        if (!_yaml.BeginMapping(name))
        {
            return null;
        }

        var section = new DockerSection();
        while (_yaml.NextKey() is { } key)
        {
            switch (key.Value)
            {
                case "socket": section.Socket = _yaml.ReadText(key); break;
                case "api_version": section.ApiVersion = _yaml.ReadText(key); break;
                case "pull_policy": section.PullPolicy = _yaml.ReadText(key); break;
                case "config": section.Config = _yaml.ReadText(key); break;
                case "extra_labels": section.ExtraLabels = _yaml.ReadMap(key); break;
                default: throw _yaml.UnknownKey("docker", key);
            }
        }

        return section;
    }

    private HealthChecksSection? ReadHealthChecks(Scalar name)
    {
        if (!_yaml.BeginMapping(name))
        {
            return null;
        }

        var section = new HealthChecksSection();
        while (_yaml.NextKey() is { } key)
        {
            switch (key.Value)
            {
                case "enabled": section.Enabled = _yaml.ReadText(key); break;
                case "checks_enabled": section.ChecksEnabled = _yaml.ReadText(key); break;
                default: throw _yaml.UnknownKey("health_checks", key);
            }
        }

        return section;
    }

    private TimeoutsSection? ReadTimeouts(Scalar name)
    {
        if (!_yaml.BeginMapping(name))
        {
            return null;
        }

        var section = new TimeoutsSection();
        while (_yaml.NextKey() is { } key)
        {
            switch (key.Value)
            {
                case "default_kill_grace": section.DefaultKillGrace = _yaml.ReadText(key); break;
                case "terminal_ack_failsafe": section.TerminalAckFailsafe = _yaml.ReadText(key); break;
                case "drain_delay": section.DrainDelay = _yaml.ReadText(key); break;
                case "drain_delay_label": section.DrainDelayLabel = _yaml.ReadText(key); break;
                case "max_drain_delay": section.MaxDrainDelay = _yaml.ReadText(key); break;
                default: throw _yaml.UnknownKey("timeouts", key);
            }
        }

        return section;
    }

    private MemorySection? ReadMemory(Scalar name)
    {
        if (!_yaml.BeginMapping(name))
        {
            return null;
        }

        var section = new MemorySection();
        while (_yaml.NextKey() is { } key)
        {
            switch (key.Value)
            {
                case "release_file_pages": section.ReleaseFilePages = _yaml.ReadText(key); break;
                case "release_interval": section.ReleaseInterval = _yaml.ReadText(key); break;
                default: throw _yaml.UnknownKey("memory", key);
            }
        }

        return section;
    }

    private HooksSection? ReadHooks(Scalar name)
    {
        if (!_yaml.BeginMapping(name))
        {
            return null;
        }

        var section = new HooksSection();
        while (_yaml.NextKey() is { } key)
        {
            switch (key.Value)
            {
                case "enabled": section.Enabled = _yaml.ReadList(key); break;
                case "priorities": section.Priorities = _yaml.ReadMap(key); break;
                case "acl": section.Acl = ReadAcl(key); break;
                case "netns": section.Netns = ReadNetns(key); break;
                case "iptables": section.Iptables = ReadIptables(key); break;
                case "network": section.Network = ReadNetwork(key); break;
                case "deny-privileged": section.DenyPrivileged = ReadDenyPrivileged(key); break;
                case "sandbox-volumes": section.SandboxVolumes = ReadSandboxVolumes(key); break;
                case "force-bridge": section.ForceBridge = ReadForceBridge(key); break;
                case "exec": section.Exec = ReadExec(key); break;
                default: throw _yaml.UnknownKey("hooks", key);
            }
        }

        return section;
    }

    private AclSection? ReadAcl(Scalar name)
    {
        if (!_yaml.BeginMapping(name))
        {
            return null;
        }

        var section = new AclSection();
        while (_yaml.NextKey() is { } key)
        {
            switch (key.Value)
            {
                case "label_name": section.LabelName = _yaml.ReadText(key); break;
                case "default_allowed_sources": section.DefaultAllowedSources = _yaml.ReadList(key); break;
                case "filter_ipv6": section.FilterIpv6 = _yaml.ReadText(key); break;
                case "iptables_command": section.IptablesCommand = _yaml.ReadText(key); break;
                case "ip6tables_command": section.Ip6tablesCommand = _yaml.ReadText(key); break;
                case "nsenter_command": section.NsenterCommand = _yaml.ReadText(key); break;
                default: throw _yaml.UnknownKey("hooks.acl", key);
            }
        }

        return section;
    }

    private NetnsSection? ReadNetns(Scalar name)
    {
        if (!_yaml.BeginMapping(name))
        {
            return null;
        }

        var section = new NetnsSection();
        while (_yaml.NextKey() is { } key)
        {
            switch (key.Value)
            {
                case "directory": section.Directory = _yaml.ReadText(key); break;
                default: throw _yaml.UnknownKey("hooks.netns", key);
            }
        }

        return section;
    }

    private IptablesSection? ReadIptables(Scalar name)
    {
        if (!_yaml.BeginMapping(name))
        {
            return null;
        }

        var section = new IptablesSection();
        while (_yaml.NextKey() is { } key)
        {
            switch (key.Value)
            {
                case "filter_chain": section.FilterChain = _yaml.ReadText(key); break;
                case "nat_chain": section.NatChain = _yaml.ReadText(key); break;
                case "bridge_interface": section.BridgeInterface = _yaml.ReadText(key); break;
                case "enable_forwarding": section.EnableForwarding = _yaml.ReadText(key); break;
                case "enable_masquerading": section.EnableMasquerading = _yaml.ReadText(key); break;
                case "iptables_command": section.IptablesCommand = _yaml.ReadText(key); break;
                default: throw _yaml.UnknownKey("hooks.iptables", key);
            }
        }

        return section;
    }

    private NetworkSection? ReadNetwork(Scalar name)
    {
        if (!_yaml.BeginMapping(name))
        {
            return null;
        }

        var section = new NetworkSection();
        while (_yaml.NextKey() is { } key)
        {
            switch (key.Value)
            {
                case "network_name": section.NetworkName = _yaml.ReadText(key); break;
                default: throw _yaml.UnknownKey("hooks.network", key);
            }
        }

        return section;
    }

    private DenyPrivilegedSection? ReadDenyPrivileged(Scalar name)
    {
        if (!_yaml.BeginMapping(name))
        {
            return null;
        }

        var section = new DenyPrivilegedSection();
        while (_yaml.NextKey() is { } key)
        {
            switch (key.Value)
            {
                case "allowed_frameworks": section.AllowedFrameworks = _yaml.ReadList(key); break;
                default: throw _yaml.UnknownKey("hooks.deny-privileged", key);
            }
        }

        return section;
    }

    private SandboxVolumesSection? ReadSandboxVolumes(Scalar name)
    {
        if (!_yaml.BeginMapping(name))
        {
            return null;
        }

        var section = new SandboxVolumesSection();
        while (_yaml.NextKey() is { } key)
        {
            switch (key.Value)
            {
                case "allowed_host_paths": section.AllowedHostPaths = _yaml.ReadList(key); break;
                default: throw _yaml.UnknownKey("hooks.sandbox-volumes", key);
            }
        }

        return section;
    }

    private ForceBridgeSection? ReadForceBridge(Scalar name)
    {
        if (!_yaml.BeginMapping(name))
        {
            return null;
        }

        var section = new ForceBridgeSection();
        while (_yaml.NextKey() is { } key)
        {
            switch (key.Value)
            {
                case "refuse": section.Refuse = _yaml.ReadText(key); break;
                default: throw _yaml.UnknownKey("hooks.force-bridge", key);
            }
        }

        return section;
    }

    private ExecSection? ReadExec(Scalar name)
    {
        if (!_yaml.BeginMapping(name))
        {
            return null;
        }

        var section = new ExecSection();
        while (_yaml.NextKey() is { } key)
        {
            switch (key.Value)
            {
                case "max_output_bytes": section.MaxOutputBytes = _yaml.ReadText(key); break;
                case "pre-create": section.PreCreate = ReadExecCommand(key); break;
                case "pre-run": section.PreRun = ReadExecCommand(key); break;
                case "post-run": section.PostRun = ReadExecCommand(key); break;
                case "ready": section.Ready = ReadExecCommand(key); break;
                case "health-changed": section.HealthChanged = ReadExecCommand(key); break;
                case "draining": section.Draining = ReadExecCommand(key); break;
                case "pre-stop": section.PreStop = ReadExecCommand(key); break;
                case "post-stop": section.PostStop = ReadExecCommand(key); break;
                default: throw _yaml.UnknownKey("hooks.exec", key);
            }
        }

        return section;
    }

    private ExecCommandSection? ReadExecCommand(Scalar phase)
    {
        if (!_yaml.BeginMapping(phase))
        {
            return null;
        }

        var section = new ExecCommandSection();
        while (_yaml.NextKey() is { } key)
        {
            switch (key.Value)
            {
                case "command": section.Command = _yaml.ReadList(key); break;
                case "timeout": section.Timeout = _yaml.ReadText(key); break;
                case "fail_task": section.FailTask = _yaml.ReadText(key); break;
                default: throw _yaml.UnknownKey("hooks.exec." + phase.Value, key);
            }
        }

        return section;
    }
}
