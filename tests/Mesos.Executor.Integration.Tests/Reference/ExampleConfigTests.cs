using System;
using System.Collections.Generic;
using System.IO;
using Mesos.Executor.Hooks;
using Mesos.Executor.Reference.CommandLine;
using Mesos.Executor.Reference.Configuration;
using NUnit.Framework;
using YamlDotNet.RepresentationModel;

namespace Mesos.Executor.Integration.Tests.Reference;

/// <summary>The commented example config.yaml at the repository root documents every key with its default.</summary>
[TestFixture]
public sealed class ExampleConfigTests
{
    private static string ExamplePath()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory != null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Mesos.Executor.slnx")))
            {
                return Path.Combine(directory.FullName, "config.yaml");
            }
        }

        throw new FileNotFoundException("repository root (Mesos.Executor.slnx) not found above " + AppContext.BaseDirectory);
    }

    private static ExecutorSettings LoadExample() => ConfigLoader.Load(
        ExecutorFlags.Parse(["--config", ExamplePath()]),
        new ConfigSources { Environment = _ => null, FileExists = File.Exists, ReadFile = File.ReadAllText, BaseDirectory = "/nonexistent" });

    [Test]
    public void Example_Loads_AndEqualsTheBuiltInDefaults()
    {
        ExecutorSettings example = LoadExample();
        var defaults = new ExecutorSettings();
        var hookDefaults = new HookSettings();

        Assert.Multiple(() =>
        {
            Assert.That(example.LogLevel, Is.EqualTo(defaults.LogLevel));
            Assert.That(example.LogFormat, Is.EqualTo(defaults.LogFormat));
            Assert.That(example.DockerEndpoint, Is.EqualTo(defaults.DockerEndpoint));
            Assert.That(example.DockerApiVersion, Is.EqualTo(defaults.DockerApiVersion));
            Assert.That(example.PullPolicy, Is.EqualTo(defaults.PullPolicy));
            Assert.That(example.DockerConfigPath, Is.EqualTo(defaults.DockerConfigPath));
            Assert.That(example.ExtraLabels, Is.Empty);
            Assert.That(example.EnabledHooks, Is.Empty);
            Assert.That(example.HealthChecksEnabled, Is.EqualTo(defaults.HealthChecksEnabled));
            Assert.That(example.ChecksEnabled, Is.EqualTo(defaults.ChecksEnabled));
            Assert.That(example.DefaultKillGrace, Is.EqualTo(defaults.DefaultKillGrace));
            Assert.That(example.TerminalAckFailsafe, Is.EqualTo(defaults.TerminalAckFailsafe));

            HookSettings hooks = example.HookSettings;
            Assert.That(hooks.Acl.LabelName, Is.EqualTo(hookDefaults.Acl.LabelName));
            Assert.That(hooks.Acl.FilterIPv6, Is.EqualTo(hookDefaults.Acl.FilterIPv6));
            Assert.That(hooks.Acl.IptablesCommand, Is.EqualTo(hookDefaults.Acl.IptablesCommand));
            Assert.That(hooks.Acl.Ip6tablesCommand, Is.EqualTo(hookDefaults.Acl.Ip6tablesCommand));
            Assert.That(hooks.Acl.NsenterCommand, Is.EqualTo(hookDefaults.Acl.NsenterCommand));
            Assert.That(hooks.Netns.Directory, Is.EqualTo(hookDefaults.Netns.Directory));
            Assert.That(hooks.Iptables.FilterChain, Is.EqualTo(hookDefaults.Iptables.FilterChain));
            Assert.That(hooks.Iptables.NatChain, Is.EqualTo(hookDefaults.Iptables.NatChain));
            Assert.That(hooks.Iptables.BridgeInterface, Is.EqualTo(hookDefaults.Iptables.BridgeInterface));
            Assert.That(hooks.Iptables.EnableForwarding, Is.EqualTo(hookDefaults.Iptables.EnableForwarding));
            Assert.That(hooks.Iptables.EnableMasquerading, Is.EqualTo(hookDefaults.Iptables.EnableMasquerading));
            Assert.That(hooks.Iptables.IptablesCommand, Is.EqualTo(hookDefaults.Iptables.IptablesCommand));
            Assert.That(hooks.Network.NetworkName, Is.EqualTo(hookDefaults.Network.NetworkName));
            Assert.That(hooks.ForceBridge.Refuse, Is.EqualTo(hookDefaults.ForceBridge.Refuse));
            foreach (string name in HookCatalog.KnownNames)
            {
                Assert.That(PriorityOf(hooks, name), Is.EqualTo(PriorityOf(hookDefaults, name)), name);
            }
        });
    }

    [Test]
    public void Example_ContainsEveryKey()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(ExamplePath())));
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;

        var missing = new List<string>();
        foreach (ConfigKey key in ConfigKeys.All)
        {
            YamlNode node = root;
            foreach (string part in key.Path.Split('.'))
            {
                if (node is YamlMappingNode mapping && mapping.Children.TryGetValue(new YamlScalarNode(part), out YamlNode? child))
                {
                    node = child;
                }
                else
                {
                    missing.Add(key.Path);
                    break;
                }
            }
        }

        Assert.That(missing, Is.Empty);
    }

    [Test]
    public void Example_EveryHookIsDocumented()
    {
        string text = File.ReadAllText(ExamplePath());

        var missing = new List<string>();
        foreach (string name in HookCatalog.KnownNames)
        {
            if (!text.Contains(name, StringComparison.Ordinal))
            {
                missing.Add(name);
            }
        }

        Assert.That(missing, Is.Empty);
    }

    private static int PriorityOf(HookSettings settings, string name) => name switch
    {
        "remove-container" => settings.RemoveContainer.Priority,
        "acl" => settings.Acl.Priority,
        "netns" => settings.Netns.Priority,
        "iptables" => settings.Iptables.Priority,
        "network" => settings.Network.Priority,
        "deny-privileged" => settings.DenyPrivileged.Priority,
        "sandbox-volumes" => settings.SandboxVolumes.Priority,
        "force-bridge" => settings.ForceBridge.Priority,
        "exec" => settings.Exec.Priority,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "a hook the test does not know: add it"),
    };
}
