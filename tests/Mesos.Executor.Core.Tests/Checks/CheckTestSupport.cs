using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core.Checks;
using Mesos.V1;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Mesos.Executor.Core.Tests.Checks;

/// <summary>A probe (Moq'd <see cref="IHealthCheck"/>) that returns scripted results and records its calls.</summary>
internal sealed class ScriptedProbe
{
    private readonly Queue<Func<CancellationToken, Task<ProbeResult>>> _script = new();
    private readonly object _gate = new();

    public ScriptedProbe()
    {
        Mock.Setup(p => p.ProbeAsync(It.IsAny<ProbeRequest>(), It.IsAny<CancellationToken>()))
            .Returns((ProbeRequest request, CancellationToken cancellationToken) =>
            {
                Func<CancellationToken, Task<ProbeResult>> next;
                lock (_gate)
                {
                    Requests.Add(request);
                    Tokens.Add(cancellationToken);
                    next = _script.Count > 0 ? _script.Dequeue() : Fallback;
                }

                return next(cancellationToken);
            });
    }

    public Mock<IHealthCheck> Mock { get; } = new(MockBehavior.Strict);

    public List<ProbeRequest> Requests { get; } = [];

    public List<CancellationToken> Tokens { get; } = [];

    public int Calls
    {
        get
        {
            lock (_gate)
            {
                return Requests.Count;
            }
        }
    }

    /// <summary>What the probe returns once the script is used up.</summary>
    public Func<CancellationToken, Task<ProbeResult>> Fallback { get; set; } = _ => Task.FromResult(Pass);

    public static ProbeResult Pass => new() { Succeeded = true, StatusCode = 200, ExitCode = 0 };

    public static ProbeResult Fail => new() { Succeeded = false, StatusCode = 500, ExitCode = 1, Message = "scripted failure" };

    public static ProbeResult Timeout => new() { Succeeded = false, TimedOut = true, Message = "scripted timeout" };

    public ScriptedProbe Then(params ProbeResult[] results)
    {
        lock (_gate)
        {
            foreach (var result in results)
            {
                _script.Enqueue(_ => Task.FromResult(result));
            }
        }

        return this;
    }

    public ScriptedProbe Then(Func<CancellationToken, Task<ProbeResult>> behaviour)
    {
        lock (_gate)
        {
            _script.Enqueue(behaviour);
        }

        return this;
    }
}

/// <summary>Collects notifications.</summary>
internal sealed class NotificationRecorder
{
    private readonly List<CheckNotification> _all = [];

    public Func<CheckNotification, CancellationToken, ValueTask> Notify => (notification, _) =>
    {
        lock (_all)
        {
            _all.Add(notification);
        }

        return ValueTask.CompletedTask;
    };

    public IReadOnlyList<CheckNotification> All
    {
        get
        {
            lock (_all)
            {
                return _all.ToList();
            }
        }
    }

    public IReadOnlyList<HealthNotification> Health => All.OfType<HealthNotification>().ToList();

    public IReadOnlyList<CheckStatusInfo> Statuses => All.OfType<CheckStatusNotification>().Select(n => n.Status).ToList();
}

/// <summary>Builds tasks and runners for the check tests.</summary>
internal static class CheckTasks
{
    public static readonly ContainerDetails Container = new() { Id = "0123456789abcdef0123", Pid = 4242 };

    public static TaskInfo WithHealthCheck(HealthCheck healthCheck) => new()
    {
        Name = "t",
        TaskId = new TaskID { Value = "task-1" },
        AgentId = new AgentID { Value = "agent-1" },
        HealthCheck = healthCheck,
    };

    public static TaskInfo WithCheck(CheckInfo check) => new()
    {
        Name = "t",
        TaskId = new TaskID { Value = "task-1" },
        AgentId = new AgentID { Value = "agent-1" },
        Check = check,
    };

    public static HealthCheck TcpHealthCheck(double delay = 15, double interval = 10, double grace = 10, uint consecutiveFailures = 3, double timeout = 20) => new()
    {
        Type = HealthCheck.Types.Type.Tcp,
        Tcp = new HealthCheck.Types.TCPCheckInfo { Port = 8080 },
        DelaySeconds = delay,
        IntervalSeconds = interval,
        GracePeriodSeconds = grace,
        ConsecutiveFailures = consecutiveFailures,
        TimeoutSeconds = timeout,
    };

    public static CheckInfo CommandCheck(double delay = 0, double interval = 10, double timeout = 20) => new()
    {
        Type = CheckInfo.Types.Type.Command,
        Command = new CheckInfo.Types.Command { Command_ = new CommandInfo { Value = "true" } },
        DelaySeconds = delay,
        IntervalSeconds = interval,
        TimeoutSeconds = timeout,
    };

    public static TaskCheckRunner Runner(TaskInfo task, ScriptedProbe probe, FakeTimeProvider time, NotificationRecorder recorder, FakeLogger? logger = null) =>
        new(task, Container, new Mock<IContainerizer>(MockBehavior.Strict).Object, probe.Mock.Object, time, logger ?? new FakeLogger(), recorder.Notify);
}
