using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Google.Protobuf;
using Mesos.Executor.Core;
using Mesos.V1;
using Mesos.V1.Executor;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using NUnit.Framework;
using Capability = Mesos.V1.FrameworkInfo.Types.Capability.Types.Type;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Executor.Core.Tests.Execution;

/// <summary>Settings of an <see cref="ExecutorHarness"/>.</summary>
internal sealed class HarnessOptions
{
    public bool Checkpoint { get; set; }

    public TimeSpan ShutdownGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan RecoveryTimeout { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan SubscriptionBackoffMax { get; set; } = TimeSpan.FromSeconds(2);

    public ExecutorOptions Options { get; set; } = new();

    public Queue<double> RandomValues { get; } = new();

    public List<IHook> Hooks { get; } = [];

    public Func<ReadOnlyMemory<byte>, CancellationToken, Task>? OnMessage { get; set; }

    public Action<ContainerSpec>? ConfigureContainer { get; set; }

    public Action<Event.Types.Subscribed>? OnSubscribed { get; set; }

    public Action<StatusUpdateContext>? ConfigureStatus { get; set; }

    /// <summary>Whether the executor's own checks (NativeHealthCheck through the containerizer) replace the fake ones.</summary>
    public bool DefaultChecks { get; set; }
}

/// <summary>
/// Runs a whole <see cref="MesosExecutor"/> against an in-memory agent, a scripted containerizer,
/// fake checks and a fake clock.
/// </summary>
internal sealed class ExecutorHarness : IAsyncDisposable
{
    public const string FrameworkId = "framework-1";
    public const string ExecutorId = "executor-1";
    public const string AgentId = "agent-1";
    public const string ExecutorContainerId = "executor-container-1";
    public const string ContainerizerCategory = "Test.Containerizer";

    private readonly CancellationTokenSource _cancel = new();
    private readonly ILoggerFactory _loggerFactory;
    private int _subscriptions;

    private ExecutorHarness(HarnessOptions options)
    {
        HarnessOptions = options;
        Logs = new FakeLogCollector();
        _loggerFactory = new LoggerFactory([new FakeLoggerProvider(Logs)]);
        Containers.Logger = _loggerFactory.CreateLogger(ContainerizerCategory);
        MesosExecutorBuilder builder = MesosExecutor.CreateBuilder()
            .UseEnvironment(new ExecutorEnvironment
            {
                FrameworkId = new FrameworkID { Value = FrameworkId },
                ExecutorId = new ExecutorID { Value = ExecutorId },
                AgentId = new AgentID { Value = AgentId },
                AgentEndpoint = "127.0.0.1:5051",
                Directory = "/var/lib/mesos/sandbox",
                Checkpoint = options.Checkpoint,
                ShutdownGracePeriod = options.ShutdownGracePeriod,
                RecoveryTimeout = options.RecoveryTimeout,
                SubscriptionBackoffMax = options.SubscriptionBackoffMax,
            })
            .UseOptions(options.Options)
            .UseContainerizer(Containers.Object)
            .UseTimeProvider(Time)
            .UseRandom(() => options.RandomValues.Count > 0 ? options.RandomValues.Dequeue() : 0.5)
            .UseLoggerFactory(_loggerFactory)
            .UseTransport(Agent);
        if (!options.DefaultChecks)
        {
            builder.UseTaskChecks(Checks);
        }

        if (options.ConfigureStatus != null)
        {
            builder.ConfigureStatus(options.ConfigureStatus);
        }

        foreach (IHook hook in options.Hooks)
        {
            builder.AddHook(hook);
        }

        if (options.OnMessage != null)
        {
            builder.OnMessage(options.OnMessage);
        }

        if (options.ConfigureContainer != null)
        {
            builder.ConfigureContainer(options.ConfigureContainer);
        }

        if (options.OnSubscribed != null)
        {
            builder.OnSubscribed(options.OnSubscribed);
        }

        Executor = builder.Build();
    }

    public HarnessOptions HarnessOptions { get; }

    public ObservableTimeProvider Time { get; } = new();

    public InMemoryAgentTransport Agent { get; } = new();

    public ScriptedContainerizer Containers { get; } = new();

    public FakeTaskCheckFactory Checks { get; } = new();

    public FakeLogCollector Logs { get; }

    /// <summary>The executor's logger factory: loggers from it share the executor's scopes.</summary>
    public ILoggerFactory LoggerFactory => _loggerFactory;

    public MesosExecutor Executor { get; }

    public Task<int> Run { get; private set; } = Task.FromResult(-1);

    /// <summary>The subscription the harness auto-acknowledges on.</summary>
    public SubscriptionAttempt? Current { get; set; }

    /// <summary>Whether every UPDATE is acknowledged on <see cref="Current"/> right after it is sent.</summary>
    public bool AutoAcknowledge { get; set; }

    public static ExecutorHarness Start(Action<HarnessOptions>? configure = null)
    {
        var options = new HarnessOptions();
        configure?.Invoke(options);
        var harness = new ExecutorHarness(options);
        harness.Agent.OnSend = harness.OnSendAsync;
        harness.Run = harness.Executor.RunAsync(harness._cancel.Token);
        return harness;
    }

    private Task OnSendAsync(Call call, CancellationToken cancellationToken)
    {
        if (AutoAcknowledge && call.Type == Call.Types.Type.Update && Current != null)
        {
            Acknowledge(Current, call.Update.Status);
        }

        return Task.CompletedTask;
    }

