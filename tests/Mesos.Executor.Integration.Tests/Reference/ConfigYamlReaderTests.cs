using System;
using System.Collections.Generic;
using System.IO;
using Mesos.Executor.Core;
using Mesos.Executor.Reference.CommandLine;
using Mesos.Executor.Reference.Configuration;
using NUnit.Framework;
using YamlDotNet.Core;

namespace Mesos.Executor.Integration.Tests.Reference;

/// <summary>
/// How config.yaml becomes a <see cref="ConfigDocument"/> (<see cref="ConfigLoader.Parse"/>). The
/// tests of the accepted documents were written against YamlDotNet's object deserializer, which
/// read the file before, and pin what it did: null values, duplicate keys, aliases, styles.
/// </summary>
[TestFixture]
public sealed class ConfigYamlReaderTests
{
    private const string Path = "/opt/config.yaml";

    /// <summary>The message <see cref="ConfigLoader.Load"/> reports for <paramref name="yaml"/>.</summary>
    private static string LoadError(string yaml)
    {
        var ex = Assert.Throws<ExecutorConfigurationException>(() => ConfigLoader.Load(
            ExecutorFlags.Parse(["--config=" + Path]),
            new ConfigSources
            {
                Environment = _ => null,
                FileExists = path => path == Path,
                ReadFile = path => path == Path ? yaml : throw new FileNotFoundException(path),
                BaseDirectory = "/nonexistent",
            }));
        return ex!.Message;
    }

    [TestCase("")]
    [TestCase("# nothing configured\n")]
    [TestCase("---\n")]
    [TestCase("---\n...\n")]
    [TestCase("...\n")]
    [TestCase("~\n")]
    [TestCase("null\n")]
    [TestCase("{}\n")]
    [TestCase("%YAML 1.1\n---\n")]
    public void Parse_NothingConfigured_IsAnEmptyDocument(string yaml)
    {
        ConfigDocument document = ConfigLoader.Parse(yaml);

        Assert.Multiple(() =>
        {
            Assert.That(document.Logging, Is.Null);
            Assert.That(document.Docker, Is.Null);
            Assert.That(document.Hooks, Is.Null);
            Assert.That(document.HealthChecks, Is.Null);
            Assert.That(document.Timeouts, Is.Null);
            Assert.That(document.Memory, Is.Null);
            Assert.That(document.EnvironmentOverrides, Is.Null);
        });
    }

    [TestCase("logging:\n")]
    [TestCase("logging: ~\n")]
    [TestCase("logging: null\n")]
    [TestCase("logging: !!str\n")]
    public void Parse_SectionWithoutValue_IsUnset(string yaml)
    {
        Assert.That(ConfigLoader.Parse(yaml).Logging, Is.Null);
    }

    [Test]
    public void Parse_EmptyMapping_IsAnEmptySection()
    {
        LoggingSection? logging = ConfigLoader.Parse("logging: {}\n").Logging;

        Assert.That(logging, Is.Not.Null);
        Assert.That(logging!.Level, Is.Null);
    }

    [TestCase("level:")]
    [TestCase("level: ~")]
    [TestCase("level: null")]
    [TestCase("level: Null")]
    [TestCase("level: NULL")]
    [TestCase("level: !!str")]
    [TestCase("level: !!str ~")]
    public void Parse_NullValue_LeavesTheKeyUnset(string line)
    {
        LoggingSection? logging = ConfigLoader.Parse("logging:\n  " + line + "\n  format: json\n").Logging;

        Assert.That(logging?.Level, Is.Null);
        Assert.That(logging?.Format, Is.EqualTo("json"));
    }

