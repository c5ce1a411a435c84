using System;
using System.Linq;
using Mesos.Executor.Docker.Internal;
using Microsoft.Extensions.Logging.Testing;
using NUnit.Framework;

namespace Mesos.Executor.Docker.Tests.Containerizer;

/// <summary><see cref="ContainerNames"/>: which name each task's container gets.</summary>
[TestFixture]
public sealed class ContainerNamesTests
{
    private static readonly Guid Fixed = Guid.Parse("4f2d9a6e-0b7c-4e8d-9a51-3c6f1e2b7d90");

    [Test]
    public void Allocate_RequestedName_Wins()
    {
        var names = new ContainerNames("mesos-agents", new FakeLogger());

        Assert.That(names.Allocate("custom", "t1"), Is.EqualTo("custom"));
        Assert.That(names.Allocate(null, "t2"), Is.EqualTo("mesos-agents"), "the requested name did not use up the agent's");
    }

    [Test]
    public void Allocate_NoConfiguredName_IsAFreshMesosUuid()
    {
        var names = new ContainerNames(null, new FakeLogger(), () => Fixed);

        Assert.That(names.Allocate(string.Empty, "t1"), Is.EqualTo("mesos-" + Fixed.ToString("D")));
    }

    [Test]
    public void Allocate_ConfiguredNameTaken_DerivesOneAndLogsIt()
    {
        var logger = new FakeLogger();
        var names = new ContainerNames("mesos-5b1c", logger);

        string[] allocated = [names.Allocate(null, "t1"), names.Allocate(null, "t2"), names.Allocate(null, "t3")];

        Assert.That(allocated, Is.EqualTo(new[] { "mesos-5b1c", "mesos-1.5b1c.task", "mesos-2.5b1c.task" }));
        Assert.That(logger.Collector.GetSnapshot().Select(r => r.Id.Name), Is.EqualTo(new[] { "DockerContainerNameTaken", "DockerContainerNameTaken" }));
    }

    [Test]
    public void Release_FailedCreation_GivesTheNameToTheNextTask()
    {
        var names = new ContainerNames("mesos-5b1c", new FakeLogger());
        string first = names.Allocate(null, "t1");

        names.Release(first);

        Assert.That(names.Allocate(null, "t2"), Is.EqualTo("mesos-5b1c"));
    }

    [TestCase("mesos-5b1c", 1, "mesos-1.5b1c.task")]
    [TestCase("custom", 2, "custom-2")]
    [TestCase("mesos-a.b", 1, "mesos-a.b-1")]
    public void DerivedName_LaterTasks_GetNamesTheAgentRecognises(string name, int index, string expected) =>
        Assert.That(ContainerNames.DerivedName(name, index), Is.EqualTo(expected));
}