    public static FrameworkInfo Framework(params Capability[] capabilities)
    {
        var framework = new FrameworkInfo { User = "root", Name = "test-framework", Id = new FrameworkID { Value = FrameworkId } };
        foreach (Capability capability in capabilities)
        {
            framework.Capabilities.Add(new FrameworkInfo.Types.Capability { Type = capability });
        }

        return framework;
    }

    public static Event Subscribed(FrameworkInfo? framework = null) => new()
    {
        Type = Event.Types.Type.Subscribed,
        Subscribed = new Event.Types.Subscribed
        {
            ExecutorInfo = new ExecutorInfo
            {
                ExecutorId = new ExecutorID { Value = ExecutorId },
                FrameworkId = new FrameworkID { Value = FrameworkId },
            },
            FrameworkInfo = framework ?? Framework(),
            AgentInfo = new AgentInfo { Hostname = "agent.example", Id = new AgentID { Value = AgentId } },
            ContainerId = new ContainerID { Value = ExecutorContainerId },
        },
    };

    public static TaskInfo NewTask(string id, Action<TaskInfo>? configure = null)
    {
        var task = new TaskInfo
        {
            Name = id,
            TaskId = new TaskID { Value = id },
            AgentId = new AgentID { Value = AgentId },
            Container = new ContainerInfo { Type = ContainerInfo.Types.Type.Docker, Docker = new ContainerInfo.Types.DockerInfo { Image = "busybox" } },
            Command = new CommandInfo { Value = "sleep 1000" },
        };
        configure?.Invoke(task);
        return task;
    }

    public static Event Launch(TaskInfo task) => new() { Type = Event.Types.Type.Launch, Launch = new Event.Types.Launch { Task = task } };

    public static Event LaunchGroup(params TaskInfo[] tasks)
    {
        var group = new TaskGroupInfo();
        group.Tasks.Add(tasks);
        return new Event { Type = Event.Types.Type.LaunchGroup, LaunchGroup = new Event.Types.LaunchGroup { TaskGroup = group } };
    }

    public static Event Kill(string taskId, TimeSpan? gracePeriod = null)
    {
        var kill = new Event.Types.Kill { TaskId = new TaskID { Value = taskId } };
        if (gracePeriod is { } grace)
        {
            kill.KillPolicy = new KillPolicy { GracePeriod = new DurationInfo { Nanoseconds = grace.Ticks * 100 } };
        }

        return new Event { Type = Event.Types.Type.Kill, Kill = kill };
    }

    public static Event Shutdown() => new() { Type = Event.Types.Type.Shutdown };

    public static KillPolicy KillPolicyOf(TimeSpan grace) => new() { GracePeriod = new DurationInfo { Nanoseconds = grace.Ticks * 100 } };

    /// <summary>Waits for SUBSCRIBE, answers SUBSCRIBED and waits until the executor handled it.</summary>
    public async Task<SubscriptionAttempt> SubscribeAsync(CancellationToken cancellationToken, FrameworkInfo? framework = null)
    {
        SubscriptionAttempt attempt = await Agent.NextAttemptAsync(cancellationToken);
        attempt.Push(Subscribed(framework));
        Current = attempt;
        await WaitForLogAsync("Subscribed", ++_subscriptions, cancellationToken);
        return attempt;
    }

    /// <summary>Waits until the executor logged event <paramref name="eventName"/> at least <paramref name="count"/> times.</summary>
    public async Task WaitForLogAsync(string eventName, int count, CancellationToken cancellationToken)
    {
        while (Logs.GetSnapshot().Count(r => r.Id.Name == eventName) < count)
        {
            await SettleAsync(cancellationToken);
            await Task.Yield();
        }
    }

    public async Task<TaskStatus> NextUpdateAsync(CancellationToken cancellationToken) =>
        (await Agent.NextCallAsync(Call.Types.Type.Update, cancellationToken)).Update.Status;

    /// <summary>The next UPDATE, which must be <paramref name="state"/> of <paramref name="taskId"/>.</summary>
    public async Task<TaskStatus> ExpectUpdateAsync(string taskId, TaskState state, CancellationToken cancellationToken)
    {
        TaskStatus status = await NextUpdateAsync(cancellationToken);
        Assert.That((status.TaskId.Value, status.State), Is.EqualTo((taskId, state)), $"unexpected update: {status}");
        return status;
    }

    public static void Acknowledge(SubscriptionAttempt attempt, TaskStatus status) => attempt.Push(new Event
    {
        Type = Event.Types.Type.Acknowledged,
        Acknowledged = new Event.Types.Acknowledged { TaskId = status.TaskId.Clone(), Uuid = status.Uuid },
    });

    /// <summary>Waits until the executor handled everything posted so far.</summary>
    public Task SettleAsync(CancellationToken cancellationToken) => Executor.Loop.BarrierAsync(cancellationToken);

    public async Task<int> ExitCodeAsync(CancellationToken cancellationToken) => await Run.WaitAsync(cancellationToken);

    public void CancelRun() => _cancel.Cancel();

    public async ValueTask DisposeAsync()
    {
        await _cancel.CancelAsync();

        // A run stuck on a grace period the test never advanced must still end.
        for (int i = 0; i < 200 && !Run.IsCompleted; i++)
        {
            Time.Advance(TimeSpan.FromSeconds(30));
            await Task.WhenAny(Run, Task.Delay(10));
        }

        await Executor.DisposeAsync();
        _cancel.Dispose();
        _loggerFactory.Dispose();
    }
}