    [TestCase("level: '~'", "~")]
    [TestCase("level: \"null\"", "null")]
    [TestCase("level: ''", "")]
    [TestCase("level: nULL", "nULL")]
    [TestCase("level: 3", "3")]
    [TestCase("level: 3.0", "3.0")]
    [TestCase("level: true", "true")]
    [TestCase("level: 'it''s'", "it's")]
    [TestCase("level: \"tab\\there\"", "tab\there")]
    [TestCase("level: !!str debug", "debug")]
    [TestCase("level: !<tag:yaml.org,2002:str> debug", "debug")]
    [TestCase("level: |\n    two\n    lines", "two\nlines\n")]
    [TestCase("level: >\n    folded\n    text", "folded text\n")]
    [TestCase("\"level\": debug", "debug")]
    public void Parse_Scalar_IsItsText(string line, string expected)
    {
        Assert.That(ConfigLoader.Parse("logging:\n  " + line + "\n").Logging?.Level, Is.EqualTo(expected));
    }

    [Test]
    public void Parse_DuplicateKey_LastOneWins()
    {
        ConfigDocument document = ConfigLoader.Parse("""
            logging:
              level: debug
              level: info
            docker:
              socket: /a.sock
            docker:
              api_version: "1.41"
              extra_labels: {a: 1, a: 2}
            """);

        Assert.Multiple(() =>
        {
            Assert.That(document.Logging?.Level, Is.EqualTo("info"));

            // The second section replaces the first as a whole.
            Assert.That(document.Docker?.Socket, Is.Null);
            Assert.That(document.Docker?.ApiVersion, Is.EqualTo("1.41"));
            Assert.That(document.Docker?.ExtraLabels, Is.EqualTo(new Dictionary<string, string> { ["a"] = "2" }));
        });
    }

    [Test]
    public void Parse_ListEntries_KeepNullEntriesAsNull()
    {
        // The resolver and the hooks' validation name a null entry (e.g. "command[1] is null").
        Assert.That(
            ConfigLoader.Parse("hooks:\n  enabled: [a, ~, null, '', b]\n").Hooks?.Enabled,
            Is.EqualTo(new[] { "a", null, null, string.Empty, "b" }));
    }

    [TestCase("hooks:\n  enabled:\n")]
    [TestCase("hooks:\n  enabled: ~\n")]
    public void Parse_ListWithoutValue_IsUnset(string yaml)
    {
        HooksSection? hooks = ConfigLoader.Parse(yaml).Hooks;

        Assert.That(hooks, Is.Not.Null);
        Assert.That(hooks!.Enabled, Is.Null);
    }

    [TestCase("hooks:\n  enabled: [acl, netns]\n")]
    [TestCase("hooks:\n  enabled:\n  - acl\n  - netns\n")]
    [TestCase("hooks:\n  enabled:\n    - acl\n    - 'netns'\n")]
    [TestCase("{hooks: {enabled: [acl, netns]}}")]
    [TestCase("? hooks\n: enabled: [acl, netns]\n")]
    public void Parse_ListOfStrings_InEveryStyle(string yaml)
    {
        Assert.That(ConfigLoader.Parse(yaml).Hooks?.Enabled, Is.EqualTo(new[] { "acl", "netns" }));
    }

    [Test]
    public void Parse_EmptyList_IsAnEmptyList()
    {
        Assert.That(ConfigLoader.Parse("hooks:\n  enabled: []\n").Hooks?.Enabled, Is.Empty);
    }

    [Test]
    public void Parse_StringMap_KeepsKeysAsWrittenAndNullValuesAsNull()
    {
        ConfigDocument document = ConfigLoader.Parse("""
            docker:
              extra_labels:
                a: 1
                b: "2"
                c: ~
                d:
                ~: e
                1: f
            hooks:
              priorities: {acl: 250, netns: -1}
            """);

        Assert.Multiple(() =>
        {
            Assert.That(document.Docker?.ExtraLabels, Is.EqualTo(new Dictionary<string, string?>
            {
                ["a"] = "1",
                ["b"] = "2",
                ["c"] = null,
                ["d"] = null,
                ["~"] = "e",
                ["1"] = "f",
            }));
            Assert.That(document.Hooks?.Priorities, Is.EqualTo(new Dictionary<string, string> { ["acl"] = "250", ["netns"] = "-1" }));
        });
    }

