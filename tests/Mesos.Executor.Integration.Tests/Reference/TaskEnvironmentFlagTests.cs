using System.Collections.Generic;
using Mesos.Executor.Core;
using Mesos.Executor.Reference.CommandLine;
using NUnit.Framework;

namespace Mesos.Executor.Integration.Tests.Reference;

[TestFixture]
public sealed class TaskEnvironmentFlagTests
{
    [Test]
    public void ParseTaskEnvironment_JsonObject_KeepsEveryVariable()
    {
        var env = TaskEnvironmentFlag.ParseTaskEnvironment("""{"MESOS_ALLOCATION_ROLE":"web","EMPTY":"","U":"é=1"}""");

        Assert.That(env, Is.EquivalentTo(new Dictionary<string, string> { ["MESOS_ALLOCATION_ROLE"] = "web", ["EMPTY"] = string.Empty, ["U"] = "é=1" }));
    }

    [TestCase("[1]", "JSON object")]
    [TestCase("{\"A\":1}", "'A' must be a string")]
    [TestCase("{\"\":\"x\"}", "empty name")]
    [TestCase("{\"A=B\":\"x\"}", "'A=B'")]
    [TestCase("{", "not JSON")]
    public void ParseTaskEnvironment_Invalid_FailsSayingWhy(string json, string expected)
    {
        var ex = Assert.Throws<ExecutorConfigurationException>(() => TaskEnvironmentFlag.ParseTaskEnvironment(json));

        Assert.That(ex!.Message, Does.Contain(expected).And.Contain("--task_environment"));
    }

    [Test]
    public void ParseTaskEnvironment_SeveralProblems_ListsThemAll()
    {
        var ex = Assert.Throws<ExecutorConfigurationException>(() => TaskEnvironmentFlag.ParseTaskEnvironment("""{"A":1,"B=C":"x"}"""));

        Assert.That(ex!.Message, Does.Contain("'A' must be a string").And.Contain("'B=C'"));
    }

    // Found by the docker-json-flags fuzz target (issue 16).
    [TestCase("""{"A":"\ud800"}""")]
    [TestCase("""{"\udc00":"x"}""")]
    public void ParseTaskEnvironment_EscapedLoneSurrogate_ThrowsConfigurationError(string json)
    {
        var ex = Assert.Throws<ExecutorConfigurationException>(() => TaskEnvironmentFlag.ParseTaskEnvironment(json));

        Assert.That(ex!.Message, Does.Contain("--task_environment"));
    }
}
