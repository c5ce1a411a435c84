using System;
using Mesos.Executor.Core;
using NUnit.Framework;

namespace Mesos.Executor.Hooks.Tests;

[TestFixture]
public sealed class HookCatalogTests
{
    [TestCase("remove-container", typeof(RemoveContainerHook))]
    [TestCase("acl", typeof(AclHook))]
    [TestCase("netns", typeof(NetnsHook))]
    [TestCase("iptables", typeof(IptablesHook))]
    [TestCase("network", typeof(NetworkHook))]
    [TestCase("deny-privileged", typeof(DenyPrivilegedHook))]
    [TestCase("sandbox-volumes", typeof(SandboxVolumesHook))]
    [TestCase("force-bridge", typeof(ForceBridgeHook))]
    [TestCase("exec", typeof(ExecHook))]
    public void Create_KnownName_ReturnsThatHookNamedAlike(string name, Type type)
    {
        IHook hook = HookCatalog.Create(name);

        Assert.That(hook, Is.InstanceOf(type));
        Assert.That(hook.Name, Is.EqualTo(name));
        Assert.That(HookCatalog.KnownNames, Does.Contain(name));
        Assert.That(HookCatalog.IsKnown(name), Is.True);
    }

    [Test]
    public void KnownNames_EachCreatesAHook()
    {
        Assert.That(HookCatalog.KnownNames, Has.Count.EqualTo(9).And.Unique);
        foreach (string name in HookCatalog.KnownNames)
        {
            Assert.That(HookCatalog.Create(name).Name, Is.EqualTo(name));
        }
    }

    [Test]
    public void Create_Options_AreUsed()
    {
        var settings = new HookSettings { Acl = new AclHookOptions { Priority = 7 }, Netns = new NetnsHookOptions { Priority = -3 } };

        Assert.That(HookCatalog.Create("acl", settings).Priority, Is.EqualTo(7));
        Assert.That(HookCatalog.Create("netns", settings).Priority, Is.EqualTo(-3));
    }

    [TestCase("ACL")]
    [TestCase("consul")]
    [TestCase("")]
    public void Create_UnknownName_ThrowsNamingItAndTheKnownOnes(string name)
    {
        var ex = Assert.Throws<ExecutorConfigurationException>(() => HookCatalog.Create(name));

        Assert.That(ex!.Message, Does.Contain($"'{name}'").And.Contain("remove-container"));
        Assert.That(HookCatalog.IsKnown(name), Is.False);
    }

    [Test]
    public void CreateAll_SeveralProblems_ReportsEveryOne()
    {
        var settings = new HookSettings
        {
            Acl = new AclHookOptions { DefaultAllowedSources = ["nope"] },
            Iptables = new IptablesHookOptions { BridgeInterface = "" },
        };

        var ex = Assert.Throws<ExecutorConfigurationException>(() => HookCatalog.CreateAll(["acl", "consul", "netns", "netns", "iptables", "network"], settings));

        Assert.That(ex!.Message, Does.Contain("'nope'").And.Contain("'consul'").And.Contain("'netns' is enabled twice").And.Contain("bridge_interface"));
    }

    [Test]
    public void CreateAll_ValidNames_ReturnsHooksInTheGivenOrder()
    {
        var hooks = HookCatalog.CreateAll(["remove-container", "acl", "netns"], new HookSettings { Network = new NetworkHookOptions { NetworkName = "bad name" } });

        Assert.That(hooks, Has.Count.EqualTo(3));
        Assert.That(hooks[0], Is.InstanceOf<RemoveContainerHook>());
        Assert.That(hooks[1], Is.InstanceOf<AclHook>());
        Assert.That(hooks[2], Is.InstanceOf<NetnsHook>());
    }

    [Test]
    public void Defaults_Priorities_PoliciesFirstRemovalLast()
    {
        Assert.That(new DenyPrivilegedHookOptions().Priority, Is.EqualTo(1000));
        Assert.That(new SandboxVolumesHookOptions().Priority, Is.EqualTo(1000));
        Assert.That(new ForceBridgeHookOptions().Priority, Is.EqualTo(500));
        Assert.That(new NetworkHookOptions().Priority, Is.EqualTo(400));
        Assert.That(new NetnsHookOptions().Priority, Is.EqualTo(300));
        Assert.That(new AclHookOptions().Priority, Is.EqualTo(200));
        Assert.That(new IptablesHookOptions().Priority, Is.EqualTo(200));
        Assert.That(new RemoveContainerHookOptions().Priority, Is.EqualTo(-1000));
    }
}