    [Test]
    public void Parse_EveryExecPhase_FillsItsCommand()
    {
        ConfigDocument document = ConfigLoader.Parse("""
            hooks:
              exec:
                max_output_bytes: 4096
                pre-create: {command: [/bin/a], timeout: 1secs, fail_task: true}
                pre-run: {command: [/bin/b]}
                post-run: {command: [/bin/c]}
                ready: {command: [/bin/d]}
                health-changed: {command: [/bin/e]}
                draining: {command: [/bin/f]}
                pre-stop: {command: [/bin/g]}
                post-stop:
                  command:
                    - /bin/h
                    - --flag
            """);

        ExecSection? exec = document.Hooks?.Exec;
        Assert.Multiple(() =>
        {
            Assert.That(exec?.MaxOutputBytes, Is.EqualTo("4096"));
            Assert.That(exec?.PreCreate?.Command, Is.EqualTo(new[] { "/bin/a" }));
            Assert.That(exec?.PreCreate?.Timeout, Is.EqualTo("1secs"));
            Assert.That(exec?.PreCreate?.FailTask, Is.EqualTo("true"));
            Assert.That(exec?.PreRun?.Command, Is.EqualTo(new[] { "/bin/b" }));
            Assert.That(exec?.PostRun?.Command, Is.EqualTo(new[] { "/bin/c" }));
            Assert.That(exec?.Ready?.Command, Is.EqualTo(new[] { "/bin/d" }));
            Assert.That(exec?.HealthChanged?.Command, Is.EqualTo(new[] { "/bin/e" }));
            Assert.That(exec?.Draining?.Command, Is.EqualTo(new[] { "/bin/f" }));
            Assert.That(exec?.PreStop?.Command, Is.EqualTo(new[] { "/bin/g" }));
            Assert.That(exec?.PostStop?.Command, Is.EqualTo(new[] { "/bin/h", "--flag" }));
        });
    }

