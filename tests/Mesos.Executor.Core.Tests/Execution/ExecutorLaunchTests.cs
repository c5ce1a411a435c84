using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.V1;
using Moq;
using NUnit.Framework;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Executor.Core.Tests.Execution;

[TestFixture]
public sealed class ExecutorLaunchTests
{
    [Test]
    [CancelAfter(10_000)]
    public async Task Launch_ContainerRunsAndExitsZero_SendsStartingRunningFinished(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start();
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1")));

        TaskStatus starting = await h.ExpectUpdateAsync("t1", TaskState.TaskStarting, cancellationToken);
        TaskStatus running = await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);
        h.Containers.ExitTask("t1", 0);
        TaskStatus finished = await h.ExpectUpdateAsync("t1", TaskState.TaskFinished, cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            foreach (TaskStatus status in new[] { starting, running, finished })
            {
                Assert.That(status.Source, Is.EqualTo(TaskStatus.Types.Source.Executor));
                Assert.That(status.ExecutorId.Value, Is.EqualTo(ExecutorHarness.ExecutorId));
                Assert.That(status.AgentId.Value, Is.EqualTo(ExecutorHarness.AgentId));
                Assert.That(status.Uuid.Length, Is.EqualTo(16));
                Assert.That(status.Uuid[6] >> 4, Is.EqualTo(4), "RFC 4122 version 4");
                Assert.That(status.Uuid[8] & 0xC0, Is.EqualTo(0x80), "RFC 4122 variant");
                Assert.That(status.Timestamp, Is.EqualTo((double)h.Time.GetUtcNow().ToUnixTimeSeconds()).Within(0.001));
                Assert.That(status.HasHealthy, Is.False);
                Assert.That(status.CheckStatus, Is.Null);
            }

            Assert.That(new[] { starting.Uuid, running.Uuid, finished.Uuid }.Distinct().Count(), Is.EqualTo(3));
            Assert.That(running.ContainerStatus.ContainerId.Value, Is.EqualTo(ExecutorHarness.ExecutorContainerId));
            Assert.That(running.ContainerStatus.NetworkInfos, Has.Count.EqualTo(1));
            Assert.That(running.ContainerStatus.NetworkInfos[0].IpAddresses[0].IpAddress, Is.EqualTo("172.17.0.2"));
            Assert.That(running.ContainerStatus.NetworkInfos[0].IpAddresses[0].HasProtocol, Is.False, "IPv4 is the default and left unset");
            Assert.That(running.Data.ToStringUtf8(), Is.EqualTo("{\"Id\":\"container-t1\"}"));
            Assert.That(starting.HasReason, Is.False);
            Assert.That(finished.Message, Is.EqualTo("Container exited with status 0"));
            Assert.That(finished.HasReason, Is.False);
        }
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Launch_ContainerSpec_IsAPrivateCopyWithSubscribedInfoAndSandbox(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start();
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        TaskInfo task = ExecutorHarness.NewTask("t1");
        agent.Push(ExecutorHarness.Launch(task));
        await h.ExpectUpdateAsync("t1", TaskState.TaskStarting, cancellationToken);
        await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);

