using System;
using System.Threading;
using System.Threading.Tasks;
using Mesos.V1;
using NUnit.Framework;
using Reason = Mesos.V1.TaskStatus.Types.Reason;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Executor.Core.Tests.Execution;

/// <summary>
/// <see cref="IContainerExec"/> is optional: with the built-in probe and a containerizer without it,
/// a task with a COMMAND health check or check is refused at launch rather than failing its checks later.
/// </summary>
[TestFixture]
public sealed class ExecutorContainerizerAbilityTests
{
    [Test]
    [CancelAfter(10_000)]
    public async Task Launch_CommandHealthCheckWithoutContainerExec_FailsAsInvalid(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start(o => o.DefaultChecks = true);
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1", t => t.HealthCheck = new HealthCheck
        {
            Type = HealthCheck.Types.Type.Command,
            Command = new CommandInfo { Value = "true" },
        })));

        await h.ExpectUpdateAsync("t1", TaskState.TaskStarting, cancellationToken);
        TaskStatus failed = await h.ExpectUpdateAsync("t1", TaskState.TaskFailed, cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(failed.Reason, Is.EqualTo(Reason.TaskInvalid));
            Assert.That(failed.Message, Does.StartWith("health_check.type is COMMAND").And.Contain(nameof(IContainerExec)));
            Assert.That(h.Containers.Specs, Is.Empty, "nothing was created");
        }
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Launch_CommandCheckWithoutContainerExec_FailsAsInvalid(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start(o => o.DefaultChecks = true);
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1", t => t.Check = new CheckInfo
        {
            Type = CheckInfo.Types.Type.Command,
            Command = new CheckInfo.Types.Command { Command_ = new CommandInfo { Value = "true" } },
        })));

        await h.ExpectUpdateAsync("t1", TaskState.TaskStarting, cancellationToken);
        TaskStatus failed = await h.ExpectUpdateAsync("t1", TaskState.TaskFailed, cancellationToken);

        Assert.That(failed.Reason, Is.EqualTo(Reason.TaskInvalid));
        Assert.That(failed.Message, Does.StartWith("check.type is COMMAND").And.Contain(nameof(IContainerExec)));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Launch_TcpHealthCheckWithoutContainerExec_Runs(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start(o => o.DefaultChecks = true);
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1", t => t.HealthCheck = new HealthCheck
        {
            Type = HealthCheck.Types.Type.Tcp,
            Tcp = new HealthCheck.Types.TCPCheckInfo { Port = 8080 },
            DelaySeconds = 3600,
        })));

        await h.ExpectUpdateAsync("t1", TaskState.TaskStarting, cancellationToken);
        await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);
    }
}