    [Test]
    public void Parse_EveryKey_FillsTheDocument()
    {
        ConfigDocument document = ConfigLoader.Parse("""
            logging: {level: debug, format: json}
            docker: {socket: /s, api_version: "1.41", pull_policy: always, config: /c.json, extra_labels: {k: v}}
            hooks:
              enabled: [acl]
              priorities: {acl: 1}
              acl:
                label_name: L
                default_allowed_sources: [10.0.0.0/8]
                filter_ipv6: false
                iptables_command: /i
                ip6tables_command: /i6
                nsenter_command: /n
              netns: {directory: /run/netns}
              iptables: {filter_chain: F, nat_chain: N, bridge_interface: br0, enable_forwarding: no, enable_masquerading: yes, iptables_command: /il}
              network: {network_name: tasks}
              deny-privileged: {allowed_frameworks: [ops]}
              sandbox-volumes: {allowed_host_paths: [/data]}
              force-bridge: {refuse: true}
            health_checks: {enabled: true, checks_enabled: false}
            timeouts: {default_kill_grace: 1secs, terminal_ack_failsafe: 2secs, drain_delay: 3secs, drain_delay_label: D, max_drain_delay: 4secs}
            memory: {release_file_pages: true, release_interval: 5mins}
            environment_overrides: [logging.level]
            """);

        HooksSection? hooks = document.Hooks;
        Assert.Multiple(() =>
        {
            Assert.That(document.Logging?.Level, Is.EqualTo("debug"));
            Assert.That(document.Logging?.Format, Is.EqualTo("json"));
            Assert.That(document.Docker?.Socket, Is.EqualTo("/s"));
            Assert.That(document.Docker?.ApiVersion, Is.EqualTo("1.41"));
            Assert.That(document.Docker?.PullPolicy, Is.EqualTo("always"));
            Assert.That(document.Docker?.Config, Is.EqualTo("/c.json"));
            Assert.That(document.Docker?.ExtraLabels, Is.EqualTo(new Dictionary<string, string> { ["k"] = "v" }));
            Assert.That(hooks?.Enabled, Is.EqualTo(new[] { "acl" }));
            Assert.That(hooks?.Priorities, Is.EqualTo(new Dictionary<string, string> { ["acl"] = "1" }));
            Assert.That(hooks?.Acl?.LabelName, Is.EqualTo("L"));
            Assert.That(hooks?.Acl?.DefaultAllowedSources, Is.EqualTo(new[] { "10.0.0.0/8" }));
            Assert.That(hooks?.Acl?.FilterIpv6, Is.EqualTo("false"));
            Assert.That(hooks?.Acl?.IptablesCommand, Is.EqualTo("/i"));
            Assert.That(hooks?.Acl?.Ip6tablesCommand, Is.EqualTo("/i6"));
            Assert.That(hooks?.Acl?.NsenterCommand, Is.EqualTo("/n"));
            Assert.That(hooks?.Netns?.Directory, Is.EqualTo("/run/netns"));
            Assert.That(hooks?.Iptables?.FilterChain, Is.EqualTo("F"));
            Assert.That(hooks?.Iptables?.NatChain, Is.EqualTo("N"));
            Assert.That(hooks?.Iptables?.BridgeInterface, Is.EqualTo("br0"));
            Assert.That(hooks?.Iptables?.EnableForwarding, Is.EqualTo("no"));
            Assert.That(hooks?.Iptables?.EnableMasquerading, Is.EqualTo("yes"));
            Assert.That(hooks?.Iptables?.IptablesCommand, Is.EqualTo("/il"));
            Assert.That(hooks?.Network?.NetworkName, Is.EqualTo("tasks"));
            Assert.That(hooks?.DenyPrivileged?.AllowedFrameworks, Is.EqualTo(new[] { "ops" }));
            Assert.That(hooks?.SandboxVolumes?.AllowedHostPaths, Is.EqualTo(new[] { "/data" }));
            Assert.That(hooks?.ForceBridge?.Refuse, Is.EqualTo("true"));
            Assert.That(document.HealthChecks?.Enabled, Is.EqualTo("true"));
            Assert.That(document.HealthChecks?.ChecksEnabled, Is.EqualTo("false"));
            Assert.That(document.Timeouts?.DefaultKillGrace, Is.EqualTo("1secs"));
            Assert.That(document.Timeouts?.TerminalAckFailsafe, Is.EqualTo("2secs"));
            Assert.That(document.Timeouts?.DrainDelay, Is.EqualTo("3secs"));
            Assert.That(document.Timeouts?.DrainDelayLabel, Is.EqualTo("D"));
            Assert.That(document.Timeouts?.MaxDrainDelay, Is.EqualTo("4secs"));
            Assert.That(document.Memory?.ReleaseFilePages, Is.EqualTo("true"));
            Assert.That(document.Memory?.ReleaseInterval, Is.EqualTo("5mins"));
            Assert.That(document.EnvironmentOverrides, Is.EqualTo(new[] { "logging.level" }));
        });
    }

    [Test]
    public void Parse_Aliases_RepeatTheAnchoredNode()
    {
        ConfigDocument document = ConfigLoader.Parse("""
            logging:
              level: &level debug
              format: *level
            hooks:
              enabled: &hooks [acl, exec]
              acl:
                default_allowed_sources: *hooks
              exec:
                pre-stop: &stop
                  command: [/bin/stop, *level]
                post-stop: *stop
            """);

        Assert.Multiple(() =>
        {
            Assert.That(document.Logging?.Format, Is.EqualTo("debug"));
            Assert.That(document.Hooks?.Acl?.DefaultAllowedSources, Is.EqualTo(new[] { "acl", "exec" }));
            Assert.That(document.Hooks?.Exec?.PreStop?.Command, Is.EqualTo(new[] { "/bin/stop", "debug" }));
            Assert.That(document.Hooks?.Exec?.PostStop?.Command, Is.EqualTo(new[] { "/bin/stop", "debug" }));
        });
    }

    [Test]
    public void Parse_AnchorDefinedAgain_TheAliasTakesTheLatest()
    {
        LoggingSection? logging = ConfigLoader.Parse("logging:\n  format: &a x\n  level: &a y\n  level: *a\n").Logging;

        Assert.That(logging?.Format, Is.EqualTo("x"));
        Assert.That(logging?.Level, Is.EqualTo("y"));
    }

