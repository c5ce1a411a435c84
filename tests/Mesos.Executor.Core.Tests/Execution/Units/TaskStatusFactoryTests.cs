using System;
using System.Collections.Generic;
using System.Net;
using Google.Protobuf;
using Mesos.Executor.Core;
using Mesos.Executor.Core.Execution;
using Mesos.V1;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;
using Reason = Mesos.V1.TaskStatus.Types.Reason;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Executor.Core.Tests.Execution.Units;

/// <summary>
/// Every status the executor sends, table by table, against Mesos's executors: src/docker/executor.cpp
/// (reaped: exit 0 TASK_FINISHED, else TASK_FAILED, a kill TASK_KILLED, <c>healthy=false</c> after a
/// kill by the health check, REASON_MAX_COMPLETION_TIME_REACHED and no TASK_KILLING for it; health
/// updates without the inspect data) and src/launcher/default_executor.cpp (REASON_CONTAINER_LIMITATION_MEMORY
/// for an OOM kill, TASK_DROPPED or TASK_LOST while shutting down, REASON_TASK_KILLED_DURING_LAUNCH).
/// </summary>
[TestFixture]
public sealed class TaskStatusFactoryTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static TaskStatusFactory Factory() =>
        new(new ExecutorID { Value = "e1" }, new AgentID { Value = "a1" }, new FakeTimeProvider(Now), () => ByteString.CopyFrom(new byte[16]));

    private static TrackedTask Task(Action<TrackedTask>? configure = null)
    {
        var task = new TrackedTask(new TaskInfo { TaskId = new TaskID { Value = "t1" }, Name = "t1", MaxCompletionTime = new DurationInfo { Nanoseconds = 5_000_000_000 } }, group: null);
        configure?.Invoke(task);
        return task;
    }

    public static IEnumerable<TestCaseData> TerminalCases()
    {
        // name, task set-up, exit, failure, launch failed => state, reason, message, healthy
        yield return new TestCaseData(null, new ContainerExit { ExitCode = 0 }, null, false, TaskState.TaskFinished, null, "Container exited with status 0", null).SetName("Exit0_Finished");
        yield return new TestCaseData(null, new ContainerExit { ExitCode = 3 }, null, false, TaskState.TaskFailed, null, "Container exited with status 3", null).SetName("ExitNonZero_Failed");
        yield return new TestCaseData(null, new ContainerExit { ExitCode = 1, Error = "exec format error" }, null, false, TaskState.TaskFailed, null, "Container exited with status 1: exec format error", null).SetName("ExitWithError_MessageCarriesIt");
        yield return new TestCaseData(null, new ContainerExit { ExitCode = 137, OomKilled = true }, null, false, TaskState.TaskFailed, Reason.ContainerLimitationMemory, "Container exited with status 137 (out of memory: the container's memory limit was reached)", null).SetName("OomKilled_FailedMemoryLimitation");
        yield return new TestCaseData(null, null, "create container failed: boom", true, TaskState.TaskFailed, Reason.ContainerLaunchFailed, "create container failed: boom", null).SetName("LaunchFailed_FailedLaunchReason");
        yield return new TestCaseData(null, null, "wait for container failed: gone", false, TaskState.TaskFailed, null, "wait for container failed: gone", null).SetName("WaitFailed_FailedNoReason");
        yield return new TestCaseData(null, null, null, false, TaskState.TaskFailed, null, "Failed to get the exit status of the container", null).SetName("NoExit_Failed");
        yield return new TestCaseData(Killed(KillCause.Framework, started: true), new ContainerExit { ExitCode = 0 }, null, false, TaskState.TaskKilled, null, "Container exited with status 0", null).SetName("Killed_Exit0_StillKilled");
        yield return new TestCaseData(Killed(KillCause.Framework, started: true), new ContainerExit { ExitCode = 143 }, null, false, TaskState.TaskKilled, null, "Container exited with status 143", null).SetName("Killed_Sigterm_Killed");
        yield return new TestCaseData(Killed(KillCause.Framework, started: false), null, null, false, TaskState.TaskKilled, Reason.TaskKilledDuringLaunch, "Task killed during launch", null).SetName("KilledBeforeStart_KilledDuringLaunch");
        yield return new TestCaseData(Killed(KillCause.HealthCheck, started: true, failures: 3), new ContainerExit { ExitCode = 143 }, null, false, TaskState.TaskKilled, null, "Task killed because its health check failed 3 consecutive times; Container exited with status 143", false).SetName("KilledByHealthCheck_KilledUnhealthy");
        yield return new TestCaseData(Killed(KillCause.MaxCompletionTime, started: true), new ContainerExit { ExitCode = 137 }, null, false, TaskState.TaskFailed, Reason.MaxCompletionTimeReached, "Task exceeded its max_completion_time of 00:00:05; Container exited with status 137", null).SetName("MaxCompletionTime_FailedWithReason");
        yield return new TestCaseData(Killed(KillCause.Framework, started: true), new ContainerExit { ExitCode = 137, OomKilled = true }, null, false, TaskState.TaskFailed, Reason.ContainerLimitationMemory, "Container exited with status 137 (out of memory: the container's memory limit was reached)", null).SetName("KilledButOom_OomWins");
        yield return new TestCaseData(Failed("The executor failed to report the running task: X"), new ContainerExit { ExitCode = 143 }, null, false, TaskState.TaskFailed, null, "The executor failed to report the running task: X; Container exited with status 143", null).SetName("ExecutorFailure_FailedWithBoth");
        yield return new TestCaseData(Failed("The executor failed to launch the task: X"), null, null, false, TaskState.TaskFailed, null, "The executor failed to launch the task: X", null).SetName("ExecutorFailure_NoExit");
    }

    [TestCaseSource(nameof(TerminalCases))]
    public void Terminal_MapsLikeMesosExecutors(
        object? setUp, ContainerExit? exit, string? failure, bool launchFailed, TaskState state, Reason? reason, string message, bool? healthy)
    {
        TaskStatus status = Factory().Terminal(Task((Action<TrackedTask>?)setUp), exit, failure, launchFailed);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(status.State, Is.EqualTo(state));
            Assert.That(status.HasReason ? status.Reason : (Reason?)null, Is.EqualTo(reason));
            Assert.That(status.Message, Is.EqualTo(message));
            Assert.That(status.HasHealthy ? status.Healthy : (bool?)null, Is.EqualTo(healthy));
        }
    }

    [Test]
    public void New_CarriesEveryFieldTheAgentValidates()
    {
        TaskStatus status = Factory().Starting(Task());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(status.State, Is.EqualTo(TaskState.TaskStarting));
            Assert.That(status.TaskId.Value, Is.EqualTo("t1"));
            Assert.That(status.ExecutorId.Value, Is.EqualTo("e1"));
            Assert.That(status.AgentId.Value, Is.EqualTo("a1"));
            Assert.That(status.Source, Is.EqualTo(TaskStatus.Types.Source.Executor));
            Assert.That(status.Uuid.Length, Is.EqualTo(16));
            Assert.That(status.Timestamp, Is.EqualTo(Now.ToUnixTimeSeconds()));
            Assert.That(status.HasReason || status.HasMessage || status.HasHealthy, Is.False);
            Assert.That(status.CheckStatus, Is.Null);
        }
    }

    [Test]
    public void NewUuid_IsRfc4122Version4()
    {
        ByteString uuid = TaskStatusFactory.NewUuid();

        Assert.That((uuid.Length, uuid[6] >> 4, uuid[8] & 0xC0), Is.EqualTo((16, 4, 0x80)));
    }

    [Test]
    public void Running_ExecutorContainerAddressesInTaskNetworkInfoAndInspectData()
    {
        TaskStatusFactory factory = Factory();
        factory.ExecutorContainerId = new ContainerID { Value = "c-exec" };
        TrackedTask task = Task();
        task.Launched.Container = new ContainerInfo { NetworkInfos = { new NetworkInfo { Name = "overlay", IpAddresses = { new NetworkInfo.Types.IPAddress { IpAddress = "old" } } } } };

        TaskStatus running = factory.Running(task, new ContainerDetails { Id = "x", IPAddresses = [IPAddress.Parse("10.0.0.2"), IPAddress.Parse("fd00::2")], RawData = [1, 2] });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(running.State, Is.EqualTo(TaskState.TaskRunning));
            Assert.That(running.ContainerStatus.ContainerId.Value, Is.EqualTo("c-exec"));
            NetworkInfo network = running.ContainerStatus.NetworkInfos[0];
            Assert.That(network.Name, Is.EqualTo("overlay"));
            Assert.That(network.IpAddresses[0].IpAddress, Is.EqualTo("10.0.0.2"));
            Assert.That(network.IpAddresses[0].HasProtocol, Is.False, "IPv4 is the default and left unset");
            Assert.That(network.IpAddresses[1].Protocol, Is.EqualTo(NetworkInfo.Types.Protocol.Ipv6));
            Assert.That(running.Data.ToByteArray(), Is.EqualTo(new byte[] { 1, 2 }));
        }
    }

    [Test]
    public void Running_NoContainerIdNoAddressesNoData_NoContainerStatus()
    {
        TaskStatus running = Factory().Running(Task(), new ContainerDetails { Id = "x" });

        Assert.That((running.ContainerStatus, running.Data.IsEmpty), Is.EqualTo(((ContainerStatus?)null, true)));
    }

    [Test]
    public void Health_FreshRunningWithReasonHealthyAndLastContainerStatusButNoData()
    {
        TaskStatusFactory factory = Factory();
        factory.ExecutorContainerId = new ContainerID { Value = "c-exec" };
        TrackedTask task = Task();
        task.LastStatus = factory.Running(task, new ContainerDetails { Id = "x", RawData = [1] });

        TaskStatus health = factory.Health(task, healthy: false);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((health.State, health.Reason, health.Healthy), Is.EqualTo((TaskState.TaskRunning, Reason.TaskHealthCheckStatusUpdated, false)));
            Assert.That(health.ContainerStatus, Is.EqualTo(task.LastStatus.ContainerStatus));
            Assert.That(health.Data.IsEmpty, Is.True);
            Assert.That(health.HasMessage, Is.False);
        }
    }

    [Test]
    public void Check_KeepsLastHealthyAndCarriesNewCheckStatus()
    {
        TaskStatusFactory factory = Factory();
        TrackedTask task = Task();
        task.LastStatus = factory.Health(task, healthy: true);
        var checkStatus = new CheckStatusInfo { Type = CheckInfo.Types.Type.Tcp, Tcp = new CheckStatusInfo.Types.Tcp { Succeeded = true } };

        TaskStatus check = factory.Check(task, checkStatus);

        Assert.That((check.Reason, check.Healthy, check.CheckStatus), Is.EqualTo((Reason.TaskCheckStatusUpdated, true, checkStatus)));
    }

    [Test]
    public void EveryStatus_CarriesTheTasksLatestCheckStatus()
    {
        TrackedTask task = Task(t => t.CheckStatus = new CheckStatusInfo { Type = CheckInfo.Types.Type.Command, Command = new CheckStatusInfo.Types.Command() });
        TaskStatusFactory factory = Factory();

        Assert.That(
            new[] { factory.Starting(task), factory.Killing(task), factory.Failed(task, "x"), factory.Terminal(task, new ContainerExit { ExitCode = 0 }, null, false) },
            Has.All.Property(nameof(TaskStatus.CheckStatus)).EqualTo(task.CheckStatus));
    }

    [TestCase(true, TaskState.TaskDropped)]
    [TestCase(false, TaskState.TaskLost)]
    public void Dropped_PartitionAwareGetsDroppedOthersLost(bool partitionAware, TaskState state)
    {
        TaskStatus status = Factory().Dropped(Task(), partitionAware);

        Assert.That((status.State, status.Message), Is.EqualTo((state, "The executor is shutting down")));
    }

    [Test]
    public void RefusedInvalidKilledDuringLaunch_StatesAndReasons()
    {
        TaskStatusFactory factory = Factory();

        Assert.That(
            new[] { factory.Refused(Task(), "no"), factory.Invalid(Task(), "bad"), factory.KilledDuringLaunch(Task()), factory.Killing(Task()) },
            Is.EqualTo(new[]
            {
                Expected(TaskState.TaskFailed, Reason.ContainerLaunchFailed, "no"),
                Expected(TaskState.TaskFailed, Reason.TaskInvalid, "bad"),
                Expected(TaskState.TaskKilled, Reason.TaskKilledDuringLaunch, "Task killed during launch"),
                Expected(TaskState.TaskKilling, null, null),
            }).Using<TaskStatus, TaskStatus>((a, b) => a.State == b.State && a.HasReason == b.HasReason && a.Reason == b.Reason && a.Message == b.Message));
    }

    private static TaskStatus Expected(TaskState state, Reason? reason, string? message)
    {
        var status = new TaskStatus { State = state };
        if (reason is { } r)
        {
            status.Reason = r;
        }

        if (message != null)
        {
            status.Message = message;
        }

        return status;
    }

    private static Action<TrackedTask> Killed(KillCause cause, bool started, int failures = 0) => t =>
    {
        t.Killing = true;
        t.KillCause = cause;
        t.Started = started;
        t.HealthCheckFailures = failures;
    };

    private static Action<TrackedTask> Failed(string message) => t =>
    {
        t.Started = true;
        t.ExecutorFailure = message;
    };

    [Test]
    public void Health_StatusCallback_SeesStateReasonAndHealthyAndAddsOnlyItsFields()
    {
        StatusUpdateContext? seen = null;
        var factory = new TaskStatusFactory(
            new ExecutorID { Value = "e1" },
            new AgentID { Value = "a1" },
            new FakeTimeProvider(Now),
            () => ByteString.CopyFrom(new byte[16]),
            configure: context =>
            {
                seen = context;
                context.Labels.Add(new Label { Key = "k", Value = "v" });
                context.Message = "custom";
            });

        TaskStatus status = factory.Health(Task(), healthy: false);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(seen!.State, Is.EqualTo(TaskState.TaskRunning));
            Assert.That(seen.Reason, Is.EqualTo(Reason.TaskHealthCheckStatusUpdated));
            Assert.That(seen.Healthy, Is.False);
            Assert.That(seen.Task.TaskId.Value, Is.EqualTo("t1"));
            Assert.That(status.Labels.Labels_, Has.Count.EqualTo(1));
            Assert.That(status.Message, Is.EqualTo("custom"));
            Assert.That(status.Reason, Is.EqualTo(Reason.TaskHealthCheckStatusUpdated));
            Assert.That(status.Healthy, Is.False);
            Assert.That(status.TaskId.Value, Is.EqualTo("t1"));
        }
    }
}
