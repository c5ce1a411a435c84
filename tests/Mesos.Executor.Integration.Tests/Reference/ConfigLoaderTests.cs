using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Mesos.Executor.Core;
using Mesos.Executor.Docker;
using Mesos.Executor.Hooks;
using Mesos.Executor.Reference.CommandLine;
using Mesos.Executor.Reference.Configuration;
using Mesos.Executor.Reference.Logging;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace Mesos.Executor.Integration.Tests.Reference;

[TestFixture]
public sealed class ConfigLoaderTests
{
    private const string BaseDirectory = "/opt/mesos-executor";
    private Dictionary<string, string> _files = null!;
    private Dictionary<string, string> _environment = null!;

    [SetUp]
    public void SetUp()
    {
        _files = new Dictionary<string, string>(StringComparer.Ordinal);
        _environment = new Dictionary<string, string>(StringComparer.Ordinal);
    }

    private ConfigSources Sources => new()
    {
        Environment = name => _environment.TryGetValue(name, out var value) ? value : null,
        FileExists = _files.ContainsKey,
        ReadFile = path => _files.TryGetValue(path, out var text) ? text : throw new FileNotFoundException(path),
        BaseDirectory = BaseDirectory,
    };

    private ExecutorSettings Load(params string[] args) => ConfigLoader.Load(ExecutorFlags.Parse(args), Sources);

    /// <summary>The operator's opt-in: lets the environment set <paramref name="entries"/> (added to the file beside the binary).</summary>
    private void AllowEnvironment(string entries = "all")
    {
        string path = BaseDirectory + "/config.yaml";
        _files[path] = (_files.TryGetValue(path, out string? text) ? text + "\n" : string.Empty) + $"environment_overrides: [{entries}]\n";
    }

    private string LoadError(params string[] args)
    {
        var ex = Assert.Throws<ExecutorConfigurationException>(() => Load(args));
        return ex!.Message;
    }

    [Test]
    public void Load_NoFileNoEnvironment_UsesBuiltInDefaults()
    {
        ExecutorSettings settings = Load();

        Assert.Multiple(() =>
        {
            Assert.That(settings.ConfigFile, Is.Null);
            Assert.That(settings.LogLevel, Is.EqualTo(LogLevel.Information));
            Assert.That(settings.LogFormat, Is.EqualTo(LogFormat.Text));
            Assert.That(settings.DockerEndpoint, Is.Null);
            Assert.That(settings.PullPolicy, Is.EqualTo(PullPolicy.IfNotPresent));
            Assert.That(settings.EnabledHooks, Is.Empty);
            Assert.That(settings.HealthChecksEnabled, Is.True);
            Assert.That(settings.ChecksEnabled, Is.True);
            Assert.That(settings.DefaultKillGrace, Is.Null, "follows Mesos: the shutdown grace period");
            Assert.That(settings.StopTimeout, Is.Null);
            Assert.That(settings.TerminalAckFailsafe, Is.EqualTo(TimeSpan.FromSeconds(60)));
            Assert.That(settings.ReleaseFilePages, Is.True);
            Assert.That(settings.EnvironmentApplied, Is.Empty);
            Assert.That(settings.EnvironmentIgnored, Is.Empty);
            Assert.That(settings.ReleaseInterval, Is.EqualTo(TimeSpan.FromSeconds(10)));
        });
    }

    [Test]
    public void Load_FileBesideBinaryAndInEtc_PrefersTheOneBesideTheBinary()
    {
        _files[ConfigSources.SystemConfigPath] = "logging:\n  level: error\n";
        _files[BaseDirectory + "/config.yaml"] = "logging:\n  level: debug\n";

        ExecutorSettings settings = Load();

        Assert.Multiple(() =>
        {
            Assert.That(settings.ConfigFile, Is.EqualTo(BaseDirectory + "/config.yaml"));
            Assert.That(settings.LogLevel, Is.EqualTo(LogLevel.Debug));
        });
    }

    [Test]
    public void Load_OnlyEtcFile_UsesIt()
    {
        _files[ConfigSources.SystemConfigPath] = "logging:\n  level: error\n";

        ExecutorSettings settings = Load();

        Assert.Multiple(() =>
        {
            Assert.That(settings.ConfigFile, Is.EqualTo(ConfigSources.SystemConfigPath));
            Assert.That(settings.LogLevel, Is.EqualTo(LogLevel.Error));
        });
    }