    [Test]
    public void Parse_AliasOfANullValue_IsNull()
    {
        LoggingSection? logging = ConfigLoader.Parse("logging:\n  level: &x\n  format: *x\n").Logging;

        Assert.That(logging, Is.Not.Null);
        Assert.That(logging!.Format, Is.Null);
    }

    // Errors, as ConfigLoader reports them ("PATH: line L, column C: message").

    [TestCase("logging:\n  Level: debug\n", "line 2, column 3: unknown key 'logging.Level'")]
    [TestCase("Logging:\n  level: debug\n", "line 1, column 1: unknown key 'Logging'")]
    [TestCase("healthChecks:\n  enabled: true\n", "line 1, column 1: unknown key 'healthChecks'")]
    [TestCase("hooks:\n  force_bridge:\n    refuse: true\n", "line 2, column 3: unknown key 'hooks.force_bridge'")]
    [TestCase("hooks:\n  acl:\n    label_nam: x\n", "line 3, column 5: unknown key 'hooks.acl.label_nam'")]
    [TestCase("logging:\n  <<: {level: debug}\n", "line 2, column 3: unknown key 'logging.<<'")]
    [TestCase("~: x\n", "line 1, column 1: unknown key '~'")]
    [TestCase("logging:\n  level: [a]\n", "line 2, column 10: 'level' must be a single value")]
    [TestCase("logging:\n  level:\n    - a\n", "line 3, column 5: 'level' must be a single value")]
    [TestCase("docker:\n  extra_labels: {a: [b]}\n", "line 2, column 21: 'a' must be a single value")]
    [TestCase("logging: [a]\n", "line 1, column 10: 'logging' must be a mapping (key: value lines)")]
    [TestCase("timeoutseconds", "line 1, column 1: the file must be a mapping (key: value lines), not a single value")]
    public void Load_InvalidDocument_NamesTheKeyAndThePlace(string yaml, string expected)
    {
        Assert.That(LoadError(yaml), Does.Contain(Path + ": " + expected));
    }

    // Rejected before as now, each with its place; the messages read better now.
    [TestCase("logging: debug\n", "line 1")]
    [TestCase("logging:\n  level: {a: b}\n", "line 2")]
    [TestCase("hooks:\n  enabled: acl\n", "line 2")]
    [TestCase("hooks:\n  enabled: {a: b}\n", "line 2")]
    [TestCase("hooks:\n  enabled: [[a]]\n", "line 2")]
    [TestCase("hooks:\n  enabled: [{a: b}]\n", "line 2")]
    [TestCase("docker:\n  extra_labels: [a]\n", "line 2")]
    [TestCase("docker:\n  extra_labels: a\n", "line 2")]
    [TestCase("docker:\n  extra_labels: {? [x]: b}\n", "line 2")]
    [TestCase("hooks:\n  exec:\n    pre-run: /bin/true\n", "line 3")]
    [TestCase("hooks:\n  exec:\n    pre-run:\n      command: /bin/true\n", "line 4")]
    [TestCase("hooks:\n  exec:\n    pre_run:\n      command: [a]\n", "line 3")]
    [TestCase("hooks:\n  exec:\n    pre-run:\n      comand: [a]\n", "line 4")]
    [TestCase("logging:\n  level: !foo debug\n", "line 2")]
    [TestCase("[a, b]\n", "line 1")]
    [TestCase("- a\n", "line 1")]
    [TestCase("logging:\n  ? [a]\n  : b\n", "line 2")]
    [TestCase("logging:\n  level: *nope\n", "line 2")]
    [TestCase("hooks:\n  enabled: &e [a, *e]\n", "line 2")]
    [TestCase("logging:\n  level: debug\n---\ndocker:\n  socket: /x\n", "line 3")]
    [TestCase("logging:\n  level: debug\n---\n", "line 3")]
    [TestCase("---\n---\nlogging:\n  level: debug\n", "line 2")]
    [TestCase("logging:\n level: debug\n  format: x\n", "line 3")]
    public void Load_RejectedDocument_FailsWithThePlace(string yaml, string line)
    {
        Assert.That(LoadError(yaml), Does.Contain(Path + ": " + line + ", column "));
    }

    // The reader's own errors (the tests above pinned only their place): each names what is wrong
    // where, with the node's marks.

