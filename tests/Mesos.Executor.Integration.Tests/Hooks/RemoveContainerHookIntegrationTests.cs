using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet.Models;
using Mesos.Executor.Core;
using Mesos.Executor.Docker;
using Mesos.Executor.Hooks;
using Mesos.Executor.Testing;
using Mesos.Executor.TestSupport;
using NUnit.Framework;

namespace Mesos.Executor.Integration.Tests.Hooks;

[TestFixture]
[Category("Docker")]
public sealed class RemoveContainerHookIntegrationTests
{
    private DockerContainerizer? _containerizer;

    [TearDown]
    public async Task TearDownAsync()
    {
        if (_containerizer is not null)
        {
            await _containerizer.DisposeAsync();
        }

        await DockerTestEnvironment.CleanupAsync();
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RemoveContainerHook_StoppedContainer_IsGoneFromTheEngine(CancellationToken cancellationToken)
    {
        await DockerTestEnvironment.RequireEngineAsync(cancellationToken);
        _containerizer = HookHost.CreateContainerizer();
        HookContext created = HookTestHarness.CreateContext(HookHost.Task("remove-me", "sleep 120"), _containerizer);
        HookContext context = new HookContext(created.Spec, _containerizer, created.Logger) { ContainerId = await _containerizer.CreateAsync(created.Spec, cancellationToken) };
        await _containerizer.StartAsync(context.ContainerId, cancellationToken);
        await _containerizer.StopAsync(context.ContainerId, TimeSpan.FromSeconds(1), cancellationToken);

        await HookTestHarness.RunPhaseAsync(new RemoveContainerHook(), HookPhase.PostStop, context, cancellationToken);

        using var client = DockerTestEnvironment.CreateClient();
        var remaining = await client.Containers.ListContainersAsync(
            new ContainersListParameters
            {
                All = true,
                Filters = new Dictionary<string, IDictionary<string, bool>> { ["id"] = new Dictionary<string, bool> { [context.ContainerId] = true } },
            },
            cancellationToken);
        Assert.That(remaining, Is.Empty);
    }
}
