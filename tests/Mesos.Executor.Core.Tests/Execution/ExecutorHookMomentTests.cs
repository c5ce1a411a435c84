using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.Executor.Core.Checks;
using Mesos.V1;
using NUnit.Framework;
using Capability = Mesos.V1.FrameworkInfo.Types.Capability.Types.Type;

namespace Mesos.Executor.Core.Tests.Execution;

/// <summary>The moments of a running task: ready, health-changed, draining and the drain delay.</summary>
[TestFixture]
public sealed class ExecutorHookMomentTests
{
    private static HealthCheck TcpHealthCheck() => new()
    {
        Type = HealthCheck.Types.Type.Tcp,
        Tcp = new HealthCheck.Types.TCPCheckInfo { Port = 8080 },
    };

    private static HealthNotification Health(bool healthy, int failures = 0, bool kill = false) =>
        new(new TaskID { Value = "t1" }, healthy, failures, kill, healthy ? null : "refused");

    private static async Task<(ExecutorHarness Harness, SubscriptionAttempt Agent)> RunningAsync(
        RecordingHook hook,
        CancellationToken cancellationToken,
        Action<TaskInfo>? configureTask = null,
        ExecutorOptions? options = null,
        FrameworkInfo? framework = null)
    {
        ExecutorHarness h = ExecutorHarness.Start(o =>
        {
            o.Hooks.Add(hook);
            o.Options = options ?? new ExecutorOptions();
        });
        h.AutoAcknowledge = true;
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken, framework ?? ExecutorHarness.Framework(Capability.TaskKillingState));
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1", configureTask)));
        await h.ExpectUpdateAsync("t1", TaskState.TaskStarting, cancellationToken);
        await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);
        return (h, agent);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Ready_NoHealthCheck_RunsOnceAfterTaskRunningWithContainerDetails(CancellationToken cancellationToken)
    {
        var hook = new RecordingHook();
        (ExecutorHarness h, SubscriptionAttempt agent) = await RunningAsync(hook, cancellationToken);
        await using (h)
        {
            HookCall ready = await hook.NextAsync(HookPhase.Ready, cancellationToken);
            Assert.That(ready.State, Is.EqualTo(TaskState.TaskRunning));
            Assert.That(ready.ContainerIPs, Is.EqualTo(new[] { "172.17.0.2" }));
            Assert.That(ready.Healthy, Is.Null);

            agent.Push(ExecutorHarness.Kill("t1"));
            await h.ExpectUpdateAsync("t1", TaskState.TaskKilling, cancellationToken);
            await h.ExpectUpdateAsync("t1", TaskState.TaskKilled, cancellationToken);
            await hook.NextAsync(HookPhase.PostStop, cancellationToken);
            Assert.That(hook.Phases(), Is.EqualTo(new[]
            {
                HookPhase.PreCreate, HookPhase.PreRun, HookPhase.PostRun, HookPhase.Ready,
                HookPhase.Draining, HookPhase.PreStop, HookPhase.PostStop,
            }));
        }
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task HealthChanged_EachVerdictChange_FirstHealthyMakesReady(CancellationToken cancellationToken)
    {
        var hook = new RecordingHook();
        (ExecutorHarness h, SubscriptionAttempt agent) = await RunningAsync(hook, cancellationToken, t => t.HealthCheck = TcpHealthCheck());
        await using (h)
        {
            FakeTaskChecks checks = await h.Checks.NextCreatedAsync(cancellationToken);
            await checks.NotifyAsync(Health(false, 1));
            await checks.NotifyAsync(Health(false, 2));
            await checks.NotifyAsync(Health(true));
            await checks.NotifyAsync(Health(true));
            await checks.NotifyAsync(Health(false, 1));
            await checks.NotifyAsync(Health(true));
            for (int i = 0; i < 6; i++)
            {
                await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);
            }

            agent.Push(ExecutorHarness.Kill("t1"));
            await h.ExpectUpdateAsync("t1", TaskState.TaskKilling, cancellationToken);
            await h.ExpectUpdateAsync("t1", TaskState.TaskKilled, cancellationToken);
            await hook.NextAsync(HookPhase.PostStop, cancellationToken);

            string[] moments = hook.Calls
                .Where(c => c.Phase is HookPhase.Ready or HookPhase.HealthChanged)
                .Select(c => $"{c.Phase}:{c.Healthy}")
                .ToArray();
            Assert.That(moments, Is.EqualTo(new[]
            {
                "HealthChanged:False", "Ready:True", "HealthChanged:True", "HealthChanged:False", "HealthChanged:True",
            }));
            Assert.That(hook.Calls.Single(c => c.Phase == HookPhase.PostStop).State, Is.EqualTo(TaskState.TaskKilled), "post-stop sees the terminal update");
        }
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task HealthChanged_CheckResultChanges_CarriesTheCheckStatus(CancellationToken cancellationToken)
    {
        var hook = new RecordingHook();
        (ExecutorHarness h, SubscriptionAttempt agent) = await RunningAsync(hook, cancellationToken, t => t.Check = new CheckInfo
        {
            Type = CheckInfo.Types.Type.Http,
            Http = new CheckInfo.Types.Http { Port = 8080, Path = "/ready" },
        });
        await using (h)
        {
            await hook.NextAsync(HookPhase.Ready, cancellationToken);
            FakeTaskChecks checks = await h.Checks.NextCreatedAsync(cancellationToken);
            var status = new CheckStatusInfo { Type = CheckInfo.Types.Type.Http, Http = new CheckStatusInfo.Types.Http { StatusCode = 503 } };
            await checks.NotifyAsync(new CheckStatusNotification(new TaskID { Value = "t1" }, status));

            HookCall changed = await hook.NextAsync(HookPhase.HealthChanged, cancellationToken);
            Assert.That(changed.CheckStatus, Is.EqualTo(status));
            Assert.That(changed.Healthy, Is.Null);
            await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);
            agent.Push(ExecutorHarness.Kill("t1"));
            await h.ExpectUpdateAsync("t1", TaskState.TaskKilling, cancellationToken);
        }
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Draining_Kill_RunsAfterTaskKillingAndBeforePreStopAndTheStop(CancellationToken cancellationToken)
    {
        var hook = new RecordingHook();
        (ExecutorHarness h, SubscriptionAttempt agent) = await RunningAsync(hook, cancellationToken);
        await using (h)
        {
            agent.Push(ExecutorHarness.Kill("t1"));
            await h.ExpectUpdateAsync("t1", TaskState.TaskKilling, cancellationToken);
            HookCall draining = await hook.NextAsync(HookPhase.Draining, cancellationToken);
            await h.Containers.NextStopAsync(cancellationToken);
            await h.ExpectUpdateAsync("t1", TaskState.TaskKilled, cancellationToken);

            Assert.That(draining.State, Is.EqualTo(TaskState.TaskKilling));
            Assert.That(draining.StoppedBefore, Is.False, "draining runs before the stop signal");
            Assert.That(hook.Calls.Single(c => c.Phase == HookPhase.PreStop).StoppedBefore, Is.False);
        }
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task DrainDelay_Kill_StopWaitsForTheDelayAndGetsWhatIsLeftOfTheGrace(CancellationToken cancellationToken)
    {
        var hook = new RecordingHook();
        (ExecutorHarness h, SubscriptionAttempt agent) = await RunningAsync(
            hook,
            cancellationToken,
            t => t.KillPolicy = ExecutorHarness.KillPolicyOf(TimeSpan.FromSeconds(20)),
            new ExecutorOptions { DrainDelay = TimeSpan.FromSeconds(5) });
        await using (h)
        {
            agent.Push(ExecutorHarness.Kill("t1"));
            await h.ExpectUpdateAsync("t1", TaskState.TaskKilling, cancellationToken);
            await h.Time.WaitForTimerAsync(TimeSpan.FromSeconds(5), cancellationToken);
            Assert.That(h.Containers.TryGetStop(out _), Is.False, "no stop signal during the drain");
            Assert.That(hook.Phases(), Does.Contain(HookPhase.Draining).And.Not.Contain(HookPhase.PreStop));

            h.Time.Advance(TimeSpan.FromSeconds(5));

            (_, TimeSpan grace) = await h.Containers.NextStopAsync(cancellationToken);
            Assert.That(grace, Is.EqualTo(TimeSpan.FromSeconds(15)), "the drain is taken out of the grace period");
            await h.ExpectUpdateAsync("t1", TaskState.TaskKilled, cancellationToken);
            Assert.That(h.Logs.GetSnapshot().Count(r => r.Id.Name == "DrainingTask"), Is.EqualTo(1));
        }
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task DrainDelay_LongerThanTheGrace_StopsWhenTheGraceEnds(CancellationToken cancellationToken)
    {
        var hook = new RecordingHook();
        (ExecutorHarness h, SubscriptionAttempt agent) = await RunningAsync(
            hook,
            cancellationToken,
            options: new ExecutorOptions { DrainDelay = TimeSpan.FromSeconds(30) });
        await using (h)
        {
            agent.Push(ExecutorHarness.Kill("t1", TimeSpan.FromSeconds(4)));
            await h.Time.WaitForTimerAsync(TimeSpan.FromSeconds(4), cancellationToken);
            h.Time.Advance(TimeSpan.FromSeconds(4));

            (_, TimeSpan grace) = await h.Containers.NextStopAsync(cancellationToken);
            Assert.That(grace, Is.EqualTo(TimeSpan.Zero));
        }
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task DrainDelay_ShorterKillDuringTheDrain_EndsTheDrainEarlier(CancellationToken cancellationToken)
    {
        var hook = new RecordingHook();
        (ExecutorHarness h, SubscriptionAttempt agent) = await RunningAsync(
            hook,
            cancellationToken,
            t => t.KillPolicy = ExecutorHarness.KillPolicyOf(TimeSpan.FromSeconds(20)),
            new ExecutorOptions { DrainDelay = TimeSpan.FromSeconds(10) });
        await using (h)
        {
            agent.Push(ExecutorHarness.Kill("t1"));
            await h.Time.WaitForTimerAsync(TimeSpan.FromSeconds(10), cancellationToken);
            h.Time.Advance(TimeSpan.FromSeconds(1));
            agent.Push(ExecutorHarness.Kill("t1", TimeSpan.FromSeconds(3)));
            await h.Time.WaitForTimerAsync(TimeSpan.FromSeconds(2), cancellationToken);
            h.Time.Advance(TimeSpan.FromSeconds(2));

            (_, TimeSpan grace) = await h.Containers.NextStopAsync(cancellationToken);
            Assert.That(grace, Is.EqualTo(TimeSpan.Zero), "the shortened grace (3 s from the first kill) ends the drain");
        }
    }

    [TestCase("drain", "2secs", 18)]
    [TestCase("drain", "2mins", 10)]
    [TestCase("drain", "soon", 15)]
    [TestCase(null, "2secs", 15)]
    [CancelAfter(10_000)]
    public async Task DrainDelay_TaskLabel_OnlyWhereTheOperatorAllowsItAndCapped(string? allowedLabel, string value, int expectedGraceSeconds, CancellationToken cancellationToken)
    {
        var hook = new RecordingHook();
        (ExecutorHarness h, SubscriptionAttempt agent) = await RunningAsync(
            hook,
            cancellationToken,
            t =>
            {
                t.KillPolicy = ExecutorHarness.KillPolicyOf(TimeSpan.FromSeconds(20));
                t.Labels = new Labels();
                t.Labels.Labels_.Add(new Label { Key = "drain", Value = value });
            },
            new ExecutorOptions { DrainDelay = TimeSpan.FromSeconds(5), DrainDelayLabel = allowedLabel, MaxDrainDelay = TimeSpan.FromSeconds(10) });
        await using (h)
        {
            agent.Push(ExecutorHarness.Kill("t1"));
            TimeSpan drain = TimeSpan.FromSeconds(20 - expectedGraceSeconds);
            await h.Time.WaitForTimerAsync(drain, cancellationToken);
            h.Time.Advance(drain);

            (_, TimeSpan grace) = await h.Containers.NextStopAsync(cancellationToken);
            Assert.That(grace, Is.EqualTo(TimeSpan.FromSeconds(expectedGraceSeconds)));
        }
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task MomentHooks_Fail_LoggedAndTheTaskGoesOn(CancellationToken cancellationToken)
    {
        var hook = new RecordingHook { FailIn = [HookPhase.Ready, HookPhase.Draining] };
        (ExecutorHarness h, SubscriptionAttempt agent) = await RunningAsync(hook, cancellationToken);
        await using (h)
        {
            await hook.NextAsync(HookPhase.Ready, cancellationToken);
            await h.WaitForLogAsync("HookFailedTaskGoesOn", 1, cancellationToken);
            agent.Push(ExecutorHarness.Kill("t1"));
            await h.ExpectUpdateAsync("t1", TaskState.TaskKilling, cancellationToken);
            await h.ExpectUpdateAsync("t1", TaskState.TaskKilled, cancellationToken);
            await hook.NextAsync(HookPhase.PostStop, cancellationToken);
            Assert.That(h.Logs.GetSnapshot().Count(r => r.Id.Name == "HookFailedTaskGoesOn"), Is.EqualTo(2));
            Assert.That(hook.Phases(), Does.Contain(HookPhase.PreStop));
        }
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task MomentHooks_SlowReadyHook_NeverBlocksTheLoopAndRunsBeforeDraining(CancellationToken cancellationToken)
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var hook = new RecordingHook { Block = (HookPhase.Ready, release.Task) };
        (ExecutorHarness h, SubscriptionAttempt agent) = await RunningAsync(hook, cancellationToken);
        await using (h)
        {
            await hook.NextAsync(HookPhase.Ready, cancellationToken);
            agent.Push(ExecutorHarness.Kill("t1"));
            await h.ExpectUpdateAsync("t1", TaskState.TaskKilling, cancellationToken);
            await h.SettleAsync(cancellationToken);
            Assert.That(hook.Phases(), Does.Not.Contain(HookPhase.Draining), "draining waits for the ready hook");

            release.SetResult();
            await h.ExpectUpdateAsync("t1", TaskState.TaskKilled, cancellationToken);
            Assert.That(hook.Phases().SkipWhile(p => p != HookPhase.Ready), Is.EqualTo(new[]
            {
                HookPhase.Ready, HookPhase.Draining, HookPhase.PreStop, HookPhase.PostStop,
            }).Or.EqualTo(new[] { HookPhase.Ready, HookPhase.Draining, HookPhase.PreStop }));
        }
    }

    internal sealed record HookCall(HookPhase Phase, TaskState? State, bool? Healthy, CheckStatusInfo? CheckStatus, IReadOnlyList<string> ContainerIPs, bool StoppedBefore);

    /// <summary>Records every phase with what its context held; may fail or block chosen phases.</summary>
    internal sealed class RecordingHook : IHook
    {
        private readonly Channel<HookCall> _calls = Channel.CreateUnbounded<HookCall>();
        private readonly List<HookCall> _all = [];

        public string Name => "recorder";

        public int Priority => 0;

        public HookPhase[] FailIn { get; init; } = [];

        public (HookPhase Phase, Task Until)? Block { get; init; }

        public Func<bool> Stopped { get; set; } = () => false;

        public IReadOnlyList<HookCall> Calls
        {
            get
            {
                lock (_all)
                {
                    return _all.ToList();
                }
            }
        }

        public HookPhase[] Phases() => Calls.Select(c => c.Phase).ToArray();

        public async Task<HookCall> NextAsync(HookPhase phase, CancellationToken cancellationToken)
        {
            while (true)
            {
                HookCall call = await _calls.Reader.ReadAsync(cancellationToken);
                if (call.Phase == phase)
                {
                    return call;
                }
            }
        }

        public Task PreCreateAsync(HookContext context, CancellationToken cancellationToken = default) => RecordAsync(HookPhase.PreCreate, context);

        public Task PreRunAsync(HookContext context, CancellationToken cancellationToken = default) => RecordAsync(HookPhase.PreRun, context);

        public Task PostRunAsync(HookContext context, CancellationToken cancellationToken = default) => RecordAsync(HookPhase.PostRun, context);

        public Task PreStopAsync(HookContext context, CancellationToken cancellationToken = default) => RecordAsync(HookPhase.PreStop, context);

        public Task PostStopAsync(HookContext context, CancellationToken cancellationToken = default) => RecordAsync(HookPhase.PostStop, context);

        public Task ReadyAsync(HookContext context, CancellationToken cancellationToken = default) => RecordAsync(HookPhase.Ready, context);

        public Task HealthChangedAsync(HookContext context, CancellationToken cancellationToken = default) => RecordAsync(HookPhase.HealthChanged, context);

        public Task DrainingAsync(HookContext context, CancellationToken cancellationToken = default) => RecordAsync(HookPhase.Draining, context);

        private async Task RecordAsync(HookPhase phase, HookContext context)
        {
            var call = new HookCall(
                phase,
                context.Status?.State,
                context.Healthy,
                context.CheckStatus,
                context.Container?.IPAddresses.Select(a => a.ToString()).ToList() ?? [],
                Stopped());
            lock (_all)
            {
                _all.Add(call);
            }

            _calls.Writer.TryWrite(call);
            if (Block is { } block && block.Phase == phase)
            {
                await block.Until;
            }

            if (FailIn.Contains(phase))
            {
                throw new InvalidOperationException($"{phase} failed");
            }
        }
    }
}