    private static YamlException ParseError(string yaml) => Assert.Throws<YamlException>(() => ConfigLoader.Parse(yaml))!;

    // A wrong kind of node at each level of the schema.
    [TestCase("a\n", 1, 1, "the file must be a mapping (key: value lines), not a single value")]
    [TestCase("[a]\n", 1, 1, "the file must be a mapping (key: value lines), not a list")]
    [TestCase("- a\n", 1, 1, "the file must be a mapping (key: value lines), not a list")]
    [TestCase("logging: debug\n", 1, 10, "'logging' must be a mapping (key: value lines)")]
    [TestCase("logging: ''\n", 1, 10, "'logging' must be a mapping (key: value lines)")]
    [TestCase("hooks:\n  acl: [a]\n", 2, 8, "'acl' must be a mapping (key: value lines)")]
    [TestCase("hooks:\n  exec:\n    pre-run: /bin/true\n", 3, 14, "'pre-run' must be a mapping (key: value lines)")]
    [TestCase("logging:\n  level: {a: b}\n", 2, 10, "'level' must be a single value")]
    [TestCase("hooks:\n  enabled: acl\n", 2, 12, "'enabled' must be a list")]
    [TestCase("hooks:\n  enabled: {a: b}\n", 2, 12, "'enabled' must be a list")]
    [TestCase("hooks:\n  enabled: [a, [b]]\n", 2, 16, "'enabled' must be a list of single values")]
    [TestCase("hooks:\n  enabled: [a, {b: c}]\n", 2, 16, "'enabled' must be a list of single values")]
    [TestCase("hooks:\n  exec:\n    pre-run:\n      command: /bin/true\n", 4, 16, "'command' must be a list")]
    [TestCase("hooks:\n  priorities: [acl]\n", 2, 15, "'priorities' must be a mapping (key: value lines)")]
    [TestCase("hooks:\n  priorities: acl\n", 2, 15, "'priorities' must be a mapping (key: value lines)")]
    [TestCase("hooks:\n  priorities: {acl: {a: 1}}\n", 2, 21, "'acl' must be a single value")]
    [TestCase("docker:\n  extra_labels: {[a]: b}\n", 2, 18, "a key must be a single value")]
    [TestCase("{[a]: b}\n", 1, 2, "a key must be a single value")]
    public void Parse_WrongKindOfNode_FailsAtTheNode(string yaml, int line, int column, string message)
    {
        YamlException ex = ParseError(yaml);

        Assert.Multiple(() =>
        {
            Assert.That(ex.Message, Is.EqualTo(message));
            Assert.That(ex.Start.Line, Is.EqualTo(line));
            Assert.That(ex.Start.Column, Is.EqualTo(column));
        });
    }

    [TestCase("hooks:\n  exec:\n    pre-run:\n      comand: [a]\n", "hooks.exec.pre-run.comand")]
    [TestCase("hooks:\n  exec:\n    pre_run: {}\n", "hooks.exec.pre_run")]
    [TestCase("hooks:\n  exec:\n    pre-run: {}\n    fail_task: true\n", "hooks.exec.fail_task")]
    [TestCase("hooks:\n  deny_privileged: {}\n", "hooks.deny_privileged")]
    [TestCase("timeouts:\n  kill_grace: 1secs\n", "timeouts.kill_grace")]
    [TestCase("memory:\n  release: true\n", "memory.release")]
    [TestCase("health_checks:\n  enable: true\n", "health_checks.enable")]
    [TestCase("docker:\n  labels: {}\n", "docker.labels")]
    public void Parse_UnknownKey_NamesItsWholePath(string yaml, string path)
    {
        Assert.That(ParseError(yaml).Message, Is.EqualTo($"unknown key '{path}'"));
    }

    [Test]
    public void Parse_StringMap_AcceptsAnyKey()
    {
        Assert.That(
            ConfigLoader.Parse("docker:\n  extra_labels:\n    com.example/team: infra\n    'x y': ''\n").Docker?.ExtraLabels,
            Is.EqualTo(new Dictionary<string, string> { ["com.example/team"] = "infra", ["x y"] = string.Empty }));
    }

