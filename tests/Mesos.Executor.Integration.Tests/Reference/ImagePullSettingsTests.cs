using System.Collections.Generic;
using Mesos.Executor.Core;
using Mesos.Executor.Docker;
using Mesos.Executor.Reference;
using Mesos.Executor.Reference.CommandLine;
using Mesos.Executor.Reference.Configuration;
using NUnit.Framework;

namespace Mesos.Executor.Integration.Tests.Reference;

/// <summary>docker.config and drop-in mode (the Docker executor's flags) onto the Docker containerizer's pull options.</summary>
[TestFixture]
public sealed class ImagePullSettingsTests
{
    private static readonly ExecutorEnvironment AgentEnvironment = ExecutorEnvironment.Parse(name => name switch
    {
        "MESOS_FRAMEWORK_ID" => "f1",
        "MESOS_EXECUTOR_ID" => "e1",
        "MESOS_AGENT_ENDPOINT" => "127.0.0.1:5051",
        "MESOS_CHECKPOINT" => "0",
        "MESOS_DIRECTORY" => "/var/lib/mesos/sandbox",
        _ => null,
    });

    private static ExecutorSettings Load(string yaml, params string[] args)
    {
        var files = new Dictionary<string, string> { ["/opt/config.yaml"] = yaml };
        var all = new List<string>(args) { "--config=/opt/config.yaml" };
        return ConfigLoader.Load(ExecutorFlags.Parse(all), new ConfigSources
        {
            Environment = _ => null,
            FileExists = files.ContainsKey,
            ReadFile = path => files[path],
            BaseDirectory = "/opt",
        });
    }

    [Test]
    public void CreateDockerOptions_DockerExecutorFlags_LeaveForcePullToTheAgent()
    {
        ExecutorSettings settings = Load(string.Empty, "--container=mesos-abc", "--docker=docker", "--sandbox_directory=/var/sandbox");

        DockerContainerizerOptions options = ExecutorHost.CreateDockerOptions(settings, AgentEnvironment, out _);

        Assert.Multiple(() =>
        {
            Assert.That(settings.DropIn, Is.True);
            Assert.That(options.ImagePulledByAgent, Is.True);
            Assert.That(options.DockerConfigPath, Is.Null);
        });
    }

    [Test]
    public void CreateDockerOptions_NoContainerFlag_IsACustomExecutorThatPullsItself()
    {
        DockerContainerizerOptions options = ExecutorHost.CreateDockerOptions(Load(string.Empty), AgentEnvironment, out _);

        Assert.That(options.ImagePulledByAgent, Is.False);
    }

    [Test]
    public void CreateDockerOptions_DockerConfig_IsTheOperatorsCredentialsFile()
    {
        ExecutorSettings settings = Load("docker:\n  config: /etc/mesos/docker-config.json\n");

        DockerContainerizerOptions options = ExecutorHost.CreateDockerOptions(settings, AgentEnvironment, out _);

        Assert.That(options.DockerConfigPath, Is.EqualTo("/etc/mesos/docker-config.json"));
    }

    [TestCase("")]
    [TestCase("  ")]
    public void Load_EmptyDockerConfig_IsNone(string value) =>
        Assert.That(Load($"docker:\n  config: '{value}'\n").DockerConfigPath, Is.Null);

    [Test]
    public void Load_RelativeDockerConfig_FailsNamingTheKey()
    {
        var ex = Assert.Throws<ExecutorConfigurationException>(() => Load("docker:\n  config: docker-config.json\n"));

        Assert.That(ex!.Message, Does.Contain("docker.config: 'docker-config.json' is not an absolute path (in /opt/config.yaml)"));
    }
}
