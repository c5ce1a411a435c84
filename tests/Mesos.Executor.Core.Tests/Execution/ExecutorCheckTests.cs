using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.Executor.Core.Checks;
using Mesos.V1;
using NUnit.Framework;
using Capability = Mesos.V1.FrameworkInfo.Types.Capability.Types.Type;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Executor.Core.Tests.Execution;

[TestFixture]
public sealed class ExecutorCheckTests
{
    private static HealthCheck TcpHealthCheck() => new()
    {
        Type = HealthCheck.Types.Type.Tcp,
        Tcp = new HealthCheck.Types.TCPCheckInfo { Port = 8080 },
    };

    private static CheckInfo HttpCheck() => new()
    {
        Type = CheckInfo.Types.Type.Http,
        Http = new CheckInfo.Types.Http { Port = 8080, Path = "/ready" },
    };

    [Test]
    [CancelAfter(10_000)]
    public async Task HealthNotification_SendsFreshRunningWithHealthyAndContainerStatusButNoData(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start();
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1", t => t.HealthCheck = TcpHealthCheck())));
        await h.ExpectUpdateAsync("t1", TaskState.TaskStarting, cancellationToken);
        TaskStatus running = await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);
        FakeTaskChecks checks = await h.Checks.NextCreatedAsync(cancellationToken);
        Assert.That(checks.Started, Is.True);

