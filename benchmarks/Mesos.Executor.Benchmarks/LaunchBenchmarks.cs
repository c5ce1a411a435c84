using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Mesos.Executor.Core;
using Mesos.Executor.Core.Agent;
using Mesos.Executor.Testing;
using Mesos.V1;
using Mesos.V1.Executor;

namespace Mesos.Executor.Benchmarks;

/// <summary>
/// LAUNCH to TASK_RUNNING through the whole executor (event decoding, the state machine, a task
/// runner, TASK_STARTING and TASK_RUNNING as UPDATE calls), with containers in memory so only the
/// executor's own cost is measured. <c>FakeAgent</c> variants go over loopback HTTP like a real
/// agent; <c>InMemoryAgent</c> variants replace the transport to isolate the state machine.
/// </summary>
/// <remarks>
/// Run with <c>dotnet run -c Release --project benchmarks/Mesos.Executor.Benchmarks -- --filter *LaunchBenchmarks*</c>.
/// Each iteration starts a fresh agent and executor (not measured). One operation is one task:
/// <c>Sequential</c> launches the next task once the previous one runs (latency);
/// <c>ThousandTasks</c> sends 1,000 LAUNCH events at once and waits until all run (throughput).
/// </remarks>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 10, invocationCount: 1)]
public class LaunchBenchmarks
{
    private const int SequentialTasks = 200;
    private const int ManyTasks = 1000;

    private FakeAgent? _agent;
    private InMemoryAgent? _memoryAgent;
    private MesosExecutor _executor = null!;
    private Task<int> _run = null!;
    private CancellationTokenSource _cts = null!;
    private int _iteration;

    [IterationSetup(Targets = [nameof(FakeAgentSequential), nameof(FakeAgentThousandTasks)])]
    public void SetupFakeAgent()
    {
        _cts = new CancellationTokenSource();
        _agent = FakeAgent.StartAsync().GetAwaiter().GetResult();
        IReadOnlyDictionary<string, string> environment = _agent.CreateExecutorEnvironment();
        _executor = MesosExecutor.CreateBuilder()
            .UseEnvironment(name => environment.GetValueOrDefault(name))
            .UseContainerizer(new InstantContainerizer())
            .Build();
        _run = _executor.RunAsync(_cts.Token);
        _agent.WaitForSubscribeAsync(1).GetAwaiter().GetResult();
        _iteration++;
    }

    [IterationSetup(Targets = [nameof(InMemoryAgentSequential), nameof(InMemoryAgentThousandTasks)])]
    public void SetupInMemoryAgent()
    {
        _cts = new CancellationTokenSource();
        _memoryAgent = new InMemoryAgent();
        _executor = MesosExecutor.CreateBuilder()
            .UseEnvironment(new ExecutorEnvironment
            {
                FrameworkId = new FrameworkID { Value = "bench-framework" },
                ExecutorId = new ExecutorID { Value = "bench-executor" },
                AgentEndpoint = "127.0.0.1:5051",
            })
            .UseContainerizer(new InstantContainerizer())
            .UseTransport(_memoryAgent)
            .Build();
        _run = _executor.RunAsync(_cts.Token);
        _memoryAgent.Subscribed.Task.GetAwaiter().GetResult();
        _iteration++;
    }

    [IterationCleanup]
    public void Cleanup()
    {
        _cts.Cancel();
        _executor.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _agent?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _agent = null;
        _memoryAgent = null;
        _cts.Dispose();
    }

    [Benchmark(OperationsPerInvoke = SequentialTasks)]
    public async Task FakeAgentSequential()
    {
        for (int i = 0; i < SequentialTasks; i++)
        {
            string id = TaskId(i);
            await _agent!.SendLaunchAsync(NewTask(id, _agent.Options.AgentId));
            await _agent.WaitForStatusAsync(id, TaskState.TaskRunning);
        }
    }

    [Benchmark(OperationsPerInvoke = ManyTasks)]
    public async Task FakeAgentThousandTasks()
    {
        for (int i = 0; i < ManyTasks; i++)
        {
            await _agent!.SendLaunchAsync(NewTask(TaskId(i), _agent.Options.AgentId));
        }

        for (int i = ManyTasks - 1; i >= 0; i--)
        {
            await _agent!.WaitForStatusAsync(TaskId(i), TaskState.TaskRunning);
        }
    }

    [Benchmark(OperationsPerInvoke = SequentialTasks)]
    public async Task InMemoryAgentSequential()
    {
        for (int i = 0; i < SequentialTasks; i++)
        {
            string id = TaskId(i);
            Task running = _memoryAgent!.WaitForRunningAsync(id);
            _memoryAgent.Launch(NewTask(id, "bench-agent"));
            await running;
        }
    }

