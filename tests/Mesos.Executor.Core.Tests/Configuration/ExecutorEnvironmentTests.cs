using System;
using System.Collections.Generic;
using NUnit.Framework;

namespace Mesos.Executor.Core.Tests.Configuration;

[TestFixture]
public sealed class ExecutorEnvironmentTests
{
    private const string Token = "s3cr3t-t0ken-value";

    // What an agent gives a checkpointing executor (src/slave/slave.cpp executorEnvironment).
    private static Dictionary<string, string> FullEnvironment() => new()
    {
        ["MESOS_FRAMEWORK_ID"] = "fw-1",
        ["MESOS_EXECUTOR_ID"] = "exec-1",
        ["MESOS_SLAVE_ID"] = "agent-S1",
        ["MESOS_DIRECTORY"] = "/var/lib/mesos/slaves/agent-S1/frameworks/fw-1/executors/exec-1/runs/latest",
        ["MESOS_SANDBOX"] = "/mnt/mesos/sandbox",
        ["MESOS_AGENT_ENDPOINT"] = "10.0.0.7:5051",
        ["MESOS_SLAVE_PID"] = "slave(1)@10.0.0.7:5051",
        ["MESOS_CHECKPOINT"] = "1",
        ["MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD"] = "7secs",
        ["MESOS_RECOVERY_TIMEOUT"] = "3mins",
        ["MESOS_SUBSCRIPTION_BACKOFF_MAX"] = "500ms",
        ["MESOS_DOMAIN_SOCKET"] = "/run/mesos/agent.sock",
        ["MESOS_EXECUTOR_AUTHENTICATION_TOKEN"] = Token,
        ["MESOS_HTTP_COMMAND_EXECUTOR"] = "1",
        ["LIBPROCESS_SSL_ENABLED"] = "true",
        ["LIBPROCESS_SSL_VERIFY_SERVER_CERT"] = "1",
    };

    private static Dictionary<string, string> MinimalEnvironment() => new()
    {
        ["MESOS_FRAMEWORK_ID"] = "fw-1",
        ["MESOS_EXECUTOR_ID"] = "exec-1",
        ["MESOS_AGENT_ENDPOINT"] = "127.0.0.1:5051",
        ["MESOS_CHECKPOINT"] = "0",
    };

    private static ExecutorEnvironment Parse(Dictionary<string, string> variables) =>
        ExecutorEnvironment.Parse(name => variables.GetValueOrDefault(name));

    [Test]
    public void Parse_EveryVariable_ReadsEachOne()
    {
        ExecutorEnvironment environment = Parse(FullEnvironment());

        Assert.Multiple(() =>
        {
            Assert.That(environment.FrameworkId.Value, Is.EqualTo("fw-1"));
            Assert.That(environment.ExecutorId.Value, Is.EqualTo("exec-1"));
            Assert.That(environment.AgentId?.Value, Is.EqualTo("agent-S1"));
            Assert.That(environment.Directory, Is.EqualTo("/var/lib/mesos/slaves/agent-S1/frameworks/fw-1/executors/exec-1/runs/latest"));
            Assert.That(environment.Sandbox, Is.EqualTo("/mnt/mesos/sandbox"));
            Assert.That(environment.AgentEndpoint, Is.EqualTo("10.0.0.7:5051"));
            Assert.That(environment.AgentPid, Is.EqualTo("slave(1)@10.0.0.7:5051"));
            Assert.That(environment.Checkpoint, Is.True);
            Assert.That(environment.ShutdownGracePeriod, Is.EqualTo(TimeSpan.FromSeconds(7)));
            Assert.That(environment.RecoveryTimeout, Is.EqualTo(TimeSpan.FromMinutes(3)));
            Assert.That(environment.SubscriptionBackoffMax, Is.EqualTo(TimeSpan.FromMilliseconds(500)));
            Assert.That(environment.DomainSocket, Is.EqualTo("/run/mesos/agent.sock"));
            Assert.That(environment.AuthenticationToken, Is.EqualTo(Token));
            Assert.That(environment.HttpCommandExecutor, Is.True);
            Assert.That(environment.UseTls, Is.True);
            Assert.That(environment.VerifyCertificate, Is.True);
        });
    }