    [Test]
    public void Load_ConfigFlag_WinsOverTheSearchedFiles()
    {
        _files[ConfigSources.SystemConfigPath] = "logging:\n  level: error\n";
        _files[BaseDirectory + "/config.yaml"] = "logging:\n  level: debug\n";
        _files["/srv/mine.yaml"] = "logging:\n  level: trace\n";

        ExecutorSettings settings = Load("--config", "/srv/mine.yaml");

        Assert.Multiple(() =>
        {
            Assert.That(settings.ConfigFile, Is.EqualTo("/srv/mine.yaml"));
            Assert.That(settings.LogLevel, Is.EqualTo(LogLevel.Trace));
        });
    }

    [Test]
    public void Load_ConfigFlagNamesMissingFile_FailsNamingTheFlag()
    {
        _files[ConfigSources.SystemConfigPath] = "logging:\n  level: error\n";

        Assert.That(LoadError("--config=/nope.yaml"), Does.Contain("--config").And.Contain("/nope.yaml"));
    }

    [Test]
    public void Load_FileEnvironmentAndFlags_EnvironmentOverridesFileAndFlagsOverrideBoth()
    {
        _files[BaseDirectory + "/config.yaml"] = """
            docker:
              socket: /file.sock
              api_version: "1.40"
            timeouts:
              default_kill_grace: 7secs
              terminal_ack_failsafe: 30secs
            """;
        _environment["MESOS_EXECUTOR_DOCKER__SOCKET"] = "/env.sock";
        _environment["MESOS_EXECUTOR_DOCKER__API_VERSION"] = "1.41";
        _environment["MESOS_EXECUTOR_TIMEOUTS__DEFAULT_KILL_GRACE"] = "9secs";
        AllowEnvironment();

        ExecutorSettings settings = Load("--docker_socket=/flag.sock", "--stop_timeout=11secs");

        Assert.Multiple(() =>
        {
            Assert.That(settings.DockerEndpoint, Is.EqualTo(new Uri("unix:///flag.sock")));
            Assert.That(settings.DockerApiVersion, Is.EqualTo("1.41"));
            Assert.That(settings.DefaultKillGrace, Is.EqualTo(TimeSpan.FromSeconds(9)));
            Assert.That(settings.StopTimeout, Is.EqualTo(TimeSpan.FromSeconds(11)));
            Assert.That(settings.KillGraceFor(TimeSpan.FromSeconds(5)), Is.EqualTo(TimeSpan.FromSeconds(9)), "a configured grace replaces Mesos's rule");
            Assert.That(settings.TerminalAckFailsafe, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(settings.EnvironmentApplied, Is.EquivalentTo(new[] { "MESOS_EXECUTOR_DOCKER__SOCKET", "MESOS_EXECUTOR_DOCKER__API_VERSION", "MESOS_EXECUTOR_TIMEOUTS__DEFAULT_KILL_GRACE" }));
        });
    }

    [TestCase(null, "0ns", 5, 5, TestName = "KillGrace_AgentDefaults_IsTheShutdownGracePeriod")]
    [TestCase(null, null, 5, 5, TestName = "KillGrace_NoStopTimeout_IsTheShutdownGracePeriod")]
    [TestCase(null, "0ns", 30, 30, TestName = "KillGrace_LongShutdownGrace_IsKept")]
    [TestCase(null, "20secs", 5, 20, TestName = "KillGrace_LargerStopTimeout_RaisesIt")]
    [TestCase(null, "2secs", 5, 5, TestName = "KillGrace_SmallerStopTimeout_DoesNotLowerIt")]
    [TestCase("9secs", "20secs", 30, 9, TestName = "KillGrace_Configured_ReplacesTheRule")]
    [TestCase("0secs", "0ns", 5, 0, TestName = "KillGrace_ConfiguredZero_IsZero")]
    public void KillGraceFor_FollowsMesosDockerExecutor(string? configured, string? stopTimeout, int shutdownGraceSeconds, int expectedSeconds)
    {
        if (configured != null)
        {
            _files[BaseDirectory + "/config.yaml"] = $"timeouts:\n  default_kill_grace: {configured}\n";
        }

        ExecutorSettings settings = stopTimeout != null ? Load("--stop_timeout=" + stopTimeout) : Load();

        Assert.That(settings.KillGraceFor(TimeSpan.FromSeconds(shutdownGraceSeconds)), Is.EqualTo(TimeSpan.FromSeconds(expectedSeconds)));
    }

    [Test]
    public void Load_LoggingLevelInfoFromTheAgent_KeepsTheConfiguredLevel()
    {
        _environment["MESOS_EXECUTOR_LOGGING__LEVEL"] = "debug";
        AllowEnvironment("logging.level");

        Assert.Multiple(() =>
        {
            Assert.That(Load("--logging_level=INFO").LogLevel, Is.EqualTo(LogLevel.Debug));
            Assert.That(Load("--logging_level=WARNING").LogLevel, Is.EqualTo(LogLevel.Warning));
            Assert.That(Load("--logging_level=ERROR").LogLevel, Is.EqualTo(LogLevel.Error));
            Assert.That(Load("--quiet").LogLevel, Is.EqualTo(LogLevel.None));
        });
    }

    [Test]
    public void Load_AgentsOwnExecutorVariables_AreNotTakenForConfiguration()
    {
        _environment["MESOS_EXECUTOR_ID"] = "e1";
        _environment["MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD"] = "5secs";
        _environment["MESOS_EXECUTOR_AUTHENTICATION_TOKEN"] = "secret";

        Assert.That(() => Load(), Throws.Nothing);
    }

    [Test]
    public void Load_EnvironmentListsAndMaps_UseCommaSyntax()
    {
        _environment["MESOS_EXECUTOR_HOOKS__ENABLED"] = "acl, remove-container";
        _environment["MESOS_EXECUTOR_HOOKS__PRIORITIES"] = "acl=5,remove-container=-7";
        _environment["MESOS_EXECUTOR_DOCKER__EXTRA_LABELS"] = "team=infra,run=r1";
        AllowEnvironment("hooks, docker");

        ExecutorSettings settings = Load();

        Assert.Multiple(() =>
        {
            Assert.That(settings.EnabledHooks, Is.EqualTo(new[] { "acl", "remove-container" }));
            Assert.That(settings.HookSettings.Acl.Priority, Is.EqualTo(5));
            Assert.That(settings.HookSettings.RemoveContainer.Priority, Is.EqualTo(-7));
            Assert.That(settings.HookSettings.Netns.Priority, Is.EqualTo(new NetnsHookOptions().Priority));
            Assert.That(settings.ExtraLabels, Is.EquivalentTo(new Dictionary<string, string> { ["team"] = "infra", ["run"] = "r1" }));
        });
    }

    [Test]
    public void Load_EveryKeyInYaml_MapsOntoTheSettings()
    {
        _files[BaseDirectory + "/config.yaml"] = """
            logging:
              level: warning
              format: json
            docker:
              socket: tcp://127.0.0.1:2375
              api_version: v1.41
              pull_policy: never
              extra_labels:
                a: b
            hooks:
              enabled: [netns, acl]
              priorities:
                acl: 12
            health_checks:
              enabled: false
              checks_enabled: no
            timeouts:
              default_kill_grace: 1.5mins
              terminal_ack_failsafe: 500ms
            memory:
              release_file_pages: false
              release_interval: 2mins
            """;

        ExecutorSettings settings = Load();

        Assert.Multiple(() =>
        {
            Assert.That(settings.LogLevel, Is.EqualTo(LogLevel.Warning));
            Assert.That(settings.LogFormat, Is.EqualTo(LogFormat.Json));
            Assert.That(settings.DockerEndpoint, Is.EqualTo(new Uri("tcp://127.0.0.1:2375")));
            Assert.That(settings.DockerApiVersion, Is.EqualTo("1.41"));
            Assert.That(settings.PullPolicy, Is.EqualTo(PullPolicy.Never));
            Assert.That(settings.ExtraLabels["a"], Is.EqualTo("b"));
            Assert.That(settings.EnabledHooks, Is.EqualTo(new[] { "netns", "acl" }));
            Assert.That(settings.HookSettings.Acl.Priority, Is.EqualTo(12));
            Assert.That(settings.HealthChecksEnabled, Is.False);
            Assert.That(settings.ChecksEnabled, Is.False);
            Assert.That(settings.DefaultKillGrace, Is.EqualTo(TimeSpan.FromSeconds(90)));
            Assert.That(settings.TerminalAckFailsafe, Is.EqualTo(TimeSpan.FromMilliseconds(500)));
            Assert.That(settings.ReleaseFilePages, Is.False);
            Assert.That(settings.ReleaseInterval, Is.EqualTo(TimeSpan.FromMinutes(2)));
        });
    }

    [Test]
    public void Load_MemoryKeysFromTheEnvironment_AreValidatedNamingTheKey()
    {
        _environment["MESOS_EXECUTOR_MEMORY__RELEASE_FILE_PAGES"] = "sometimes";
        _environment["MESOS_EXECUTOR_MEMORY__RELEASE_INTERVAL"] = "0secs";
        AllowEnvironment("memory");

        string message = LoadError();

        Assert.Multiple(() =>
        {
            Assert.That(message, Does.Contain("memory.release_file_pages"));
            Assert.That(message, Does.Contain("memory.release_interval"));
        });
    }

    [Test]
    public void Load_UnknownHook_FailsNamingTheKeyAndTheHook()
    {
        _files[BaseDirectory + "/config.yaml"] = "hooks:\n  enabled: [acl, firewall]\n";

        Assert.That(LoadError(), Does.Contain("hooks.enabled[1]").And.Contain("firewall"));
    }

    [Test]
    public void Load_BadDuration_FailsNamingTheKeyAndTheFile()
    {
        _files[BaseDirectory + "/config.yaml"] = "timeouts:\n  default_kill_grace: 3 seconds\n";

        Assert.That(LoadError(), Does.Contain("timeouts.default_kill_grace").And.Contain("3 seconds").And.Contain(BaseDirectory + "/config.yaml"));
    }

    [Test]
    public void Load_BadEnumFromEnvironment_FailsNamingTheKeyAndTheVariable()
    {
        _environment["MESOS_EXECUTOR_DOCKER__PULL_POLICY"] = "sometimes";
        AllowEnvironment("docker.pull_policy");

        Assert.That(LoadError(), Does.Contain("docker.pull_policy").And.Contain("sometimes").And.Contain("MESOS_EXECUTOR_DOCKER__PULL_POLICY"));
    }

    [Test]
    public void Load_UnknownKey_FailsNamingTheKeyWithItsSection()
    {
        _files[BaseDirectory + "/config.yaml"] = "logging:\n  levle: debug\n";

        Assert.That(LoadError(), Does.Contain("unknown key 'logging.levle'").And.Contain("line 2"));
    }

    [Test]
    public void Load_ListWhereAValueIsExpected_FailsNamingTheKey()
    {
        _files[BaseDirectory + "/config.yaml"] = "docker:\n  socket: [a, b]\n";

        Assert.That(LoadError(), Does.Contain("'socket' must be a single value"));
    }

    [Test]
    public void Load_BrokenYaml_FailsWithTheLine()
    {
        _files[BaseDirectory + "/config.yaml"] = "logging:\n  level: debug\n bad: : :\n";

        Assert.That(LoadError(), Does.Contain(BaseDirectory + "/config.yaml").And.Contain("line 3"));
    }

    [Test]
    public void Load_SeveralProblems_ReportsThemAllAtOnce()
    {
        _environment["MESOS_EXECUTOR_LOGGING__FORMAT"] = "xml";
        _environment["MESOS_EXECUTOR_HEALTH_CHECKS__ENABLED"] = "perhaps";
        _environment["MESOS_EXECUTOR_TIMEOUTS__TERMINAL_ACK_FAILSAFE"] = "0secs";
        AllowEnvironment();

        string message = LoadError("--stop_timeout=soon", "--logging_level=LOUD");

        Assert.Multiple(() =>
        {
            Assert.That(message, Does.Contain("logging.format"));
            Assert.That(message, Does.Contain("health_checks.enabled"));
            Assert.That(message, Does.Contain("timeouts.terminal_ack_failsafe"));
            Assert.That(message, Does.Contain("--stop_timeout"));
            Assert.That(message, Does.Contain("--logging_level"));
        });
    }

    [Test]
    public void Load_BadPriority_FailsNamingTheHook()
    {
        _files[BaseDirectory + "/config.yaml"] = "hooks:\n  priorities:\n    acl: high\n";

        Assert.That(LoadError(), Does.Contain("hooks.priorities.acl").And.Contain("high"));
    }

    [Test]
    public void Load_EmptyFile_IsTheDefaults()
    {
        _files[BaseDirectory + "/config.yaml"] = "# nothing configured\n";

        Assert.That(Load().DefaultKillGrace, Is.Null);
    }

    [Test]
    public void Load_FlagErrors_AreConfigurationErrors()
    {
        Assert.That(LoadError("--container"), Does.Contain("--container"));
    }

    [Test]
    public void Load_HookSections_MapOntoTheHookOptions()
    {
        _files[BaseDirectory + "/config.yaml"] = """
            hooks:
              enabled: [acl, iptables, deny-privileged, sandbox-volumes, force-bridge, network, netns]
              acl:
                label_name: ALLOW
                default_allowed_sources: [10.0.0.0/8, 192.168.1.1]
                filter_ipv6: false
                iptables_command: /sbin/iptables
                ip6tables_command: /sbin/ip6tables
                nsenter_command: /usr/bin/nsenter
              iptables:
                filter_chain: F
                nat_chain: N
                bridge_interface: br0
                enable_forwarding: false
                enable_masquerading: false
                iptables_command: /sbin/iptables-legacy
              netns:
                directory: /run/netns
              network:
                network_name: tasks
              deny-privileged:
                allowed_frameworks: [ops]
              sandbox-volumes:
                allowed_host_paths: [/data]
              force-bridge:
                refuse: true
            """;

        HookSettings hooks = Load().HookSettings;

        Assert.Multiple(() =>
        {
            Assert.That(hooks.Acl.LabelName, Is.EqualTo("ALLOW"));
            Assert.That(hooks.Acl.DefaultAllowedSources, Is.EqualTo(new[] { "10.0.0.0/8", "192.168.1.1" }));
            Assert.That(hooks.Acl.FilterIPv6, Is.False);
            Assert.That(hooks.Acl.IptablesCommand, Is.EqualTo("/sbin/iptables"));
            Assert.That(hooks.Acl.Ip6tablesCommand, Is.EqualTo("/sbin/ip6tables"));
            Assert.That(hooks.Acl.NsenterCommand, Is.EqualTo("/usr/bin/nsenter"));
            Assert.That(hooks.Iptables.FilterChain, Is.EqualTo("F"));
            Assert.That(hooks.Iptables.NatChain, Is.EqualTo("N"));
            Assert.That(hooks.Iptables.BridgeInterface, Is.EqualTo("br0"));
            Assert.That(hooks.Iptables.EnableForwarding, Is.False);
            Assert.That(hooks.Iptables.EnableMasquerading, Is.False);
            Assert.That(hooks.Iptables.IptablesCommand, Is.EqualTo("/sbin/iptables-legacy"));
            Assert.That(hooks.Netns.Directory, Is.EqualTo("/run/netns"));
            Assert.That(hooks.Network.NetworkName, Is.EqualTo("tasks"));
            Assert.That(hooks.DenyPrivileged.AllowedFrameworks, Is.EqualTo(new[] { "ops" }));
            Assert.That(hooks.SandboxVolumes.AllowedHostPaths, Is.EqualTo(new[] { "/data" }));
            Assert.That(hooks.ForceBridge.Refuse, Is.True);
        });
    }

    [Test]
    public void Load_HookSettingFromEnvironment_UsesUnderscoresForDashes()
    {
        _environment["MESOS_EXECUTOR_HOOKS__DENY_PRIVILEGED__ALLOWED_FRAMEWORKS"] = "a,b";
        _environment["MESOS_EXECUTOR_HOOKS__ACL__DEFAULT_ALLOWED_SOURCES"] = "10.1.0.0/16";
        AllowEnvironment("hooks.deny-privileged, hooks.acl.default_allowed_sources");

        HookSettings hooks = Load().HookSettings;

        Assert.Multiple(() =>
        {
            Assert.That(hooks.DenyPrivileged.AllowedFrameworks, Is.EqualTo(new[] { "a", "b" }));
            Assert.That(hooks.Acl.DefaultAllowedSources, Is.EqualTo(new[] { "10.1.0.0/16" }));
        });
    }

    [Test]
    public void Load_InvalidSettingsOfAnEnabledHook_FailNamingTheHook()
    {
        _files[BaseDirectory + "/config.yaml"] = "hooks:\n  enabled: [acl]\n  acl:\n    default_allowed_sources: [not-an-address]\n";

        Assert.That(LoadError(), Does.Contain("hooks.acl").And.Contain("not-an-address"));
    }

    [Test]
    public void Load_InvalidSettingsOfADisabledHook_AreNotChecked()
    {
        _files[BaseDirectory + "/config.yaml"] = "hooks:\n  acl:\n    default_allowed_sources: [not-an-address]\n";

        Assert.That(() => Load(), Throws.Nothing);
    }

    [Test]
    public void Load_UnknownKeyInAHookSection_FailsNamingTheFullKey()
    {
        _files[BaseDirectory + "/config.yaml"] = "hooks:\n  force-bridge:\n    refuze: true\n";

        Assert.That(LoadError(), Does.Contain("unknown key 'hooks.force-bridge.refuze'"));
    }

    [Test]
    public void EnvironmentVariable_OfEveryKey_HasTheDocumentedShape()
    {
        foreach (ConfigKey key in ConfigKeys.All)
        {
            Assert.That(key.EnvironmentVariable, Does.StartWith("MESOS_EXECUTOR_").And.Contain("__").And.Match("^[A-Z0-9_]+$"), key.Path);
        }

        Assert.That(ConfigKeys.All.Single(k => k.Path == "docker.socket").EnvironmentVariable, Is.EqualTo("MESOS_EXECUTOR_DOCKER__SOCKET"));
    }

    [Test]
    public void Load_UnknownHookFromEnvironment_NamesTheVariable()
    {
        _files[BaseDirectory + "/config.yaml"] = "hooks:\n  enabled: [acl]\n";
        _environment["MESOS_EXECUTOR_HOOKS__ENABLED"] = "acl,firewall";
        AllowEnvironment("hooks.enabled");

        Assert.That(LoadError(), Does.Contain("hooks.enabled[1]").And.Contain("firewall").And.Contain("(from MESOS_EXECUTOR_HOOKS__ENABLED)"));
    }

    [Test]
    public void Load_EnvironmentWithoutOptIn_ConfiguresNothingAndListsTheVariables()
    {
        _files[BaseDirectory + "/config.yaml"] = "hooks:\n  enabled: [deny-privileged]\n";
        _environment["MESOS_EXECUTOR_HOOKS__ENABLED"] = "iptables";
        _environment["MESOS_EXECUTOR_HOOKS__IPTABLES__IPTABLES_COMMAND"] = "/sandbox/evil.sh";
        _environment["MESOS_EXECUTOR_LOGGING__LEVEL"] = "none";
        _environment["DOCKER_HOST"] = "tcp://203.0.113.1:2375";

        ExecutorSettings settings = Load();

        Assert.Multiple(() =>
        {
            Assert.That(settings.EnabledHooks, Is.EqualTo(new[] { "deny-privileged" }));
            Assert.That(settings.HookSettings.Iptables.IptablesCommand, Is.EqualTo(new IptablesHookOptions().IptablesCommand));
            Assert.That(settings.LogLevel, Is.EqualTo(LogLevel.Information));
            Assert.That(settings.DockerEndpoint, Is.Null);
            Assert.That(settings.EnvironmentApplied, Is.Empty);
            Assert.That(settings.EnvironmentIgnored, Is.EquivalentTo(new[]
            {
                "MESOS_EXECUTOR_HOOKS__ENABLED", "MESOS_EXECUTOR_HOOKS__IPTABLES__IPTABLES_COMMAND", "MESOS_EXECUTOR_LOGGING__LEVEL", "DOCKER_HOST",
            }));
        });
    }

    [Test]
    public void Load_OptInByKey_AllowsOnlyThatKey()
    {
        _environment["MESOS_EXECUTOR_LOGGING__LEVEL"] = "debug";
        _environment["MESOS_EXECUTOR_LOGGING__FORMAT"] = "json";
        AllowEnvironment("logging.level");

        ExecutorSettings settings = Load();

        Assert.Multiple(() =>
        {
            Assert.That(settings.LogLevel, Is.EqualTo(LogLevel.Debug));
            Assert.That(settings.LogFormat, Is.EqualTo(LogFormat.Text));
            Assert.That(settings.EnvironmentApplied, Is.EqualTo(new[] { "MESOS_EXECUTOR_LOGGING__LEVEL" }));
            Assert.That(settings.EnvironmentIgnored, Is.EqualTo(new[] { "MESOS_EXECUTOR_LOGGING__FORMAT" }));
        });
    }

    [Test]
    public void Load_OptInBySection_AllowsEveryKeyBelowItOnly()
    {
        _environment["MESOS_EXECUTOR_HOOKS__ACL__LABEL_NAME"] = "ALLOW";
        _environment["MESOS_EXECUTOR_HOOKS__ENABLED"] = "acl";
        AllowEnvironment("hooks.acl");

        ExecutorSettings settings = Load();

        Assert.Multiple(() =>
        {
            Assert.That(settings.HookSettings.Acl.LabelName, Is.EqualTo("ALLOW"));
            Assert.That(settings.EnabledHooks, Is.Empty);
        });
    }

    [Test]
    public void Load_UnknownOptInEntry_FailsNamingIt()
    {
        AllowEnvironment("logging.levle, hook");

        string message = LoadError();

        Assert.That(message, Does.Contain("environment_overrides[0]").And.Contain("logging.levle").And.Contain("environment_overrides[1]").And.Contain("'hook'"));
    }

    [Test]
    public void Load_DockerHostAllowedAsDockerSocket_IsTheEndpointAndCountsAsApplied()
    {
        _environment["DOCKER_HOST"] = "tcp://127.0.0.1:2375";
        AllowEnvironment("docker.socket");

        ExecutorSettings settings = Load();

        Assert.Multiple(() =>
        {
            Assert.That(settings.DockerEndpoint, Is.EqualTo(new Uri("tcp://127.0.0.1:2375")));
            Assert.That(settings.EnvironmentApplied, Is.EqualTo(new[] { "DOCKER_HOST" }));
        });
    }

    [Test]
    public void Load_DockerSocketVariableAndDockerHost_TheKeysOwnVariableWins()
    {
        _environment["DOCKER_HOST"] = "tcp://127.0.0.1:2375";
        _environment["MESOS_EXECUTOR_DOCKER__SOCKET"] = "/run/docker.sock";
        AllowEnvironment("docker");

        ExecutorSettings settings = Load();

        Assert.Multiple(() =>
        {
            Assert.That(settings.DockerEndpoint, Is.EqualTo(new Uri("unix:///run/docker.sock")));
            Assert.That(settings.EnvironmentApplied, Is.EqualTo(new[] { "MESOS_EXECUTOR_DOCKER__SOCKET" }));
        });
    }

    // Found by the yaml-config fuzz target (issue 16): a file that is one plain value escaped as
    // InvalidCastException instead of a configuration error.
    [TestCase("timeoutseconds")]
    [TestCase("'quoted'\n")]
    public void Load_FileIsASingleValue_FailsSayingItMustBeAMapping(string yaml)
    {
        _files[BaseDirectory + "/config.yaml"] = yaml;

        Assert.That(LoadError(), Does.Contain(BaseDirectory + "/config.yaml").And.Contain("must be a mapping"));
    }

    // Found by the yaml-config fuzz target (issue 16): YamlDotNet's scanner let these escape as
    // InvalidOperationException, ArgumentException and ArgumentOutOfRangeException.
    [TestCase("...\0")]
    [TestCase("!!stO[")]
    [TestCase("\"GVUUFFM-B\\UFF5FFF5FFU")]
    public void Load_MalformedYamlTheScannerMishandles_FailsAsInvalidYaml(string yaml)
    {
        _files[BaseDirectory + "/config.yaml"] = yaml;

        Assert.That(LoadError(), Does.Contain(BaseDirectory + "/config.yaml").And.Contain("not valid YAML"));
    }
}
