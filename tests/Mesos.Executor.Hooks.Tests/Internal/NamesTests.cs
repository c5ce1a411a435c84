using System.Linq;
using Mesos.Executor.Hooks.Internal;
using NUnit.Framework;

namespace Mesos.Executor.Hooks.Tests.Internal;

[TestFixture]
public sealed class NamesTests
{
    [TestCase("web-1")]
    [TestCase("marathon-app.5f3d2c1a-1234-11ee-9c2b-0242ac110002")]
    [TestCase("A_b.C-d")]
    public void NetnsName_SafeTaskId_IsKept(string taskId) =>
        Assert.That(Names.NetnsName(taskId), Is.EqualTo(taskId));

    [TestCase("a/b", "^a_b-[0-9a-f]{8}$")]
    [TestCase("a b:c", "^a_b_c-[0-9a-f]{8}$")]
    [TestCase("..", "^\\.\\.-[0-9a-f]{8}$")]
    [TestCase("", "^-[0-9a-f]{8}$")]
    [TestCase("tâche", "^t_che-[0-9a-f]{8}$")]
    public void NetnsName_UnsafeTaskId_IsSanitisedAndHashed(string taskId, string pattern) =>
        Assert.That(Names.NetnsName(taskId), Does.Match(pattern));

    [Test]
    public void NetnsName_IdsSanitisingAlike_StayDistinct()
    {
        Assert.That(Names.NetnsName("a/b"), Is.Not.EqualTo(Names.NetnsName("a:b")));
        Assert.That(Names.NetnsName("a/b"), Is.Not.EqualTo(Names.NetnsName("a_b")));
    }

    [Test]
    public void NetnsName_VeryLongId_FitsAFileName()
    {
        string name = Names.NetnsName(new string('x', 400));

        Assert.That(name.Length, Is.LessThanOrEqualTo(255));
        Assert.That(name, Does.Not.Contain("/"));
    }

    [TestCase("web-1", "mesos-executor:web-1")]
    [TestCase("a \"quoted\" id\n", "mesos-executor:a__quoted__id_")]
    public void RuleComment_TaskId_IsTaggedAndPrintable(string taskId, string expected) =>
        Assert.That(Names.RuleComment(taskId), Is.EqualTo(expected));

    [Test]
    public void RuleComment_LongId_IsCutAt255() =>
        Assert.That(Names.RuleComment(new string('x', 300)), Has.Length.EqualTo(255));

    [TestCase("Marathon", "Marathon")]
    [TestCase("my team/app", "my-team-app")]
    [TestCase("__chronos", "chronos")]
    [TestCase("-- /", null)]
    public void DockerNetworkName_FrameworkName_IsSanitised(string framework, string? expected) =>
        Assert.That(Names.DockerNetworkName(framework), Is.EqualTo(expected));

    [Test]
    public void Validators_AcceptAndRejectAsDocumented()
    {
        Assert.That(new[] { "MESOS-EXECUTOR-FORWARD", "a", "x.y_z" }.All(Names.IsValidChainName), Is.True);
        Assert.That(new[] { "", "-x", "has space", new string('C', 29) }.Any(Names.IsValidChainName), Is.False);
        Assert.That(new[] { "docker0", "br-0123456789ab", "veth@if2" }.All(Names.IsValidInterfaceName), Is.True);
        Assert.That(new[] { "", "a/b", "..", "sixteen-chars-xx" }.Any(Names.IsValidInterfaceName), Is.False);
        Assert.That(Names.IsValidDockerNetworkName("my-net.1"), Is.True);
        Assert.That(Names.IsValidDockerNetworkName(".net"), Is.False);
    }
}
