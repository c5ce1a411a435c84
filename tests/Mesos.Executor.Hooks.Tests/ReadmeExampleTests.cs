using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.Executor.Testing;
using Mesos.V1;
using NUnit.Framework;

namespace Mesos.Executor.Hooks.Tests;

/// <summary>The examples of src/Mesos.Executor.Hooks/README.md, verbatim between the markers: keep them in sync.</summary>
[TestFixture]
public sealed class ReadmeExampleTests
{
    [Test]
    public void Quickstart_Catalog_BuildsAnExecutorWithTheHooks()
    {
        var containerizer = new RecordingContainerizer();

        // README begin
        IReadOnlyList<IHook> hooks = HookCatalog.CreateAll(
            ["deny-privileged", "acl", "netns", "remove-container"],
            new HookSettings
            {
                Acl = new AclHookOptions { DefaultAllowedSources = ["10.0.0.0/8"] },
                DenyPrivileged = new DenyPrivilegedHookOptions { AllowedFrameworks = ["ops"] },
            });

        MesosExecutorBuilder builder = MesosExecutor.CreateBuilder().UseContainerizer(containerizer);
        foreach (IHook hook in hooks)
        {
            builder.AddHook(hook);
        }
        // README end

        builder.AddHook(new AclHook(new AclHookOptions { FilterIPv6 = false }));
        Assert.That(hooks, Has.Count.EqualTo(4));
    }

    // README begin
    [Test]
    [CancelAfter(10_000)]
    public async Task ForceBridge_HostNetwork_BecomesBridge()
    {
        var task = new TaskInfo
        {
            Name = "web",
            TaskId = new TaskID { Value = "web-1" },
            AgentId = new AgentID { Value = "agent-1" },
            Container = new ContainerInfo
            {
                Type = ContainerInfo.Types.Type.Docker,
                Docker = new ContainerInfo.Types.DockerInfo { Image = "nginx", Network = ContainerInfo.Types.DockerInfo.Types.Network.Host },
            },
        };

        HookContext context = await HookTestHarness.RunPhaseAsync(new ForceBridgeHook(), HookPhase.PreCreate, task);

        Assert.That(context.Spec.Task.Container.Docker.Network, Is.EqualTo(ContainerInfo.Types.DockerInfo.Types.Network.Bridge));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task RemoveContainer_PostStop_RemovesIt()
    {
        var containerizer = new RecordingContainerizer();
        var task = new TaskInfo { Name = "web", TaskId = new TaskID { Value = "web-1" }, AgentId = new AgentID { Value = "agent-1" } };

        await HookTestHarness.RunPhaseAsync(new RemoveContainerHook(), HookPhase.PostStop, task, containerizer, containerId: "c-1");

        Assert.That(containerizer.Calls, Is.EqualTo(new[] { "RemoveAsync c-1" }));
    }
    // README end
}
