using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.Executor.Testing;
using Mesos.V1;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace Mesos.Executor.Core.Tests.Execution;

/// <summary>The quickstart of src/Mesos.Executor.Core/README.md, verbatim between the markers: keep them in sync.</summary>
[TestFixture]
public sealed class ReadmeExampleTests
{
    [Test]
    [CancelAfter(20_000)]
    public async Task Quickstart_AgainstFakeAgent_RunsATaskAndShutsDownOnCancellation(CancellationToken cancellationToken)
    {
        await using FakeAgent agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);
        IReadOnlyDictionary<string, string> environment = agent.CreateExecutorEnvironment();
        Func<string, string?> getVariable = name => environment.GetValueOrDefault(name);
        var containerizer = new RecordingContainerizer();
        var loggerFactory = NullLoggerFactory.Instance;
        using var shutdown = new CancellationTokenSource();
        Task<int> run = RunQuickstartAsync();
        await agent.WaitForSubscribeAsync(1, cancellationToken);
        await agent.SendLaunchAsync(ExecutorHarness.NewTask("web", t => t.AgentId = new AgentID { Value = agent.Options.AgentId }), cancellationToken);
        await agent.WaitForStatusAsync("web", TaskState.TaskRunning, cancellationToken);

        await shutdown.CancelAsync();

        Assert.That(await run.WaitAsync(cancellationToken), Is.EqualTo(ExecutorExitCodes.Success));
        await agent.WaitForStatusAsync("web", TaskState.TaskKilled, cancellationToken);
        Assert.That(containerizer.CreatedSpecs[0].Labels["team"], Is.EqualTo("web"));

        async Task<int> RunQuickstartAsync()
        {
            // README begin
            await using MesosExecutor executor = MesosExecutor.CreateBuilder()
                .UseEnvironment(getVariable)                 // optional: this is the default source
                .UseContainerizer(containerizer)             // required: e.g. Mesos.Executor.Docker's DockerContainerizer
                .UseOptions(new ExecutorOptions { DefaultKillGracePeriod = TimeSpan.FromSeconds(10) })
                .ConfigureContainer(spec => spec.Labels["team"] = "web")
                .OnMessage((data, cancellationToken) =>
                {
                    Console.WriteLine($"framework message: {Encoding.UTF8.GetString(data.Span)}");
                    return Task.CompletedTask;
                })
                .UseLoggerFactory(loggerFactory)
                .Build();                                    // ExecutorConfigurationException lists every problem

            int exitCode = await executor.RunAsync(shutdown.Token);
            // README end
            return exitCode;
        }
    }
}