    [Benchmark(OperationsPerInvoke = ManyTasks)]
    public async Task InMemoryAgentThousandTasks()
    {
        var running = new Task[ManyTasks];
        for (int i = 0; i < ManyTasks; i++)
        {
            string id = TaskId(i);
            running[i] = _memoryAgent!.WaitForRunningAsync(id);
            _memoryAgent.Launch(NewTask(id, "bench-agent"));
        }

        await Task.WhenAll(running);
    }

    private string TaskId(int i) => $"task-{_iteration}-{i}";

    private static TaskInfo NewTask(string id, string agentId) => new()
    {
        Name = id,
        TaskId = new TaskID { Value = id },
        AgentId = new AgentID { Value = agentId },
        Command = new CommandInfo { Value = "sleep 1000" },
    };

    /// <summary>Containers that start at once and run until stopped.</summary>
    private sealed class InstantContainerizer : IContainerizer, IContainerExec, IContainerRemover
    {
        private static readonly IReadOnlyList<IPAddress> Addresses = [IPAddress.Parse("172.17.0.2")];
        private readonly ConcurrentDictionary<string, TaskCompletionSource<ContainerExit>> _exits = new(StringComparer.Ordinal);

        public Task<string> CreateAsync(ContainerSpec spec, CancellationToken cancellationToken = default)
        {
            string id = "c-" + spec.Task.TaskId.Value;
            _exits[id] = new TaskCompletionSource<ContainerExit>(TaskCreationOptions.RunContinuationsAsynchronously);
            return Task.FromResult(id);
        }

        public Task StartAsync(string containerId, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task<ContainerExit> WaitAsync(string containerId, CancellationToken cancellationToken = default) =>
            _exits[containerId].Task.WaitAsync(cancellationToken);

        public Task StopAsync(string containerId, TimeSpan gracePeriod, CancellationToken cancellationToken = default)
        {
            _exits[containerId].TrySetResult(new ContainerExit { ExitCode = 143 });
            return Task.CompletedTask;
        }

        public Task RemoveAsync(string containerId, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task<ExecResult> ExecAsync(string containerId, ExecRequest request, CancellationToken cancellationToken = default) =>
            Task.FromResult(new ExecResult { ExitCode = 0 });

        public Task<ContainerDetails> InspectAsync(string containerId, CancellationToken cancellationToken = default) =>
            Task.FromResult(new ContainerDetails { Id = containerId, Pid = 1, IPAddresses = Addresses });
    }

    /// <summary>An agent without HTTP: events go straight into the executor, UPDATEs are acknowledged at once.</summary>
    private sealed class InMemoryAgent : IAgentTransport
    {
        private readonly Channel<Event> _events = Channel.CreateUnbounded<Event>();
        private readonly ConcurrentDictionary<string, TaskCompletionSource> _running = new(StringComparer.Ordinal);

        public TaskCompletionSource Subscribed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async IAsyncEnumerable<Event> SubscribeAsync(Call subscribe, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            yield return new Event
            {
                Type = Event.Types.Type.Subscribed,
                Subscribed = new Event.Types.Subscribed
                {
                    ExecutorInfo = new ExecutorInfo { ExecutorId = subscribe.ExecutorId, FrameworkId = subscribe.FrameworkId },
                    FrameworkInfo = new FrameworkInfo { User = "bench", Name = "bench", Id = subscribe.FrameworkId },
                    AgentInfo = new AgentInfo { Hostname = "bench", Id = new AgentID { Value = "bench-agent" } },
                    ContainerId = new ContainerID { Value = "bench-container" },
                },
            };
            Subscribed.TrySetResult();
            await foreach (Event e in _events.Reader.ReadAllAsync(cancellationToken))
            {
                yield return e;
            }
        }

        public Task SendAsync(Call call, CancellationToken cancellationToken)
        {
            if (call.Update?.Status is { } status)
            {
                _events.Writer.TryWrite(new Event
                {
                    Type = Event.Types.Type.Acknowledged,
                    Acknowledged = new Event.Types.Acknowledged { TaskId = status.TaskId, Uuid = status.Uuid },
                });
                if (status.State == TaskState.TaskRunning && _running.TryGetValue(status.TaskId.Value, out TaskCompletionSource? running))
                {
                    running.TrySetResult();
                }
            }

            return Task.CompletedTask;
        }

        public Task WaitForRunningAsync(string taskId) =>
            _running.GetOrAdd(taskId, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

        public void Launch(TaskInfo task) =>
            _events.Writer.TryWrite(new Event { Type = Event.Types.Type.Launch, Launch = new Event.Types.Launch { Task = task } });
    }
}
