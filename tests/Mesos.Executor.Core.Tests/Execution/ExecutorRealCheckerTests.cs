using System;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.Executor.Core.Execution;
using Mesos.V1;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using NUnit.Framework;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Executor.Core.Tests.Execution;

/// <summary>The state machine with the real <see cref="Checks.TaskCheckRunner"/> and a Moq'd probe.</summary>
[TestFixture]
public sealed class ExecutorRealCheckerTests
{
    [Test]
    [CancelAfter(10_000)]
    public async Task HealthCheck_FailsConsecutively_TaskKilledAndReportedUnhealthy(CancellationToken cancellationToken)
    {
        var time = new ObservableTimeProvider();
        var agent = new InMemoryAgentTransport();
        var containers = new ScriptedContainerizer();
        var probe = new Mock<IHealthCheck>();
        probe.Setup(p => p.ProbeAsync(It.IsAny<ProbeRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new ProbeResult { Succeeded = false, Message = "connection refused" });
        await using MesosExecutor executor = MesosExecutor.CreateBuilder()
            .UseEnvironment(new ExecutorEnvironment
            {
                FrameworkId = new FrameworkID { Value = ExecutorHarness.FrameworkId },
                ExecutorId = new ExecutorID { Value = ExecutorHarness.ExecutorId },
                AgentEndpoint = "127.0.0.1:5051",
            })
            .UseContainerizer(containers.Object)
            .UseHealthCheck(probe.Object)
            .UseTimeProvider(time)
            .UseTransport(agent)
            .Build();
        Task<int> run = executor.RunAsync(cancellationToken);
        SubscriptionAttempt attempt = await agent.NextAttemptAsync(cancellationToken);
        attempt.Push(ExecutorHarness.Subscribed());
        agent.OnSend = (call, _) =>
        {
            if (call.Update != null)
            {
                ExecutorHarness.Acknowledge(attempt, call.Update.Status);
            }

            return Task.CompletedTask;
        };
        attempt.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1", t => t.HealthCheck = new HealthCheck
        {
            Type = HealthCheck.Types.Type.Tcp,
            Tcp = new HealthCheck.Types.TCPCheckInfo { Port = 80 },
            DelaySeconds = 0,
            IntervalSeconds = 1,
            GracePeriodSeconds = 0,
            ConsecutiveFailures = 2,
        })));
        Assert.That((await agent.NextCallAsync(Mesos.V1.Executor.Call.Types.Type.Update, cancellationToken)).Update.Status.State, Is.EqualTo(TaskState.TaskStarting));
        Assert.That((await agent.NextCallAsync(Mesos.V1.Executor.Call.Types.Type.Update, cancellationToken)).Update.Status.State, Is.EqualTo(TaskState.TaskRunning));

        TaskStatus first = (await agent.NextCallAsync(Mesos.V1.Executor.Call.Types.Type.Update, cancellationToken)).Update.Status;
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(1), cancellationToken);
        time.Advance(TimeSpan.FromSeconds(1));
        TaskStatus second = (await agent.NextCallAsync(Mesos.V1.Executor.Call.Types.Type.Update, cancellationToken)).Update.Status;
        TaskStatus killed = (await agent.NextCallAsync(Mesos.V1.Executor.Call.Types.Type.Update, cancellationToken)).Update.Status;

        using (Assert.EnterMultipleScope())
        {
            Assert.That((first.State, first.Healthy, first.Reason), Is.EqualTo((TaskState.TaskRunning, false, TaskStatus.Types.Reason.TaskHealthCheckStatusUpdated)));
            Assert.That((second.State, second.Healthy), Is.EqualTo((TaskState.TaskRunning, false)));
            Assert.That((killed.State, killed.Healthy), Is.EqualTo((TaskState.TaskKilled, false)));
            Assert.That(killed.Message, Does.Contain("failed 2 consecutive times"));
        }

        Assert.That(await run, Is.EqualTo(ExecutorExitCodes.Success));
    }
}
