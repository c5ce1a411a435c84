using System.Linq;
using Mesos.Executor.Core;
using Mesos.Executor.Reference;
using Mesos.V1;
using Mesos.V1.Executor;
using Microsoft.Extensions.Logging.Testing;
using NUnit.Framework;
using Environment = Mesos.V1.Environment;

namespace Mesos.Executor.Integration.Tests.Reference;

/// <summary>The task's environment (ExecutorInfo.command.environment) never configures the executor.</summary>
[TestFixture]
public sealed class TaskEnvironmentGuardTests
{
    private static Event.Types.Subscribed SubscribedWith(params (string Name, string Value)[] variables)
    {
        var environment = new Environment();
        foreach (var (name, value) in variables)
        {
            environment.Variables.Add(new Environment.Types.Variable { Name = name, Value = value });
        }

        return new Event.Types.Subscribed
        {
            ExecutorInfo = new ExecutorInfo
            {
                ExecutorId = new ExecutorID { Value = "e" },
                Command = new CommandInfo { Value = "mesos-docker-executor", Environment = environment },
            },
        };
    }

    [Test]
    public void Check_TaskBringsAVariableTheConfigurationUsed_RefusesNamingItButNotItsValue()
    {
        var logger = new FakeLogger();
        var guard = new TaskEnvironmentGuard(["MESOS_EXECUTOR_HOOKS__ENABLED", "MESOS_EXECUTOR_LOGGING__LEVEL"], logger);

        var ex = Assert.Throws<ExecutorConfigurationException>(() => guard.Check(SubscribedWith(
            ("MESOS_EXECUTOR_HOOKS__ENABLED", "iptables-secret-value"), ("PATH", "/bin"))));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Message, Does.Contain("MESOS_EXECUTOR_HOOKS__ENABLED").And.Not.Contain("iptables-secret-value"));
            Assert.That(ex.Message, Does.Not.Contain("MESOS_EXECUTOR_LOGGING__LEVEL"), "only what the task brought");
            Assert.That(logger.Collector.GetSnapshot().Select(r => r.Message), Has.One.Contains("MESOS_EXECUTOR_HOOKS__ENABLED"));
            Assert.That(logger.Collector.GetSnapshot().Select(r => r.Message), Has.None.Contains("iptables-secret-value"));
        });
    }

    [Test]
    public void Check_TaskBringsAVariableThatWasIgnored_OnlyWarns()
    {
        var logger = new FakeLogger();
        var guard = new TaskEnvironmentGuard([], logger);

        Assert.That(() => guard.Check(SubscribedWith(("MESOS_EXECUTOR_HOOKS__ENABLED", "iptables"), ("DOCKER_HOST", "tcp://x:1"))), Throws.Nothing);
        Assert.That(logger.Collector.GetSnapshot().Select(r => r.Id.Name), Is.EqualTo(new[] { "ReferenceTaskVariableRefused", "ReferenceTaskVariableRefused" }));
    }

    [Test]
    public void Check_DockerHostFromTheTaskWhenItWasUsed_Refuses()
    {
        var guard = new TaskEnvironmentGuard(["DOCKER_HOST"], new FakeLogger());

        Assert.That(() => guard.Check(SubscribedWith(("DOCKER_HOST", "tcp://203.0.113.1:2375"))), Throws.TypeOf<ExecutorConfigurationException>().With.Message.Contains("DOCKER_HOST"));
    }

    [Test]
    public void Check_AgentVariablesAndTaskVariables_AreNotConfiguration()
    {
        var logger = new FakeLogger();
        var guard = new TaskEnvironmentGuard(["MESOS_EXECUTOR_LOGGING__LEVEL"], logger);

        Assert.That(() => guard.Check(SubscribedWith(
            ("MESOS_EXECUTOR_ID", "x"), ("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", "1secs"), ("MESOS_SANDBOX", "/s"), ("APP_MODE", "prod"))), Throws.Nothing);
        Assert.That(logger.Collector.GetSnapshot(), Is.Empty);
    }

    [Test]
    public void Check_NoExecutorCommand_Passes()
    {
        var guard = new TaskEnvironmentGuard(["MESOS_EXECUTOR_LOGGING__LEVEL"], new FakeLogger());

        Assert.That(() => guard.Check(new Event.Types.Subscribed()), Throws.Nothing);
    }
}