    [Test]
    public void Parse_OnlyRequiredVariables_UsesDefaults()
    {
        ExecutorEnvironment environment = Parse(MinimalEnvironment());

        Assert.Multiple(() =>
        {
            Assert.That(environment.AgentId, Is.Null);
            Assert.That(environment.Directory, Is.Null);
            Assert.That(environment.Sandbox, Is.Null);
            Assert.That(environment.AgentPid, Is.Null);
            Assert.That(environment.Checkpoint, Is.False);
            Assert.That(environment.ShutdownGracePeriod, Is.EqualTo(TimeSpan.FromSeconds(5)));
            Assert.That(environment.RecoveryTimeout, Is.EqualTo(TimeSpan.FromMinutes(15)));
            Assert.That(environment.SubscriptionBackoffMax, Is.EqualTo(TimeSpan.FromSeconds(2)));
            Assert.That(environment.DomainSocket, Is.Null);
            Assert.That(environment.AuthenticationToken, Is.Null);
            Assert.That(environment.HttpCommandExecutor, Is.False);
            Assert.That(environment.UseTls, Is.False);
            Assert.That(environment.VerifyCertificate, Is.False);
        });
    }

    [Test]
    public void Parse_NotCheckpointing_IgnoresRecoveryVariablesEvenWhenMalformed()
    {
        Dictionary<string, string> variables = MinimalEnvironment();
        variables["MESOS_RECOVERY_TIMEOUT"] = "soon";
        variables["MESOS_SUBSCRIPTION_BACKOFF_MAX"] = "1min";

        ExecutorEnvironment environment = Parse(variables);

        Assert.Multiple(() =>
        {
            Assert.That(environment.RecoveryTimeout, Is.EqualTo(TimeSpan.FromMinutes(15)));
            Assert.That(environment.SubscriptionBackoffMax, Is.EqualTo(TimeSpan.FromSeconds(2)));
        });
    }

    [Test]
    public void Parse_CheckpointingWithoutRecoveryVariables_UsesDefaults()
    {
        Dictionary<string, string> variables = MinimalEnvironment();
        variables["MESOS_CHECKPOINT"] = "1";

        ExecutorEnvironment environment = Parse(variables);

        Assert.Multiple(() =>
        {
            Assert.That(environment.Checkpoint, Is.True);
            Assert.That(environment.RecoveryTimeout, Is.EqualTo(TimeSpan.FromMinutes(15)));
            Assert.That(environment.SubscriptionBackoffMax, Is.EqualTo(TimeSpan.FromSeconds(2)));
        });
    }

    [TestCase("16secs")]
    [TestCase("1hrs")]
    public void Parse_BackoffAboveFifteenSeconds_CapsAtFifteenSeconds(string backoff)
    {
        Dictionary<string, string> variables = MinimalEnvironment();
        variables["MESOS_CHECKPOINT"] = "1";
        variables["MESOS_SUBSCRIPTION_BACKOFF_MAX"] = backoff;

        Assert.That(Parse(variables).SubscriptionBackoffMax, Is.EqualTo(TimeSpan.FromSeconds(15)));
    }

    [Test]
    public void Parse_EndpointMissing_DerivesItFromSlavePid()
    {
        Dictionary<string, string> variables = MinimalEnvironment();
        variables.Remove("MESOS_AGENT_ENDPOINT");
        variables["MESOS_SLAVE_PID"] = "slave(1)@192.168.1.2:5052";

        Assert.That(Parse(variables).AgentEndpoint, Is.EqualTo("192.168.1.2:5052"));
    }

