using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core.Checks;
using Mesos.V1;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Moq;
using NUnit.Framework;

namespace Mesos.Executor.Core.Tests.Checks;

/// <summary>
/// The scheduling and interpretation rules of Mesos's checker library, driven by a
/// <see cref="FakeTimeProvider"/>: the runner's loops continue synchronously inside
/// <see cref="FakeTimeProvider.Advance"/> when the scripted probe completes synchronously.
/// </summary>
[TestFixture]
public sealed class TaskCheckRunnerTests
{
    private FakeTimeProvider _time = null!;
    private ScriptedProbe _probe = null!;
    private NotificationRecorder _recorder = null!;

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider();
        _probe = new ScriptedProbe();
        _recorder = new NotificationRecorder();
    }

    /// <summary>
    /// Advances the clock with no synchronization context, so that the runner's continuations run
    /// inline (the runtime never inlines continuations under a custom context such as NUnit's).
    /// </summary>
    private void Advance(double seconds) => WithoutContext(() => _time.Advance(TimeSpan.FromSeconds(seconds)));

    private TaskCheckRunner Start(TaskInfo task, FakeLogger? logger = null)
    {
        var runner = CheckTasks.Runner(task, _probe, _time, _recorder, logger);
        WithoutContext(runner.Start);
        return runner;
    }

    private static void WithoutContext(Action action)
    {
        var context = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            action();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(context);
        }
    }

    // ---- scheduling ----

    [Test]
    [CancelAfter(10_000)]
    public async Task Start_DefaultDelay_FirstProbeAfterFifteenSeconds(CancellationToken cancellationToken)
    {
        var healthCheck = new HealthCheck { Type = HealthCheck.Types.Type.Tcp, Tcp = new HealthCheck.Types.TCPCheckInfo { Port = 1 } };
        await using var runner = Start(CheckTasks.WithHealthCheck(healthCheck));

        Advance(14.999);
        Assert.That(_probe.Calls, Is.Zero);
        Advance(0.001);
        Assert.That(_probe.Calls, Is.EqualTo(1));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Start_DefaultInterval_NextProbeTenSecondsAfterCompletion(CancellationToken cancellationToken)
    {
        // The first probe takes 5 s; the second starts 10 s after it completed, not 10 s after it started.
        _probe.Then(async ct =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5), _time, ct).ConfigureAwait(false);
            return ScriptedProbe.Pass;
        });
        var healthCheck = new HealthCheck { Type = HealthCheck.Types.Type.Tcp, Tcp = new HealthCheck.Types.TCPCheckInfo { Port = 1 } };
        await using var runner = Start(CheckTasks.WithHealthCheck(healthCheck));

        Advance(15);
        Assert.That(_probe.Calls, Is.EqualTo(1));
        Advance(5);
        Advance(9.999);
        Assert.That(_probe.Calls, Is.EqualTo(1));
        Advance(0.001);
        Assert.That(_probe.Calls, Is.EqualTo(2));
        Advance(10);
        Assert.That(_probe.Calls, Is.EqualTo(3));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Start_ZeroDelay_ProbesImmediately(CancellationToken cancellationToken)
    {
        await using var runner = Start(CheckTasks.WithHealthCheck(CheckTasks.TcpHealthCheck(delay: 0)));

        Assert.That(_probe.Calls, Is.EqualTo(1));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Start_ZeroInterval_KeepsProbingWithoutBlockingTheCaller(CancellationToken cancellationToken)
    {
        await using var runner = Start(CheckTasks.WithHealthCheck(CheckTasks.TcpHealthCheck(delay: 0, interval: 0)));

        while (_probe.Calls < 5)
        {
            await Task.Yield();
        }

        Assert.That(_probe.Calls, Is.GreaterThanOrEqualTo(5));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Start_Twice_Throws(CancellationToken cancellationToken)
    {
        await using var runner = Start(CheckTasks.WithHealthCheck(CheckTasks.TcpHealthCheck()));

        Assert.That(runner.Start, Throws.InvalidOperationException);
    }

    // ---- health checks: notifications ----

    [Test]
    [CancelAfter(10_000)]
    public async Task HealthCheck_FirstSuccess_NotifiesHealthyOnce(CancellationToken cancellationToken)
    {
        _probe.Then(ScriptedProbe.Pass, ScriptedProbe.Pass, ScriptedProbe.Pass);
        await using var runner = Start(CheckTasks.WithHealthCheck(CheckTasks.TcpHealthCheck(delay: 1, interval: 1)));

        Advance(1);
        Advance(1);
        Advance(1);

        Assert.That(_probe.Calls, Is.EqualTo(3));
        Assert.That(_recorder.Health, Has.Count.EqualTo(1));
        var healthy = _recorder.Health[0];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(healthy.Healthy, Is.True);
            Assert.That(healthy.KillTask, Is.False);
            Assert.That(healthy.ConsecutiveFailures, Is.Zero);
            Assert.That(healthy.TaskId.Value, Is.EqualTo("task-1"));
        }
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task HealthCheck_Flapping_NotifiesEveryFailureAndFirstSuccessAfterThem(CancellationToken cancellationToken)
    {
        // true, false x2, true, true, false, true
        _probe.Then(ScriptedProbe.Pass, ScriptedProbe.Fail, ScriptedProbe.Fail, ScriptedProbe.Pass, ScriptedProbe.Pass, ScriptedProbe.Fail, ScriptedProbe.Pass);
        await using var runner = Start(CheckTasks.WithHealthCheck(CheckTasks.TcpHealthCheck(delay: 0, interval: 1, consecutiveFailures: 5)));

        for (int i = 0; i < 6; i++)
        {
            Advance(1);
        }

        var seen = _recorder.Health.Select(n => (n.Healthy, n.ConsecutiveFailures, n.KillTask)).ToArray();
        Assert.That(seen, Is.EqualTo(new[]
        {
            (true, 0, false),
            (false, 1, false),
            (false, 2, false),
            (true, 0, false),
            (false, 1, false),
            (true, 0, false),
        }));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task HealthCheck_ConsecutiveFailuresReached_KillsAndStopsChecking(CancellationToken cancellationToken)
    {
        _probe.Fallback = _ => Task.FromResult(ScriptedProbe.Fail);
        await using var runner = Start(CheckTasks.WithHealthCheck(CheckTasks.TcpHealthCheck(delay: 0, interval: 1, grace: 0, consecutiveFailures: 3)));

        Advance(1);
        Advance(1);
        Advance(100);

        Assert.That(_probe.Calls, Is.EqualTo(3));
        var seen = _recorder.Health.Select(n => (n.Healthy, n.ConsecutiveFailures, n.KillTask)).ToArray();
        Assert.That(seen, Is.EqualTo(new[] { (false, 1, false), (false, 2, false), (false, 3, true) }));
        Assert.That(_recorder.Health[2].Message, Does.Contain("3 times").And.Contain("scripted failure"));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task HealthCheck_SuccessBetweenFailures_ResetsTheCount(CancellationToken cancellationToken)
    {
        _probe.Then(ScriptedProbe.Fail, ScriptedProbe.Fail, ScriptedProbe.Pass, ScriptedProbe.Fail, ScriptedProbe.Fail, ScriptedProbe.Fail);
        await using var runner = Start(CheckTasks.WithHealthCheck(CheckTasks.TcpHealthCheck(delay: 0, interval: 1, grace: 0, consecutiveFailures: 3)));

        for (int i = 0; i < 5; i++)
        {
            Advance(1);
        }

        var kills = _recorder.Health.Where(n => n.KillTask).ToList();
        Assert.That(kills, Has.Count.EqualTo(1));
        Assert.That(_recorder.Health.Last().ConsecutiveFailures, Is.EqualTo(3));
        Assert.That(_probe.Calls, Is.EqualTo(6));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task HealthCheck_TimedOutProbe_CountsAsFailure(CancellationToken cancellationToken)
    {
        _probe.Then(ScriptedProbe.Timeout);
        await using var runner = Start(CheckTasks.WithHealthCheck(CheckTasks.TcpHealthCheck(delay: 0, grace: 0)));

        Assert.That(_recorder.Health, Has.Count.EqualTo(1));
        Assert.That(_recorder.Health[0].Healthy, Is.False);
        Assert.That(_recorder.Health[0].ConsecutiveFailures, Is.EqualTo(1));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task HealthCheck_ProbeIgnoringItsTimeout_IsAbandonedAndCountsAsFailure(CancellationToken cancellationToken)
    {
        var hung = new TaskCompletionSource<ProbeResult>();
        _probe.Then(_ => hung.Task);
        await using var runner = Start(CheckTasks.WithHealthCheck(CheckTasks.TcpHealthCheck(delay: 0, interval: 1, grace: 0, timeout: 2)));

        Advance(2);
        Assert.That(_recorder.Health, Is.Empty, "the probe gets its own timeout first");
        Advance(1);

        Assert.That(_recorder.Health, Has.Count.EqualTo(1));
        Assert.That(_recorder.Health[0].Healthy, Is.False);
        Assert.That(_probe.Tokens[0].IsCancellationRequested, Is.True, "the abandoned probe is cancelled");
        Advance(1);
        Assert.That(_probe.Calls, Is.EqualTo(2));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task HealthCheck_ProbeThrows_CountsAsFailure(CancellationToken cancellationToken)
    {
        _probe.Then(_ => Task.FromException<ProbeResult>(new InvalidOperationException("boom")));
        await using var runner = Start(CheckTasks.WithHealthCheck(CheckTasks.TcpHealthCheck(delay: 0, grace: 0)));

        Assert.That(_recorder.Health, Has.Count.EqualTo(1));
        Assert.That(_recorder.Health[0].Message, Does.Contain("boom"));
    }

    // ---- health checks: grace period ----

    [Test]
    [CancelAfter(10_000)]
    public async Task HealthCheck_FailuresWithinGrace_AreIgnored(CancellationToken cancellationToken)
    {
        _probe.Fallback = _ => Task.FromResult(ScriptedProbe.Fail);
        await using var runner = Start(CheckTasks.WithHealthCheck(CheckTasks.TcpHealthCheck(delay: 0, interval: 2, grace: 10)));

        // Probes at 0, 2, 4, 6, 8, 10: all within grace (elapsed <= grace, as Mesos compares).
        for (int i = 0; i < 5; i++)
        {
            Advance(2);
        }

        Assert.That(_probe.Calls, Is.EqualTo(6));
        Assert.That(_recorder.All, Is.Empty);

        // The probe at 12 s is past grace: the first counted failure.
        Advance(2);
        Assert.That(_recorder.Health.Select(n => n.ConsecutiveFailures), Is.EqualTo(new[] { 1 }));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task HealthCheck_GraceExpiredBeforeFirstProbe_FailuresCountAtOnce(CancellationToken cancellationToken)
    {
        // Grace includes the delay: a delay longer than grace leaves no grace at all.
        _probe.Fallback = _ => Task.FromResult(ScriptedProbe.Fail);
        await using var runner = Start(CheckTasks.WithHealthCheck(CheckTasks.TcpHealthCheck(delay: 15, grace: 10)));

        Advance(15);

        Assert.That(_recorder.Health, Has.Count.EqualTo(1));
        Assert.That(_recorder.Health[0].ConsecutiveFailures, Is.EqualTo(1));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task HealthCheck_SuccessWithinGrace_EndsGraceForGood(CancellationToken cancellationToken)
    {
        _probe.Then(ScriptedProbe.Fail, ScriptedProbe.Pass, ScriptedProbe.Fail);
        await using var runner = Start(CheckTasks.WithHealthCheck(CheckTasks.TcpHealthCheck(delay: 0, interval: 1, grace: 1000)));

        Advance(1);
        Advance(1);

        var seen = _recorder.Health.Select(n => (n.Healthy, n.ConsecutiveFailures)).ToArray();
        Assert.That(seen, Is.EqualTo(new[] { (true, 0), (false, 1) }), "the failure before the success is ignored, the one after it counts");
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task HealthCheck_ZeroGrace_CountsTheFirstFailure(CancellationToken cancellationToken)
    {
        _probe.Then(ScriptedProbe.Fail);
        await using var runner = Start(CheckTasks.WithHealthCheck(CheckTasks.TcpHealthCheck(delay: 0, grace: 0)));

        Assert.That(_recorder.Health, Has.Count.EqualTo(1));
    }

    // ---- health checks: probe requests ----

    [Test]
    [CancelAfter(10_000)]
    public async Task HealthCheck_HttpsDefinition_ProbesHttpsWithDefaults(CancellationToken cancellationToken)
    {
        var healthCheck = new HealthCheck
        {
            Type = HealthCheck.Types.Type.Http,
            Http = new HealthCheck.Types.HTTPCheckInfo { Port = 8443, Scheme = "https", Protocol = NetworkInfo.Types.Protocol.Ipv6 },
            DelaySeconds = 0,
        };
        await using var runner = Start(CheckTasks.WithHealthCheck(healthCheck));

        var request = _probe.Requests.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(request.Kind, Is.EqualTo(ProbeKind.Https));
            Assert.That(request.Port, Is.EqualTo(8443));
            Assert.That(request.Path, Is.EqualTo("/"));
            Assert.That(request.IPv6, Is.True);
            Assert.That(request.Timeout, Is.EqualTo(TimeSpan.FromSeconds(20)));
            Assert.That(request.Container, Is.SameAs(CheckTasks.Container));
        }
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task HealthCheck_CommandDefinition_PassesTheCommand(CancellationToken cancellationToken)
    {
        var healthCheck = new HealthCheck
        {
            Type = HealthCheck.Types.Type.Command,
            Command = new CommandInfo { Value = "test -f /ready", User = "nobody" },
            DelaySeconds = 0,
            TimeoutSeconds = 0,
        };
        await using var runner = Start(CheckTasks.WithHealthCheck(healthCheck));

        var request = _probe.Requests.Single();
        Assert.That(request.Kind, Is.EqualTo(ProbeKind.Command));
        Assert.That(request.Command, Is.EqualTo(healthCheck.Command));
        Assert.That(request.Timeout, Is.EqualTo(TimeSpan.Zero), "0 means no timeout");
    }

    // ---- generalized checks ----

    [Test]
    [CancelAfter(10_000)]
    public async Task Check_SameResultTwice_NotifiesOnlyChanges(CancellationToken cancellationToken)
    {
        _probe.Then(
            new ProbeResult { Succeeded = true, ExitCode = 0 },
            new ProbeResult { Succeeded = true, ExitCode = 0 },
            new ProbeResult { Succeeded = false, ExitCode = 1 },
            new ProbeResult { Succeeded = false, ExitCode = 1 },
            new ProbeResult { Succeeded = true, ExitCode = 0 });
        await using var runner = Start(CheckTasks.WithCheck(CheckTasks.CommandCheck(delay: 0, interval: 1)));

        for (int i = 0; i < 4; i++)
        {
            Advance(1);
        }

        Assert.That(_probe.Calls, Is.EqualTo(5));
        var exitCodes = _recorder.Statuses.Select(s => s.Command.ExitCode).ToArray();
        Assert.That(exitCodes, Is.EqualTo(new[] { 0, 1, 0 }));
        Assert.That(_recorder.Statuses.All(s => s.Type == CheckInfo.Types.Type.Command), Is.True);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Check_TimeoutAfterResult_NotifiesEmptyResultOfItsType(CancellationToken cancellationToken)
    {
        _probe.Then(new ProbeResult { Succeeded = true, ExitCode = 0 }, ScriptedProbe.Timeout, ScriptedProbe.Timeout);
        await using var runner = Start(CheckTasks.WithCheck(CheckTasks.CommandCheck(delay: 0, interval: 1)));

        Advance(1);
        Advance(1);

        Assert.That(_recorder.Statuses, Has.Count.EqualTo(2));
        var empty = _recorder.Statuses[1];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(empty.Type, Is.EqualTo(CheckInfo.Types.Type.Command));
            Assert.That(empty.Command, Is.Not.Null);
            Assert.That(empty.Command.HasExitCode, Is.False);
            Assert.That(empty, Is.EqualTo(CheckStatuses.Empty(CheckTasks.CommandCheck())));
        }
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Check_FirstResultEmpty_IsNotNotified(CancellationToken cancellationToken)
    {
        // The previous status starts as the empty one (Mesos's Checker), so a first timeout is no change.
        _probe.Then(ScriptedProbe.Timeout, new ProbeResult { Succeeded = false, ExitCode = 3 });
        await using var runner = Start(CheckTasks.WithCheck(CheckTasks.CommandCheck(delay: 0, interval: 1)));

        Assert.That(_recorder.All, Is.Empty);
        Advance(1);
        Assert.That(_recorder.Statuses.Select(s => s.Command.ExitCode), Is.EqualTo(new[] { 3 }));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Check_Http_ReportsStatusCodesAndEmptyOnError(CancellationToken cancellationToken)
    {
        var check = new CheckInfo
        {
            Type = CheckInfo.Types.Type.Http,
            Http = new CheckInfo.Types.Http { Port = 80, Path = "/status" },
            DelaySeconds = 0,
            IntervalSeconds = 1,
        };
        _probe.Then(
            new ProbeResult { Succeeded = true, StatusCode = 200 },
            new ProbeResult { Succeeded = false, StatusCode = 503 },
            new ProbeResult { Succeeded = false, Message = "connection refused" });
        await using var runner = Start(CheckTasks.WithCheck(check));

        Advance(1);
        Advance(1);

        var statuses = _recorder.Statuses;
        Assert.That(statuses.Select(s => s.Http.HasStatusCode ? (int)s.Http.StatusCode : -1), Is.EqualTo(new[] { 200, 503, -1 }));
        Assert.That(_probe.Requests[0].Kind, Is.EqualTo(ProbeKind.Http));
        Assert.That(_probe.Requests[0].Path, Is.EqualTo("/status"));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Check_TcpRefused_ReportsSucceededFalse(CancellationToken cancellationToken)
    {
        var check = new CheckInfo { Type = CheckInfo.Types.Type.Tcp, Tcp = new CheckInfo.Types.Tcp { Port = 80 }, DelaySeconds = 0, IntervalSeconds = 1 };
        _probe.Then(new ProbeResult { Succeeded = false, Message = "refused" }, new ProbeResult { Succeeded = true });
        await using var runner = Start(CheckTasks.WithCheck(check));

        Advance(1);

        var statuses = _recorder.Statuses;
        Assert.That(statuses, Has.Count.EqualTo(2));
        Assert.That(statuses[0].Tcp.HasSucceeded && !statuses[0].Tcp.Succeeded, Is.True);
        Assert.That(statuses[1].Tcp.Succeeded, Is.True);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Check_Failures_NeverKillOrNotifyHealth(CancellationToken cancellationToken)
    {
        _probe.Fallback = _ => Task.FromResult(new ProbeResult { Succeeded = false, ExitCode = 1 });
        await using var runner = Start(CheckTasks.WithCheck(CheckTasks.CommandCheck(delay: 0, interval: 1)));

        for (int i = 0; i < 10; i++)
        {
            Advance(1);
        }

        Assert.That(_probe.Calls, Is.EqualTo(11));
        Assert.That(_recorder.Health, Is.Empty);
        Assert.That(_recorder.Statuses, Has.Count.EqualTo(1));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Start_HealthCheckAndCheck_RunIndependently(CancellationToken cancellationToken)
    {
        var task = CheckTasks.WithHealthCheck(CheckTasks.TcpHealthCheck(delay: 5, interval: 5));
        task.Check = CheckTasks.CommandCheck(delay: 1, interval: 1);
        await using var runner = Start(task);

        Advance(1);
        Assert.That(_probe.Requests.Select(r => r.Kind), Is.EqualTo(new[] { ProbeKind.Command }));
        for (int i = 0; i < 4; i++)
        {
            Advance(1);
        }

        Assert.That(_probe.Requests.Count(r => r.Kind == ProbeKind.Tcp), Is.EqualTo(1));
        Assert.That(_probe.Requests.Count(r => r.Kind == ProbeKind.Command), Is.EqualTo(5));
    }

    // ---- lifetime ----

    [Test]
    [CancelAfter(10_000)]
    public async Task DisposeAsync_WhileWaiting_StopsChecks(CancellationToken cancellationToken)
    {
        var runner = Start(CheckTasks.WithHealthCheck(CheckTasks.TcpHealthCheck(delay: 0, interval: 1)));
        Assert.That(_probe.Calls, Is.EqualTo(1));

        await runner.DisposeAsync();
        Advance(100);

        Assert.That(_probe.Calls, Is.EqualTo(1));
        Assert.That(runner.Start, Throws.InstanceOf<ObjectDisposedException>());
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task DisposeAsync_DuringProbe_CancelsTheProbeAndReturns(CancellationToken cancellationToken)
    {
        // The probe ignores cancellation: disposal still returns, and the probe's token is cancelled.
        var hung = new TaskCompletionSource<ProbeResult>();
        _probe.Then(_ => hung.Task);
        var runner = Start(CheckTasks.WithHealthCheck(CheckTasks.TcpHealthCheck(delay: 0, timeout: 0)));

        await runner.DisposeAsync();

        Assert.That(_probe.Tokens[0].IsCancellationRequested, Is.True);
        Assert.That(_recorder.All, Is.Empty);
        hung.SetResult(ScriptedProbe.Fail);
        Assert.That(_recorder.All, Is.Empty);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task DisposeAsync_Twice_IsIdempotent(CancellationToken cancellationToken)
    {
        var runner = Start(CheckTasks.WithCheck(CheckTasks.CommandCheck()));

        var first = runner.DisposeAsync().AsTask();
        var second = runner.DisposeAsync().AsTask();
        await Task.WhenAll(first, second);

        Assert.That(first.IsCompletedSuccessfully && second.IsCompletedSuccessfully, Is.True);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task DisposeAsync_NeverStarted_Completes(CancellationToken cancellationToken)
    {
        var runner = CheckTasks.Runner(CheckTasks.WithCheck(CheckTasks.CommandCheck()), _probe, _time, _recorder);

        await runner.DisposeAsync();

        Assert.That(_probe.Calls, Is.Zero);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Notify_Throws_IsLoggedAndChecksContinue(CancellationToken cancellationToken)
    {
        var logger = new FakeLogger();
        int calls = 0;
        var runner = new TaskCheckRunner(
            CheckTasks.WithHealthCheck(CheckTasks.TcpHealthCheck(delay: 0, interval: 1, grace: 0, consecutiveFailures: 10)),
            CheckTasks.Container,
            new Mock<IContainerizer>(MockBehavior.Strict).Object,
            _probe.Mock.Object,
            _time,
            logger,
            (_, _) =>
            {
                calls++;
                throw new InvalidOperationException("channel closed");
            });
        _probe.Fallback = _ => Task.FromResult(ScriptedProbe.Fail);
        await using (runner)
        {
            WithoutContext(runner.Start);
            Advance(1);
        }

        Assert.That(calls, Is.EqualTo(2));
        Assert.That(logger.Collector.GetSnapshot().Count(r => r.Id.Id == 1531 && r.Level == LogLevel.Error), Is.EqualTo(2));
    }

    [Test]
    public void Constructor_InvalidCheck_ThrowsNamingTheField()
    {
        var task = CheckTasks.WithHealthCheck(new HealthCheck { Type = HealthCheck.Types.Type.Http, Http = new HealthCheck.Types.HTTPCheckInfo { Port = 80, Path = "x" } });

        Assert.That(
            () => CheckTasks.Runner(task, _probe, _time, _recorder),
            Throws.ArgumentException.With.Message.Contains("health_check.http.path must start with '/'"));
    }

    [Test]
    public void HasChecks_ReportsPresence()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(TaskCheckRunner.HasChecks(new TaskInfo()), Is.False);
            Assert.That(TaskCheckRunner.HasChecks(CheckTasks.WithHealthCheck(CheckTasks.TcpHealthCheck())), Is.True);
            Assert.That(TaskCheckRunner.HasChecks(CheckTasks.WithCheck(CheckTasks.CommandCheck())), Is.True);
        }
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task HealthCheck_Events_AreLoggedWithTheTaskId(CancellationToken cancellationToken)
    {
        var logger = new FakeLogger();
        _probe.Then(ScriptedProbe.Pass, ScriptedProbe.Fail);
        await using var runner = Start(CheckTasks.WithHealthCheck(CheckTasks.TcpHealthCheck(delay: 0, interval: 1)), logger);

        Advance(1);

        var records = logger.Collector.GetSnapshot();
        Assert.That(records.Select(r => r.Id.Id), Does.Contain(1511).And.Contain(1512));
        Assert.That(records.Where(r => r.Id.Id == 1512).Single().Message, Does.Contain("task-1"));
    }
}