    [Test]
    public void Parse_ExecCommandWithNullTimeout_LeavesItUnset()
    {
        ExecCommandSection? command = ConfigLoader.Parse("hooks:\n  exec:\n    ready:\n      command: [/bin/x, '']\n      timeout:\n").Hooks?.Exec?.Ready;

        Assert.That(command?.Command, Is.EqualTo(new[] { "/bin/x", string.Empty }));
        Assert.That(command?.Timeout, Is.Null);
    }

    // YAML's own tags are ignored. The old deserializer ignored tags on keys, read !!str (and, by
    // accident, !!map) values as text and refused the rest.
    [TestCase("logging:\n  level: !!int 3\n", "3")]
    [TestCase("logging:\n  level: !!binary aGVsbG8=\n", "aGVsbG8=")]
    [TestCase("logging:\n  level: !!map debug\n", "debug")]
    [TestCase("logging:\n  level: ! debug\n", "debug")]
    [TestCase("logging:\n  level: !<tag:yaml.org,2002:str> debug\n", "debug")]
    [TestCase("logging:\n  level: !!null\n", null)]
    [TestCase("logging:\n  level: !!int ''\n", "")]
    [TestCase("logging:\n  !!int level: debug\n", "debug")]
    [TestCase("logging: !!seq\n  level: debug\n", "debug")]
    [TestCase("!!map logging: {level: debug}\n", "debug")]
    [TestCase("!!map\nlogging: !!map {level: debug}\n", "debug")]
    public void Parse_StandardTag_IsIgnored(string yaml, string? level)
    {
        LoggingSection? logging = ConfigLoader.Parse(yaml).Logging;

        Assert.That(logging, Is.Not.Null);
        Assert.That(logging!.Level, Is.EqualTo(level));
    }

    [Test]
    public void Parse_StandardTagsOfListsAndMaps_AreIgnored()
    {
        ConfigDocument document = ConfigLoader.Parse("hooks: !!map\n  enabled: !!seq [!!map acl]\n  priorities: ! {!!int acl: ! 1}\n");

        Assert.That(document.Hooks?.Enabled, Is.EqualTo(new[] { "acl" }));
        Assert.That(document.Hooks?.Priorities, Is.EqualTo(new Dictionary<string, string> { ["acl"] = "1" }));
    }

    // Any other tag is an error: mostly a value that starts with "!", whose text would be lost.
    [TestCase("timeouts:\n  default_kill_grace: !3secs\n", 2, 23, "!3secs")]
    [TestCase("docker:\n  socket: !unix:///run/docker.sock\n", 2, 11, "!unix:///run/docker.sock")]
    [TestCase("docker:\n  extra_labels: {!team: infra}\n", 2, 18, "!team:")]
    [TestCase("hooks:\n  enabled: [acl, !exec]\n", 2, 18, "!exec]")]
    [TestCase("logging:\n  level: !custom debug\n", 2, 10, "!custom")]
    [TestCase("logging:\n  !custom level: debug\n", 2, 3, "!custom")]
    [TestCase("!custom\nlogging: {}\n", 1, 1, "!custom")]
    public void Parse_OtherTag_FailsAtIt(string yaml, int line, int column, string tag)
    {
        YamlException ex = ParseError(yaml);

        Assert.Multiple(() =>
        {
            Assert.That(ex.Message, Is.EqualTo($"tag '{tag}' is not supported: values are text (quote a value that starts with '!')"));
            Assert.That(ex.Start.Line, Is.EqualTo(line));
            Assert.That(ex.Start.Column, Is.EqualTo(column));
        });
    }

    [TestCase("logging: {}\n---\nlogging: {}\n")]
    [TestCase("~\n---\nlogging: {}\n")]
    [TestCase("---\n---\n")]
    public void Parse_SecondDocument_FailsAtIt(string yaml)
    {
        YamlException ex = ParseError(yaml);

        Assert.That(ex.Message, Is.EqualTo("a second document ('---'): the file holds one document"));
        Assert.That(ex.Start.Line, Is.EqualTo(2));
    }