    [Test]
    public void Parse_OnlyDomainSocket_UsesLocalhostEndpoint()
    {
        Dictionary<string, string> variables = MinimalEnvironment();
        variables.Remove("MESOS_AGENT_ENDPOINT");
        variables["MESOS_DOMAIN_SOCKET"] = "/run/agent.sock";

        ExecutorEnvironment environment = Parse(variables);

        Assert.Multiple(() =>
        {
            Assert.That(environment.AgentEndpoint, Is.EqualTo("localhost"));
            Assert.That(environment.DomainSocket, Is.EqualTo("/run/agent.sock"));
        });
    }

    [TestCase("SSL_ENABLED", "1", true)]
    [TestCase("SSL_ENABLED", "false", false)]
    [TestCase("LIBPROCESS_SSL_ENABLED", "0", false)]
    public void Parse_SslEnabledVariable_SetsUseTls(string name, string value, bool expected)
    {
        Dictionary<string, string> variables = MinimalEnvironment();
        variables[name] = value;

        Assert.That(Parse(variables).UseTls, Is.EqualTo(expected));
    }

    [Test]
    public void Parse_LibprocessAndLegacySslBothSet_LibprocessWins()
    {
        Dictionary<string, string> variables = MinimalEnvironment();
        variables["LIBPROCESS_SSL_ENABLED"] = "false";
        variables["SSL_ENABLED"] = "true";

        Assert.That(Parse(variables).UseTls, Is.False);
    }

    [TestCase("LIBPROCESS_SSL_VERIFY_CERT")]
    [TestCase("SSL_VERIFY_CERT")]
    [TestCase("SSL_VERIFY_SERVER_CERT")]
    public void Parse_AnyVerifyCertVariable_SetsVerifyCertificate(string name)
    {
        Dictionary<string, string> variables = MinimalEnvironment();
        variables[name] = "true";

        Assert.That(Parse(variables).VerifyCertificate, Is.True);
    }

    [Test]
    public void Parse_EverythingMissing_ListsEveryRequiredVariableInOneException()
    {
        var exception = Assert.Throws<ExecutorConfigurationException>(() => ExecutorEnvironment.Parse(_ => null));

        Assert.That(
            exception.Message,
            Does.Contain("MESOS_FRAMEWORK_ID").And.Contain("MESOS_EXECUTOR_ID").And.Contain("MESOS_AGENT_ENDPOINT").And.Contain("MESOS_CHECKPOINT"));
    }

    [Test]
    public void Parse_SeveralMalformedValues_ListsEveryOneInOneException()
    {
        Dictionary<string, string> variables = FullEnvironment();
        variables["MESOS_AGENT_ENDPOINT"] = "10.0.0.7";
        variables["MESOS_CHECKPOINT"] = "yes";
        variables["MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD"] = "5s";
        variables["MESOS_HTTP_COMMAND_EXECUTOR"] = "maybe";
        variables["LIBPROCESS_SSL_ENABLED"] = "on";

        var exception = Assert.Throws<ExecutorConfigurationException>(() => Parse(variables));

        Assert.That(
            exception.Message,
            Does.Contain("MESOS_AGENT_ENDPOINT '10.0.0.7'")
                .And.Contain("MESOS_CHECKPOINT 'yes'")
                .And.Contain("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD '5s'")
                .And.Contain("MESOS_HTTP_COMMAND_EXECUTOR 'maybe'")
                .And.Contain("LIBPROCESS_SSL_ENABLED 'on'"));
    }

    [Test]
    public void Parse_MalformedRecoveryVariablesWhenCheckpointing_ListsBoth()
    {
        Dictionary<string, string> variables = FullEnvironment();
        variables["MESOS_RECOVERY_TIMEOUT"] = "15";
        variables["MESOS_SUBSCRIPTION_BACKOFF_MAX"] = "2 secs";

        var exception = Assert.Throws<ExecutorConfigurationException>(() => Parse(variables));

        Assert.That(exception.Message, Does.Contain("MESOS_RECOVERY_TIMEOUT '15'").And.Contain("MESOS_SUBSCRIPTION_BACKOFF_MAX '2 secs'"));
    }