        await checks.NotifyAsync(new HealthNotification(new TaskID { Value = "t1" }, Healthy: true, ConsecutiveFailures: 0, KillTask: false, Message: null));
        TaskStatus healthy = await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);
        await checks.NotifyAsync(new HealthNotification(new TaskID { Value = "t1" }, Healthy: false, ConsecutiveFailures: 1, KillTask: false, Message: "refused"));
        TaskStatus unhealthy = await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(healthy.Healthy, Is.True);
            Assert.That(healthy.Reason, Is.EqualTo(TaskStatus.Types.Reason.TaskHealthCheckStatusUpdated));
            Assert.That(healthy.ContainerStatus, Is.EqualTo(running.ContainerStatus));
            Assert.That(running.Data, Is.Not.Empty, "TASK_RUNNING carries the inspect output");
            Assert.That(healthy.Data, Is.Empty, "health updates do not repeat it (src/docker/executor.cpp taskHealthUpdated)");
            Assert.That(unhealthy.Data, Is.Empty);
            Assert.That(healthy.ExecutorId, Is.EqualTo(running.ExecutorId));
            Assert.That(healthy.Source, Is.EqualTo(TaskStatus.Types.Source.Executor));
            Assert.That(healthy.HasMessage, Is.False);
            Assert.That(healthy.Uuid, Is.Not.EqualTo(running.Uuid));
            Assert.That(unhealthy.Healthy, Is.False);
            Assert.That(unhealthy.Reason, Is.EqualTo(TaskStatus.Types.Reason.TaskHealthCheckStatusUpdated));
        }
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task HealthNotification_KillTask_KillsWithTaskPolicyAndEndsKilledUnhealthy(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start();
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken, ExecutorHarness.Framework(Capability.TaskKillingState));
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1", t =>
        {
            t.HealthCheck = TcpHealthCheck();
            t.KillPolicy = ExecutorHarness.KillPolicyOf(TimeSpan.FromSeconds(6));
        })));
        await h.ExpectUpdateAsync("t1", TaskState.TaskStarting, cancellationToken);
        await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);
        FakeTaskChecks checks = await h.Checks.NextCreatedAsync(cancellationToken);

        await checks.NotifyAsync(new HealthNotification(new TaskID { Value = "t1" }, Healthy: false, ConsecutiveFailures: 3, KillTask: true, Message: "refused"));

        TaskStatus unhealthy = await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);
        await h.ExpectUpdateAsync("t1", TaskState.TaskKilling, cancellationToken);
        TaskStatus killed = await h.ExpectUpdateAsync("t1", TaskState.TaskKilled, cancellationToken);
        (_, TimeSpan grace) = await h.Containers.NextStopAsync(cancellationToken);
        await checks.Disposed.Task.WaitAsync(cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(unhealthy.Healthy, Is.False);
            Assert.That(grace, Is.EqualTo(TimeSpan.FromSeconds(6)));
            Assert.That(killed.Healthy, Is.False);
            Assert.That(killed.Message, Does.StartWith("Task killed because its health check failed 3 consecutive times"));
        }
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Checks_StoppedWhenKillStarts_LaterNotificationsIgnored(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start();
        h.Containers.ExitOnStop = false;
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1", t => t.HealthCheck = TcpHealthCheck())));
        await h.ExpectUpdateAsync("t1", TaskState.TaskStarting, cancellationToken);
        await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);
        FakeTaskChecks checks = await h.Checks.NextCreatedAsync(cancellationToken);

        agent.Push(ExecutorHarness.Kill("t1"));
        await checks.Disposed.Task.WaitAsync(cancellationToken);
        await checks.NotifyAsync(new HealthNotification(new TaskID { Value = "t1" }, Healthy: true, ConsecutiveFailures: 0, KillTask: false, Message: null));
        await h.WaitForLogAsync("CheckNotificationIgnored", 1, cancellationToken);
        await h.SettleAsync(cancellationToken);

        Assert.That(h.Agent.TryGetCall(out _), Is.False);
        h.Containers.ExitTask("t1", 143);
        TaskStatus killed = await h.ExpectUpdateAsync("t1", TaskState.TaskKilled, cancellationToken);
        Assert.That(killed.HasHealthy, Is.False, "not killed by its health check");
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Check_EveryUpdateCarriesCheckStatus_EmptyUntilFirstResult(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start();
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1", t => t.Check = HttpCheck())));
        TaskStatus starting = await h.ExpectUpdateAsync("t1", TaskState.TaskStarting, cancellationToken);
        TaskStatus running = await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);
        FakeTaskChecks checks = await h.Checks.NextCreatedAsync(cancellationToken);
        var result = new CheckStatusInfo { Type = CheckInfo.Types.Type.Http, Http = new CheckStatusInfo.Types.Http { StatusCode = 200 } };

        await checks.NotifyAsync(new CheckStatusNotification(new TaskID { Value = "t1" }, result));
        TaskStatus checkUpdate = await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);
        h.Containers.ExitTask("t1", 0);
        TaskStatus finished = await h.ExpectUpdateAsync("t1", TaskState.TaskFinished, cancellationToken);

        CheckStatusInfo empty = CheckStatuses.Empty(HttpCheck());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(starting.CheckStatus, Is.EqualTo(empty));
            Assert.That(running.CheckStatus, Is.EqualTo(empty));
            Assert.That(checkUpdate.CheckStatus, Is.EqualTo(result));
            Assert.That(checkUpdate.Reason, Is.EqualTo(TaskStatus.Types.Reason.TaskCheckStatusUpdated));
            Assert.That(checkUpdate.ContainerStatus, Is.EqualTo(running.ContainerStatus));
            Assert.That(checkUpdate.Data, Is.Empty, "check updates do not repeat TASK_RUNNING's data");
            Assert.That(finished.CheckStatus, Is.EqualTo(result));
        }
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task HealthUpdate_AfterCheckResult_CarriesLatestCheckStatus(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start();
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1", t =>
        {
            t.Check = HttpCheck();
            t.HealthCheck = TcpHealthCheck();
        })));
        await h.ExpectUpdateAsync("t1", TaskState.TaskStarting, cancellationToken);
        await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);
        FakeTaskChecks checks = await h.Checks.NextCreatedAsync(cancellationToken);
        var result = new CheckStatusInfo { Type = CheckInfo.Types.Type.Http, Http = new CheckStatusInfo.Types.Http { StatusCode = 503 } };

        await checks.NotifyAsync(new CheckStatusNotification(new TaskID { Value = "t1" }, result));
        await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);
        await checks.NotifyAsync(new HealthNotification(new TaskID { Value = "t1" }, Healthy: true, ConsecutiveFailures: 0, KillTask: false, Message: null));
        TaskStatus health = await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);

        Assert.That(health.CheckStatus, Is.EqualTo(result));
        Assert.That(health.Healthy, Is.True);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task CheckUpdate_AfterHealthResult_KeepsLastHealthy(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start();
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1", t =>
        {
            t.Check = HttpCheck();
            t.HealthCheck = TcpHealthCheck();
        })));
        await h.ExpectUpdateAsync("t1", TaskState.TaskStarting, cancellationToken);
        await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);
        FakeTaskChecks checks = await h.Checks.NextCreatedAsync(cancellationToken);
        var result = new CheckStatusInfo { Type = CheckInfo.Types.Type.Http, Http = new CheckStatusInfo.Types.Http { StatusCode = 200 } };

        await checks.NotifyAsync(new HealthNotification(new TaskID { Value = "t1" }, Healthy: false, ConsecutiveFailures: 1, KillTask: false, Message: "refused"));
        await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);
        await checks.NotifyAsync(new CheckStatusNotification(new TaskID { Value = "t1" }, result));
        TaskStatus check = await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(check.Reason, Is.EqualTo(TaskStatus.Types.Reason.TaskCheckStatusUpdated));
            Assert.That(check.HasHealthy, Is.True);
            Assert.That(check.Healthy, Is.False);
            Assert.That(check.CheckStatus, Is.EqualTo(result));
        }
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task ChecksDisabled_NotRunAndNoCheckStatus(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start(o => o.Options = new ExecutorOptions { ChecksEnabled = false, HealthChecksEnabled = false });
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1", t =>
        {
            t.Check = HttpCheck();
            t.HealthCheck = TcpHealthCheck();
        })));
        await h.ExpectUpdateAsync("t1", TaskState.TaskStarting, cancellationToken);
        TaskStatus running = await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);
        await h.SettleAsync(cancellationToken);

        Assert.That(h.Checks.NextCreatedAsync(CancellationToken.None).IsCompleted, Is.False);
        Assert.That(running.CheckStatus, Is.Null);
    }
}