    [Test]
    public void Parse_ErrorInANodeAnAliasRepeats_IsReportedAtTheAlias()
    {
        YamlException ex = ParseError("logging: &l\n  level: debug\ndocker: *l\n");

        Assert.Multiple(() =>
        {
            Assert.That(ex.Message, Is.EqualTo("unknown key 'docker.level' (in the node that alias '*l' repeats, anchored at line 2)"));
            Assert.That(ex.Start.Line, Is.EqualTo(3));
            Assert.That(ex.Start.Column, Is.EqualTo(9));
        });
    }

    [Test]
    public void Parse_AliasOfAMappingInAnotherSection_ReadsItThere()
    {
        // An alias repeats the node, read where the alias stands (YamlDotNet's deserializer failed
        // to cast the acl section's object to the iptables section's type).
        ConfigDocument document = ConfigLoader.Parse("hooks:\n  acl: &tools {iptables_command: /sbin/x}\n  iptables: *tools\n");

        Assert.That(document.Hooks?.Iptables?.IptablesCommand, Is.EqualTo("/sbin/x"));
    }

    [TestCase("logging:\n  level: *nope\n", "alias '*nope' names no anchor ('&nope') before it")]
    [TestCase("logging:\n  level: *x\n  format: &x json\n", "alias '*x' names no anchor ('&x') before it")]
    [TestCase("hooks:\n  enabled: &e [a, *e]\n", "alias '*e' stands inside the node it names (a node cannot contain itself)")]
    [TestCase("hooks: &h\n  exec:\n    pre-run: *h\n", "alias '*h' stands inside the node it names (a node cannot contain itself)")]
    public void Parse_AliasWithoutACompleteNode_Fails(string yaml, string message)
    {
        Assert.That(ParseError(yaml).Message, Is.EqualTo(message));
    }

    [Test]
    [CancelAfter(10_000)]
    public void Parse_AliasesOfAliases_StopAtTheLimit()
    {
        // "Billion laughs" within the schema: a key given again is allowed (the last wins), so each
        // level repeats the one below ten times: 12, 130, 1,300, 13,000 events.
        var yaml = new System.Text.StringBuilder("hooks:\n  exec: &e\n    pre-run: &b\n      command: &c [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 0; i < 10; i++)
        {
            yaml.Append("      command: *c\n");
        }

        for (int i = 0; i < 10; i++)
        {
            yaml.Append("    pre-stop: *b\n");
        }

        for (int i = 0; i < 10; i++)
        {
            yaml.Append("  exec: *e\n");
        }

        YamlException ex = ParseError(yaml.ToString());

        Assert.That(ex.Message, Does.StartWith($"the aliases repeat more than {YamlEventStream.MaxAliasEvents} YAML events"));
    }

    [TestCase("logging: ", "[", "'logging' must be a mapping (key: value lines)")]
    [TestCase("logging:\n  level: ", "[", "'level' must be a single value")]
    [TestCase("hooks:\n  enabled: [", "[", "'enabled' must be a list of single values")]
    [TestCase("docker:\n  extra_labels: {a: ", "{a: ", "'a' must be a single value")]
    [TestCase("", "{", "a key must be a single value")]
    [TestCase("", "- ", "the file must be a mapping (key: value lines), not a list")]
    [CancelAfter(10_000)]
    public void Parse_DeepNesting_FailsAtTheFirstNodeTooDeep(string prefix, string open, string message)
    {
        // The schema is five levels deep; a deeper node is a wrong kind of node where it stands, so
        // the reader stops there, whatever follows (the parser reads no further either).
        string yaml = prefix + string.Concat(System.Linq.Enumerable.Repeat(open, 100_000));

        Assert.That(ParseError(yaml).Message, Is.EqualTo(message));
    }

    [TestCase("...\0")]
    [TestCase("!!stO[")]
    [TestCase("\"GVUUFFM-B\\UFF5FFF5FFU")]
    public void Parse_InputTheScannerMishandles_IsAYamlException(string yaml)
    {
        Assert.That(ParseError(yaml).Message, Does.StartWith("the file is not valid YAML: "));
    }
}
