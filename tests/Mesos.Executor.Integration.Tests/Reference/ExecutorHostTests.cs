using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Mesos.Executor.Core;
using Mesos.Executor.Docker;
using Mesos.Executor.Reference;
using Mesos.Executor.Reference.CommandLine;
using Mesos.Executor.Reference.Configuration;
using NUnit.Framework;

namespace Mesos.Executor.Integration.Tests.Reference;

/// <summary>Settings (file, environment, flags) onto the Core, Docker and Hooks options.</summary>
[TestFixture]
public sealed class ExecutorHostTests
{
    private static readonly ExecutorEnvironment AgentEnvironment = ExecutorEnvironment.Parse(name => name switch
    {
        "MESOS_FRAMEWORK_ID" => "f1",
        "MESOS_EXECUTOR_ID" => "e1",
        "MESOS_AGENT_ENDPOINT" => "127.0.0.1:5051",
        "MESOS_CHECKPOINT" => "0",
        "MESOS_DIRECTORY" => "/var/lib/mesos/sandbox-from-env",
        _ => null,
    });

    private static ExecutorSettings Load(string yaml, params string[] args)
    {
        var files = new Dictionary<string, string> { ["/opt/config.yaml"] = yaml };
        return ConfigLoader.Load(ExecutorFlags.Parse(args), new ConfigSources
        {
            Environment = _ => null,
            FileExists = files.ContainsKey,
            ReadFile = path => files[path],
            BaseDirectory = "/opt",
        });
    }

    [Test]
    public void CreateDockerOptions_AgentFlagsAndConfig_MapOntoTheContainerizer()
    {
        ExecutorSettings settings = Load(
            "docker:\n  api_version: '1.41'\n  pull_policy: always\n  extra_labels: {team: infra}\nhooks:\n  enabled: [remove-container, deny-privileged]\n",
            "--container=mesos-abc", "--docker_socket=/run/docker.sock", "--sandbox_directory=/var/sandbox",
            "--mapped_directory=/mnt/sb", "--task_environment={\"ROLE\":\"web\"}", "--cgroups_enable_cfs=true",
            "--default_container_dns={\"mesos\":[],\"docker\":[{\"network_mode\":\"BRIDGE\",\"dns\":{\"nameservers\":[\"10.0.0.53\"]}}]}");

        DockerContainerizerOptions options = ExecutorHost.CreateDockerOptions(settings, AgentEnvironment, out var hooks);

        Assert.Multiple(() =>
        {
            Assert.That(options.Endpoint, Is.EqualTo(new Uri("unix:///run/docker.sock")));
            Assert.That(options.ApiVersion, Is.EqualTo("1.41"));
            Assert.That(options.Pull, Is.EqualTo(PullPolicy.Always));
            Assert.That(options.ContainerName, Is.EqualTo("mesos-abc"));
            Assert.That(options.SandboxDirectory, Is.EqualTo("/var/sandbox"));
            Assert.That(options.MappedDirectory, Is.EqualTo("/mnt/sb"));
            Assert.That(options.TaskEnvironment["ROLE"], Is.EqualTo("web"));
            Assert.That(options.CgroupsEnableCfs, Is.True);
            Assert.That(options.DefaultDns?.Bridge?.Nameservers, Is.EqualTo(new[] { "10.0.0.53" }));
            Assert.That(options.ExtraLabels["team"], Is.EqualTo("infra"));
            Assert.That(hooks.Select(h => h.Name), Is.EquivalentTo(new[] { "remove-container", "deny-privileged" }));
        });
    }

    [Test]
    public void CreateDockerOptions_StandardError_IsTheStreamTheLogSharesAndStdoutIsTheProcesss()
    {
        using var stderr = new System.IO.MemoryStream();
        System.IO.Stream shared = System.IO.Stream.Synchronized(stderr);

        DockerContainerizerOptions options = ExecutorHost.CreateDockerOptions(Load(string.Empty), AgentEnvironment, out _, shared);

        Assert.Multiple(() =>
        {
            Assert.That(options.StandardError, Is.SameAs(shared));
            Assert.That(options.StandardOutput, Is.Null);
            Assert.That(options.UseCommandUser, Is.False, "CommandInfo.user ignored, as in Mesos");
            Assert.That(options.DisableSwap, Is.False, "no swap limit, as in Mesos");
        });
    }

    [Test]
    public void CreateDockerOptions_NoSandboxFlag_UsesMesosDirectory()
    {
        DockerContainerizerOptions options = ExecutorHost.CreateDockerOptions(Load(string.Empty), AgentEnvironment, out _);

        Assert.Multiple(() =>
        {
            Assert.That(options.SandboxDirectory, Is.EqualTo("/var/lib/mesos/sandbox-from-env"));
            Assert.That(options.MappedDirectory, Is.EqualTo("/mnt/mesos/sandbox"));
            Assert.That(options.Endpoint, Is.Null);
        });
    }

    [Test]
    public void CreateDockerOptions_BadJsonFlags_FailNamingBothFlags()
    {
        ExecutorSettings settings = Load(string.Empty, "--task_environment={\"A\":1}", "--default_container_dns=[oops");

        var ex = Assert.Throws<ExecutorConfigurationException>(() => ExecutorHost.CreateDockerOptions(settings, AgentEnvironment, out _));

        Assert.That(ex!.Message, Does.Contain("--task_environment").And.Contain("--default_container_dns"));
    }

    [Test]
    public void CreateExecutorOptions_Settings_MapOntoCoreOptions()
    {
        ExecutorOptions options = ExecutorHost.CreateExecutorOptions(
            Load("health_checks:\n  enabled: false\n  checks_enabled: false\ntimeouts:\n  terminal_ack_failsafe: 20secs\n", "--stop_timeout=7secs"),
            AgentEnvironment);

        Assert.Multiple(() =>
        {
            Assert.That(options.DefaultKillGracePeriod, Is.EqualTo(TimeSpan.FromSeconds(7)));
            Assert.That(options.TerminalAcknowledgementTimeout, Is.EqualTo(TimeSpan.FromSeconds(20)));
            Assert.That(options.HealthChecksEnabled, Is.False);
            Assert.That(options.ChecksEnabled, Is.False);
            Assert.That(() => options.Validate(), Throws.Nothing);
        });
    }
}