        ContainerSpec spec = h.Containers.Specs["container-t1"];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(spec.Task, Is.EqualTo(task));
            Assert.That(spec.Task, Is.Not.SameAs(task));
            Assert.That(spec.Framework.Name, Is.EqualTo("test-framework"));
            Assert.That(spec.Executor.ExecutorId.Value, Is.EqualTo(ExecutorHarness.ExecutorId));
            Assert.That(spec.Agent?.Hostname, Is.EqualTo("agent.example"));
            Assert.That(spec.SandboxDirectory, Is.EqualTo("/var/lib/mesos/sandbox"));
        }
    }

    [TestCase(1, "Container exited with status 1")]
    [TestCase(137, "Container exited with status 137")]
    [CancelAfter(10_000)]
    public async Task Launch_ContainerExitsNonZero_SendsFailedWithStatus(int exitCode, string message, CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start();
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1")));
        await h.ExpectUpdateAsync("t1", TaskState.TaskStarting, cancellationToken);
        await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);

        h.Containers.ExitTask("t1", exitCode);

        TaskStatus failed = await h.ExpectUpdateAsync("t1", TaskState.TaskFailed, cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(failed.Message, Is.EqualTo(message));
            Assert.That(failed.HasReason, Is.False, "Mesos's Docker executor sets no reason for a failed exit");
        }
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Launch_ContainerOomKilled_SendsFailedWithMemoryLimitation(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start();
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1")));
        await h.ExpectUpdateAsync("t1", TaskState.TaskStarting, cancellationToken);
        await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);

        h.Containers.ExitTask("t1", 137, oomKilled: true);

        TaskStatus failed = await h.ExpectUpdateAsync("t1", TaskState.TaskFailed, cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(failed.Reason, Is.EqualTo(TaskStatus.Types.Reason.ContainerLimitationMemory));
            Assert.That(failed.Message, Does.StartWith("Container exited with status 137"));
        }
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Launch_TwoTasks_RunConcurrentlyAndEndIndependently(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start();
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("a")));
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("b")));

        var seen = new List<(string, TaskState)>();
        for (int i = 0; i < 4; i++)
        {
            TaskStatus s = await h.NextUpdateAsync(cancellationToken);
            seen.Add((s.TaskId.Value, s.State));
        }

        Assert.That(seen, Is.EquivalentTo(new[]
        {
            ("a", TaskState.TaskStarting), ("a", TaskState.TaskRunning),
            ("b", TaskState.TaskStarting), ("b", TaskState.TaskRunning),
        }));

        h.Containers.ExitTask("b", 3);
        await h.ExpectUpdateAsync("b", TaskState.TaskFailed, cancellationToken);
        h.Containers.ExitTask("a", 0);
        await h.ExpectUpdateAsync("a", TaskState.TaskFinished, cancellationToken);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Launch_DuplicateTaskIdOfLiveTask_IsIgnoredAndLiveTaskUndisturbed(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start();
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1")));
        await h.ExpectUpdateAsync("t1", TaskState.TaskStarting, cancellationToken);
        await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);

        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1")));
        await h.WaitForLogAsync("DuplicateLaunch", 1, cancellationToken);
        await h.SettleAsync(cancellationToken);

        Assert.That(h.Agent.TryGetCall(out _), Is.False, "no update for the duplicate");
        h.Containers.Mock.Verify(c => c.CreateAsync(It.IsAny<ContainerSpec>(), It.IsAny<CancellationToken>()), Times.Once());
        Assert.That(h.Logs.GetSnapshot().Any(r => r.Id.Name == "DuplicateLaunch" && r.Level == Microsoft.Extensions.Logging.LogLevel.Error), Is.True);

        h.Containers.ExitTask("t1", 0);
        await h.ExpectUpdateAsync("t1", TaskState.TaskFinished, cancellationToken);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Launch_InvalidHealthCheck_SendsFailedNamingTheFieldWithoutLaunching(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start();
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1", t => t.HealthCheck = new HealthCheck { Type = HealthCheck.Types.Type.Http })));

        await h.ExpectUpdateAsync("t1", TaskState.TaskStarting, cancellationToken);
        TaskStatus failed = await h.ExpectUpdateAsync("t1", TaskState.TaskFailed, cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(failed.Message, Does.Contain("http"));
            Assert.That(failed.Reason, Is.EqualTo(TaskStatus.Types.Reason.TaskInvalid));
        }

        h.Containers.Mock.Verify(c => c.CreateAsync(It.IsAny<ContainerSpec>(), It.IsAny<CancellationToken>()), Times.Never());
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Launch_HooksAndConfigure_RunInPhaseAndPriorityOrder(CancellationToken cancellationToken)
    {
        var calls = new List<string>();
        IHook Hook(string name, int priority)
        {
            var hook = new Mock<IHook>();
            hook.SetupGet(x => x.Name).Returns(name);
            hook.SetupGet(x => x.Priority).Returns(priority);
            foreach (HookPhase phase in Enum.GetValues<HookPhase>())
            {
                HookPhase captured = phase;
                Func<HookContext, CancellationToken, Task> record = (ctx, _) =>
                {
                    lock (calls)
                    {
                        calls.Add($"{captured}:{name}:{ctx.ContainerId ?? "-"}");
                    }

                    return Task.CompletedTask;
                };
                switch (phase)
                {
                    case HookPhase.PreCreate: hook.Setup(x => x.PreCreateAsync(It.IsAny<HookContext>(), It.IsAny<CancellationToken>())).Returns(record); break;
                    case HookPhase.PreRun: hook.Setup(x => x.PreRunAsync(It.IsAny<HookContext>(), It.IsAny<CancellationToken>())).Returns(record); break;
                    case HookPhase.PostRun: hook.Setup(x => x.PostRunAsync(It.IsAny<HookContext>(), It.IsAny<CancellationToken>())).Returns(record); break;
                    case HookPhase.PreStop: hook.Setup(x => x.PreStopAsync(It.IsAny<HookContext>(), It.IsAny<CancellationToken>())).Returns(record); break;
                    case HookPhase.PostStop: hook.Setup(x => x.PostStopAsync(It.IsAny<HookContext>(), It.IsAny<CancellationToken>())).Returns(record); break;
                }
            }

            return hook.Object;
        }

        await using ExecutorHarness h = ExecutorHarness.Start(o =>
        {
            o.Hooks.Add(Hook("low", 1));
            o.Hooks.Add(Hook("high", 10));
            o.Hooks.Add(Hook("tie-first", 5));
            o.Hooks.Add(Hook("tie-second", 5));
            o.ConfigureContainer = spec =>
            {
                spec.Labels["configured"] = "yes";
                lock (calls)
                {
                    calls.Add("configure");
                }
            };
        });
        h.AutoAcknowledge = true;
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1")));
        await h.ExpectUpdateAsync("t1", TaskState.TaskStarting, cancellationToken);
        await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);
        agent.Push(ExecutorHarness.Kill("t1"));
        await h.ExpectUpdateAsync("t1", TaskState.TaskKilled, cancellationToken);
        Assert.That(await h.ExitCodeAsync(cancellationToken), Is.EqualTo(ExecutorExitCodes.Success));

        string[] order = ["high", "tie-first", "tie-second", "low"];
        var expected = new List<string> { "configure" };
        expected.AddRange(order.Select(n => $"PreCreate:{n}:-"));
        expected.AddRange(order.Select(n => $"PreRun:{n}:container-t1"));
        expected.AddRange(order.Select(n => $"PostRun:{n}:container-t1"));
        expected.AddRange(order.Select(n => $"PreStop:{n}:container-t1"));
        expected.AddRange(order.Select(n => $"PostStop:{n}:container-t1"));
        Assert.That(calls, Is.EqualTo(expected));
        Assert.That(h.Containers.Specs["container-t1"].Labels["configured"], Is.EqualTo("yes"));
    }

    public enum FailingStep
    {
        Configure,
        PreCreateHook,
        Create,
        PreRunHook,
        Start,
        Inspect,
        PostRunHook,
    }

    [TestCase(FailingStep.Configure, "configure container failed: boom", false)]
    [TestCase(FailingStep.PreCreateHook, "pre-create hook 'guard' failed: boom", false)]
    [TestCase(FailingStep.Create, "create container failed: boom", false)]
    [TestCase(FailingStep.PreRunHook, "pre-run hook 'guard' failed: boom", true)]
    [TestCase(FailingStep.Start, "start container failed: boom", true)]
    [TestCase(FailingStep.Inspect, "inspect container failed: boom", true)]
    [TestCase(FailingStep.PostRunHook, "post-run hook 'guard' failed: boom", true)]
    [CancelAfter(10_000)]
    public async Task Launch_StepFails_SendsFailedNamingStepRunsStopHooksAndStopsCreatedContainer(
        FailingStep step, string message, bool containerCreated, CancellationToken cancellationToken)
    {
        var stopHooks = new List<string>();
        var guard = new Mock<IHook>();
        guard.SetupGet(x => x.Name).Returns("guard");
        guard.Setup(x => x.PreStopAsync(It.IsAny<HookContext>(), It.IsAny<CancellationToken>()))
            .Returns(() =>
            {
                stopHooks.Add("pre-stop");
                return Task.CompletedTask;
            });
        guard.Setup(x => x.PostStopAsync(It.IsAny<HookContext>(), It.IsAny<CancellationToken>()))
            .Returns(() =>
            {
                stopHooks.Add("post-stop");
                return Task.CompletedTask;
            });
        var boom = new ContainerizerException("boom");
        switch (step)
        {
            case FailingStep.PreCreateHook: guard.Setup(x => x.PreCreateAsync(It.IsAny<HookContext>(), It.IsAny<CancellationToken>())).ThrowsAsync(new InvalidOperationException("boom")); break;
            case FailingStep.PreRunHook: guard.Setup(x => x.PreRunAsync(It.IsAny<HookContext>(), It.IsAny<CancellationToken>())).ThrowsAsync(new InvalidOperationException("boom")); break;
            case FailingStep.PostRunHook: guard.Setup(x => x.PostRunAsync(It.IsAny<HookContext>(), It.IsAny<CancellationToken>())).ThrowsAsync(new HookFailedException("guard", HookPhase.PostRun, "boom", new InvalidOperationException("boom"))); break;
        }

        await using ExecutorHarness h = ExecutorHarness.Start(o =>
        {
            o.Hooks.Add(guard.Object);
            if (step == FailingStep.Configure)
            {
                o.ConfigureContainer = _ => throw new InvalidOperationException("boom");
            }
        });
        switch (step)
        {
            case FailingStep.Create: h.Containers.Mock.Setup(c => c.CreateAsync(It.IsAny<ContainerSpec>(), It.IsAny<CancellationToken>())).ThrowsAsync(boom); break;
            case FailingStep.Start: h.Containers.Mock.Setup(c => c.StartAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ThrowsAsync(boom); break;
            case FailingStep.Inspect: h.Containers.Mock.Setup(c => c.InspectAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ThrowsAsync(boom); break;
        }

        h.AutoAcknowledge = true;
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1")));

        await h.ExpectUpdateAsync("t1", TaskState.TaskStarting, cancellationToken);
        TaskStatus failed = await h.ExpectUpdateAsync("t1", TaskState.TaskFailed, cancellationToken);
        Assert.That(await h.ExitCodeAsync(cancellationToken), Is.EqualTo(ExecutorExitCodes.Success));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(failed.Message, Is.EqualTo(message));
            Assert.That(failed.Reason, Is.EqualTo(TaskStatus.Types.Reason.ContainerLaunchFailed));
            Assert.That(stopHooks, Is.EqualTo(new[] { "pre-stop", "post-stop" }));
            h.Containers.Mock.Verify(
                c => c.StopAsync("container-t1", ExecutorOptions.DefaultKillGracePeriodValue, It.IsAny<CancellationToken>()),
                containerCreated ? Times.Once() : Times.Never());
        }
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Launch_StopHookFails_RemainingHooksStillRun(CancellationToken cancellationToken)
    {
        var ran = new List<string>();
        var failing = new Mock<IHook>();
        failing.SetupGet(x => x.Name).Returns("failing");
        failing.SetupGet(x => x.Priority).Returns(10);
        failing.Setup(x => x.PreStopAsync(It.IsAny<HookContext>(), It.IsAny<CancellationToken>())).ThrowsAsync(new InvalidOperationException("pre-stop broke"));
        failing.Setup(x => x.PostStopAsync(It.IsAny<HookContext>(), It.IsAny<CancellationToken>())).ThrowsAsync(new InvalidOperationException("post-stop broke"));
        var after = new Mock<IHook>();
        after.SetupGet(x => x.Name).Returns("after");
        after.Setup(x => x.PreStopAsync(It.IsAny<HookContext>(), It.IsAny<CancellationToken>())).Returns(() =>
        {
            ran.Add("pre-stop");
            return Task.CompletedTask;
        });
        after.Setup(x => x.PostStopAsync(It.IsAny<HookContext>(), It.IsAny<CancellationToken>())).Returns(() =>
        {
            ran.Add("post-stop");
            return Task.CompletedTask;
        });

        await using ExecutorHarness h = ExecutorHarness.Start(o =>
        {
            o.Hooks.Add(failing.Object);
            o.Hooks.Add(after.Object);
        });
        h.AutoAcknowledge = true;
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1")));
        await h.ExpectUpdateAsync("t1", TaskState.TaskStarting, cancellationToken);
        await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);
        agent.Push(ExecutorHarness.Kill("t1"));
        await h.ExpectUpdateAsync("t1", TaskState.TaskKilled, cancellationToken);

        Assert.That(await h.ExitCodeAsync(cancellationToken), Is.EqualTo(ExecutorExitCodes.Success));
        Assert.That(ran, Is.EqualTo(new[] { "pre-stop", "post-stop" }));
        Assert.That(h.Logs.GetSnapshot().Count(r => r.Id.Name == "StopHookFailed"), Is.EqualTo(2));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Launch_WaitFails_StopsContainerAndSendsFailed(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start();
        h.Containers.Mock.Setup(c => c.WaitAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ThrowsAsync(new ContainerizerException("daemon gone"));
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1")));
        await h.ExpectUpdateAsync("t1", TaskState.TaskStarting, cancellationToken);
        await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);

        TaskStatus failed = await h.ExpectUpdateAsync("t1", TaskState.TaskFailed, cancellationToken);

        Assert.That(failed.Message, Is.EqualTo("wait for container failed: daemon gone"));
        h.Containers.Mock.Verify(c => c.StopAsync("container-t1", It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()), Times.Once());
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Launch_IPv6Address_ReportedWithIPv6ProtocolInTaskNetworkInfo(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start();
        h.Containers.Addresses = [System.Net.IPAddress.Parse("10.1.2.3"), System.Net.IPAddress.Parse("fd00::3")];
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1", t =>
        {
            var network = new NetworkInfo { Name = "overlay" };
            network.IpAddresses.Add(new NetworkInfo.Types.IPAddress { IpAddress = "0.0.0.0" });
            t.Container.NetworkInfos.Add(network);
        })));
        await h.ExpectUpdateAsync("t1", TaskState.TaskStarting, cancellationToken);

        TaskStatus running = await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);

        NetworkInfo reported = running.ContainerStatus.NetworkInfos.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(reported.Name, Is.EqualTo("overlay"));
            Assert.That(reported.IpAddresses.Select(a => a.IpAddress), Is.EqualTo(new[] { "10.1.2.3", "fd00::3" }));
            Assert.That(reported.IpAddresses[1].Protocol, Is.EqualTo(NetworkInfo.Types.Protocol.Ipv6));
        }
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Launch_RawDataAbsent_SendsRunningWithoutData(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start();
        h.Containers.Mock.Setup(c => c.InspectAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new ContainerDetails { Id = "container-t1" });
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1")));
        await h.ExpectUpdateAsync("t1", TaskState.TaskStarting, cancellationToken);

        TaskStatus running = await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(running.HasData, Is.False);
            Assert.That(running.ContainerStatus.NetworkInfos, Is.Empty);
            Assert.That(running.ContainerStatus.ContainerId.Value, Is.EqualTo(ExecutorHarness.ExecutorContainerId));
            Assert.That(Encoding.UTF8.GetString(running.Uuid.ToByteArray()), Is.Not.Empty);
        }
    }
}
