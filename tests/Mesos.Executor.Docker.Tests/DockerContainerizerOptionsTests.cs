using System;
using System.Collections.Generic;
using Mesos.Executor.Core;
using NUnit.Framework;

namespace Mesos.Executor.Docker.Tests;

[TestFixture]
public sealed class DockerContainerizerOptionsTests
{
    [Test]
    public void Validate_Defaults_Pass()
    {
        Assert.DoesNotThrow(() => new DockerContainerizerOptions { EnvironmentReader = _ => null }.Validate());
    }

    [Test]
    public void Validate_ManyProblems_ListsThemAll()
    {
        var options = new DockerContainerizerOptions
        {
            Endpoint = new Uri("ssh://host"),
            ApiVersion = "v1",
            ContainerName = "-bad name",
            SandboxDirectory = "relative",
            MappedDirectory = "sandbox",
            ShortCallTimeout = TimeSpan.Zero,
            DaemonReconnectTimeout = TimeSpan.FromSeconds(-1),
            TaskEnvironment = new Dictionary<string, string> { ["A=B"] = "x" },
            Pull = (PullPolicy)7,
            DockerConfigPath = "docker/config.json",
        };

        var ex = Assert.Throws<ExecutorConfigurationException>(options.Validate);

        Assert.That(ex!.Message, Does.Contain("ssh").And.Contain("'v1'").And.Contain("'-bad name'").And.Contain("'relative'")
            .And.Contain("'sandbox'").And.Contain("short call timeout").And.Contain("reconnect timeout").And.Contain("'A=B'")
            .And.Contain("pull policy").And.Contain("Docker config path 'docker/config.json' must be an absolute path"));
    }

    [TestCase("1.41\n", null)]
    [TestCase(null, "web\n")]
    [TestCase("١.٤١", null)]
    public void Validate_TrailingNewlineOrNonAsciiDigits_Fails(string? apiVersion, string? containerName)
    {
        var options = new DockerContainerizerOptions { ApiVersion = apiVersion, ContainerName = containerName, EnvironmentReader = _ => null };

        Assert.Throws<ExecutorConfigurationException>(options.Validate);
    }

    [TestCase("1.41", "web")]
    [TestCase("10.0", "/mesos-0f1e.executor_1")]
    public void Validate_ApiVersionAndContainerName_Pass(string apiVersion, string containerName)
    {
        var options = new DockerContainerizerOptions { ApiVersion = apiVersion, ContainerName = containerName, EnvironmentReader = _ => null };

        Assert.DoesNotThrow(options.Validate);
    }

    [Test]
    public void ResolveEndpoint_NoEndpoint_UsesDockerHostThenTheDefaultSocket()
    {
        var fromEnvironment = new DockerContainerizerOptions { EnvironmentReader = name => name == "DOCKER_HOST" ? "tcp://10.0.0.1:2375" : null };
        var fallback = new DockerContainerizerOptions { EnvironmentReader = _ => null };
        var explicitEndpoint = new DockerContainerizerOptions { Endpoint = new Uri("unix:///run/docker.sock"), EnvironmentReader = _ => "tcp://ignored:1" };

        Assert.Multiple(() =>
        {
            Assert.That(fromEnvironment.ResolveEndpoint(), Is.EqualTo(new Uri("tcp://10.0.0.1:2375")));
            Assert.That(fallback.ResolveEndpoint(), Is.EqualTo(new Uri("unix:///var/run/docker.sock")));
            Assert.That(explicitEndpoint.ResolveEndpoint(), Is.EqualTo(new Uri("unix:///run/docker.sock")));
        });
    }

    [Test]
    public void Validate_BadDockerHost_Fails()
    {
        var options = new DockerContainerizerOptions { EnvironmentReader = _ => "not a uri" };

        var ex = Assert.Throws<ExecutorConfigurationException>(options.Validate);
        Assert.That(ex!.Message, Does.Contain("DOCKER_HOST"));
    }

    [Test]
    public void ParseTaskEnvironment_JsonObject_KeepsEveryVariable()
    {
        var env = DockerContainerizerOptions.ParseTaskEnvironment("""{"MESOS_ALLOCATION_ROLE":"web","EMPTY":"","U":"é=1"}""");

        Assert.That(env, Is.EquivalentTo(new Dictionary<string, string> { ["MESOS_ALLOCATION_ROLE"] = "web", ["EMPTY"] = string.Empty, ["U"] = "é=1" }));
    }

    [TestCase("[1]", "JSON object")]
    [TestCase("{\"A\":1}", "'A' must be a string")]
    [TestCase("{\"\":\"x\"}", "empty name")]
    [TestCase("{\"A=B\":\"x\"}", "'A=B'")]
    [TestCase("{", "not JSON")]
    public void ParseTaskEnvironment_Invalid_FailsSayingWhy(string json, string expected)
    {
        var ex = Assert.Throws<ExecutorConfigurationException>(() => DockerContainerizerOptions.ParseTaskEnvironment(json));

        Assert.That(ex!.Message, Does.Contain(expected).And.Contain("--task_environment"));
    }

    [Test]
    public void Defaults_FollowMesos_OutputToTheProcessNoCommandUserNoSwapLimit()
    {
        var options = new DockerContainerizerOptions();

        Assert.Multiple(() =>
        {
            Assert.That(options.StandardOutput, Is.Null, "the process's stdout");
            Assert.That(options.StandardError, Is.Null, "the process's stderr");
            Assert.That(options.UseCommandUser, Is.False);
            Assert.That(options.DisableSwap, Is.False);
        });
    }

    [Test]
    public void Validate_UnwritableOutputStreams_FailNamingBoth()
    {
        using var readOnly = new System.IO.MemoryStream([], writable: false);
        var options = new DockerContainerizerOptions { StandardOutput = readOnly, StandardError = readOnly };

        var ex = Assert.Throws<ExecutorConfigurationException>(options.Validate);

        Assert.That(ex!.Message, Does.Contain("standard output").And.Contain("standard error"));
    }

    [Test]
    public void Constructor_InvalidOptions_Throws()
    {
        Assert.Throws<ExecutorConfigurationException>(() => new DockerContainerizer(new DockerContainerizerOptions { MappedDirectory = "x" }));
    }

    // Found by the docker-json-flags fuzz target (issue 16).
    [TestCase("""{"A":"\ud800"}""")]
    [TestCase("""{"\udc00":"x"}""")]
    public void ParseTaskEnvironment_EscapedLoneSurrogate_ThrowsConfigurationError(string json)
    {
        var ex = Assert.Throws<ExecutorConfigurationException>(() => DockerContainerizerOptions.ParseTaskEnvironment(json));

        Assert.That(ex!.Message, Does.Contain("--task_environment"));
    }
}
