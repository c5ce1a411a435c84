using System;
using Mesos.Executor.Core;
using Mesos.Executor.Core.Execution;
using Mesos.V1;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace Mesos.Executor.Core.Tests.Execution.Units;

[TestFixture]
public sealed class ShutdownCoordinatorTests
{
    private static ShutdownCoordinator Coordinator(TimeSpan? grace = null) => new(
        new ExecutorSettings { FrameworkId = new FrameworkID { Value = "f" }, ExecutorId = new ExecutorID { Value = "e" }, ShutdownGracePeriod = grace ?? TimeSpan.FromSeconds(5) },
        new LoopFlows(new LoopInbox(), new FakeTimeProvider()),
        NullLogger.Instance);

    [Test]
    public void Evaluate_NothingLaunchedNotShuttingDown_Waits()
    {
        ShutdownCoordinator shutdown = Coordinator();

        shutdown.Evaluate(anyTaskLive: false, unacknowledged: 0, canDeliver: true, refused: false);

        Assert.That(shutdown.ExitCode, Is.Null);
    }

    [TestCase(false, ExecutorExitCodes.Success)]
    [TestCase(true, ExecutorExitCodes.ConfigurationError)]
    public void Evaluate_TasksEndedAllAcknowledged_Exits(bool refused, int exitCode)
    {
        ShutdownCoordinator shutdown = Coordinator();
        shutdown.TaskLaunched();

        shutdown.Evaluate(anyTaskLive: true, unacknowledged: 0, canDeliver: true, refused);
        Assert.That(shutdown.ExitCode, Is.Null, "a task is live");
        shutdown.Evaluate(anyTaskLive: false, unacknowledged: 0, canDeliver: true, refused);

        Assert.That(shutdown.ExitCode, Is.EqualTo(exitCode));
    }

    [Test]
    public void Evaluate_UnacknowledgedButDeliverable_WaitsThenUndeliverable_Exits()
    {
        ShutdownCoordinator shutdown = Coordinator();
        shutdown.TaskLaunched();

        shutdown.Evaluate(anyTaskLive: false, unacknowledged: 1, canDeliver: true, refused: false);
        Assert.That(shutdown.ExitCode, Is.Null);
        shutdown.Evaluate(anyTaskLive: false, unacknowledged: 1, canDeliver: false, refused: false);

        Assert.That(shutdown.ExitCode, Is.EqualTo(ExecutorExitCodes.Success));
    }

    [Test]
    public void TryBegin_Once_KillGraceIsPeriodMinusBuffer_ShutdownExitCodeKept()
    {
        ShutdownCoordinator shutdown = Coordinator(TimeSpan.FromSeconds(10));

        Assert.That(shutdown.TryBegin(ExecutorExitCodes.AgentError, liveTasks: 1, out TimeSpan grace), Is.True);
        Assert.That(shutdown.TryBegin(ExecutorExitCodes.Success, liveTasks: 1, out _), Is.False);
        shutdown.Evaluate(anyTaskLive: false, unacknowledged: 0, canDeliver: true, refused: false);

        Assert.That((grace, shutdown.ExitCode), Is.EqualTo((TimeSpan.FromSeconds(8), (int?)ExecutorExitCodes.AgentError)));
    }

    [Test]
    public void Exit_FirstDecisionStands()
    {
        ShutdownCoordinator shutdown = Coordinator();

        shutdown.Exit(ExecutorExitCodes.RecoveryTimeout);
        shutdown.Exit(ExecutorExitCodes.Success);

        Assert.That(shutdown.ExitCode, Is.EqualTo(ExecutorExitCodes.RecoveryTimeout));
    }

    [Test]
    public void Request_SeenUntilShutdownBegins()
    {
        ShutdownCoordinator shutdown = Coordinator();
        Assert.That(shutdown.Requested, Is.False);

        shutdown.Request();
        Assert.That(shutdown.Requested, Is.True);
        shutdown.TryBegin(ExecutorExitCodes.Success, 0, out _);

        Assert.That(shutdown.Requested, Is.False);
    }
}