    [TestCase("10.0.0.7:0")]
    [TestCase("10.0.0.7:65536")]
    [TestCase("10.0.0.7:")]
    [TestCase(":5051")]
    [TestCase("10.0.0.7:50x1")]
    public void Parse_BadEndpoint_Throws(string endpoint)
    {
        Dictionary<string, string> variables = MinimalEnvironment();
        variables["MESOS_AGENT_ENDPOINT"] = endpoint;

        var exception = Assert.Throws<ExecutorConfigurationException>(() => Parse(variables));

        Assert.That(exception.Message, Does.Contain("MESOS_AGENT_ENDPOINT"));
    }

    [Test]
    public void Parse_BadSlavePidWithoutEndpoint_Throws()
    {
        Dictionary<string, string> variables = MinimalEnvironment();
        variables.Remove("MESOS_AGENT_ENDPOINT");
        variables["MESOS_SLAVE_PID"] = "10.0.0.7:5051";

        var exception = Assert.Throws<ExecutorConfigurationException>(() => Parse(variables));

        Assert.That(exception.Message, Does.Contain("MESOS_SLAVE_PID"));
    }

    [Test]
    public void Parse_EmptyRequiredValue_CountsAsMissing()
    {
        Dictionary<string, string> variables = MinimalEnvironment();
        variables["MESOS_FRAMEWORK_ID"] = string.Empty;

        var exception = Assert.Throws<ExecutorConfigurationException>(() => Parse(variables));

        Assert.That(exception.Message, Does.Contain("MESOS_FRAMEWORK_ID is not set"));
    }

    [Test]
    public void ToString_WithToken_NeverContainsTheToken()
    {
        ExecutorEnvironment environment = Parse(FullEnvironment());

        string text = environment.ToString();

        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Not.Contain(Token));
            Assert.That(text, Does.Contain("AuthenticationToken = (redacted)"));
            Assert.That(text, Does.Contain("FrameworkId = fw-1").And.Contain("RecoveryTimeout = 3mins").And.Contain("AgentEndpoint = 10.0.0.7:5051"));
        });
    }

    [Test]
    public void ToString_MalformedEnvironmentError_NeverContainsTheToken()
    {
        Dictionary<string, string> variables = FullEnvironment();
        variables["MESOS_CHECKPOINT"] = "bad";

        var exception = Assert.Throws<ExecutorConfigurationException>(() => Parse(variables));

        Assert.That(exception.Message, Does.Not.Contain(Token));
    }

    [Test]
    [NonParallelizable]
    public void FromProcess_TokenInEnvironment_ReadsItAndRemovesItFromTheProcess()
    {
        // The one test that touches the real process environment: FromProcess exists to do that.
        const string name = "MESOS_EXECUTOR_AUTHENTICATION_TOKEN";
        var saved = new Dictionary<string, string?>();
        foreach ((string key, string value) in MinimalEnvironment())
        {
            saved[key] = Environment.GetEnvironmentVariable(key);
            Environment.SetEnvironmentVariable(key, value);
        }

        saved[name] = Environment.GetEnvironmentVariable(name);
        Environment.SetEnvironmentVariable(name, Token);
        try
        {
            ExecutorEnvironment environment = ExecutorEnvironment.FromProcess();

            Assert.Multiple(() =>
            {
                Assert.That(environment.AuthenticationToken, Is.EqualTo(Token));
                Assert.That(Environment.GetEnvironmentVariable(name), Is.Null);
            });
        }
        finally
        {
            foreach ((string key, string? value) in saved)
            {
                Environment.SetEnvironmentVariable(key, value);
            }
        }
    }
}
