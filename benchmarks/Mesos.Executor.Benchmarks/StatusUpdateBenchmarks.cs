using System;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Mesos.Executor.Core;
using Mesos.Executor.Core.Agent;
using Mesos.Executor.Core.Execution;
using Mesos.V1;
using Mesos.V1.Executor;
using Microsoft.Extensions.Logging.Abstractions;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Executor.Benchmarks;

/// <summary>
/// One status update on the executor's side: building the <see cref="TaskStatus"/>, queueing it in the
/// update ledger, the UPDATE call encoded and sent over the executor's HTTP transport to a loopback
/// peer that answers <c>202 Accepted</c> like the agent, the call's completion back through the
/// loop's inbox, and the acknowledgement. Also the encoding of one UPDATE call alone, and the
/// transport's send alone.
/// </summary>
/// <remarks>
/// <para>
/// Run with <c>dotnet run -c Release --project benchmarks/Mesos.Executor.Benchmarks -- --filter '*StatusUpdateBenchmarks*' --job short</c>.
/// </para>
/// <para>
/// The update is the one a task sends on every health change: TASK_RUNNING with <c>healthy</c>,
/// REASON_TASK_HEALTH_CHECK_STATUS_UPDATED and the last <c>container_status</c> (executor container
/// id, one IP address). The peer is <see cref="LoopbackServer"/> (keep-alive, one thread per
/// connection, so <see cref="ProcessCpuDiagnoser"/> counts it apart), not <c>FakeAgent</c>: FakeAgent
/// validates and records every call, which is what tests need, but its Kestrel runs on the same
/// thread pool as the code under test and its records grow with every operation. The ACKNOWLEDGED
/// event that the agent would send back is handed to the ledger directly; decoding it is what
/// <see cref="RecordIODecodeBenchmarks"/> measures.
/// </para>
/// <para>
/// <see cref="StatusUpdateAfterIdle"/> sends each update after the process idled (see
/// <see cref="Pacing"/>), as updates come in a real executor: its <c>CPU/op</c> minus that of
/// <see cref="IdleOnly"/> is the CPU of one update with the thread wake-ups it causes.
/// </para>
/// </remarks>
[MemoryDiagnoser]
[ProcessCpuDiagnoser]
[MicrosecondSummary]
public class StatusUpdateBenchmarks
{
    private readonly CancellationTokenSource _stopping = new();
    private LoopbackServer _agent = null!;
    private HttpAgentTransport _transport = null!;
    private TaskStatusFactory _statuses = null!;
    private TrackedTask _task = null!;
    private LoopInbox _inbox = null!;
    private UpdateLedger _ledger = null!;
    private Call _call = null!;

    [GlobalSetup]
    public void Setup()
    {
        _agent = new LoopbackServer(LoopbackServerMode.Agent);
        _transport = new HttpAgentTransport(
            new AgentTransportOptions { Endpoint = new Uri($"http://127.0.0.1:{_agent.Port}{AgentTransportOptions.ExecutorApiPath}") },
            NullLoggerFactory.Instance);

        var settings = new ExecutorSettings
        {
            FrameworkId = new FrameworkID { Value = "f1c9cdc5-195e-41a7-a0d7-adaa9af07f81-0001" },
            ExecutorId = new ExecutorID { Value = "web.7f9c2a1e-5b1d-11ef-9a42-0242ac110002" },
            AgentId = new AgentID { Value = "f1c9cdc5-195e-41a7-a0d7-adaa9af07f81-S3" },
        };
        _inbox = new LoopInbox();
        _ledger = new UpdateLedger(settings, _transport, _inbox, new LoopFlows(_inbox, TimeProvider.System), NullLogger.Instance);
        _statuses = new TaskStatusFactory(settings.ExecutorId, settings.AgentId, TimeProvider.System)
        {
            ExecutorContainerId = new ContainerID { Value = "3c2a6f1e-8b5d-4e0f-9a42-0242ac110002" },
        };
        _task = new TrackedTask(
            new TaskInfo
            {
                Name = "web",
                TaskId = new TaskID { Value = "web.7f9c2a1e-5b1d-11ef-9a42-0242ac110002" },
                AgentId = settings.AgentId,
            },
            group: null);
        var container = new ContainerDetails { Id = "0123456789ab", Pid = 4242, IPAddresses = new List<IPAddress> { IPAddress.Parse("172.17.0.2") } };
        _task.LastStatus = _statuses.Running(_task, container);

        _call = new Call
        {
            Type = Call.Types.Type.Update,
            ExecutorId = settings.ExecutorId,
            FrameworkId = settings.FrameworkId,
            Update = new Call.Types.Update { Status = _statuses.Health(_task, healthy: true) },
        };
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _stopping.CancelAsync();
        await _transport.DisposeAsync();
        _agent.Dispose();
        _stopping.Dispose();
    }

    /// <summary>The UPDATE call to protobuf bytes (the default content type).</summary>
    [Benchmark]
    public byte[] EncodeUpdateCall() => MesosCodec.EncodeCall(_call, AgentContentType.Protobuf);

    /// <summary>The same call to JSON (<c>--content-type json</c>).</summary>
    [Benchmark]
    public byte[] EncodeUpdateCallJson() => MesosCodec.EncodeCall(_call, AgentContentType.Json);

    /// <summary>The transport alone: request, encoding, send, 202.</summary>
    [Benchmark]
    public Task SendUpdateCall() => _transport.SendAsync(_call, _stopping.Token);

    /// <summary>The whole update, as the executor loop does it.</summary>
    [Benchmark(Baseline = true)]
    public Task StatusUpdate() => UpdateAsync();

    /// <summary>The whole update after <see cref="Pacing.IdleGap"/> of idling, as updates come in a real executor.</summary>
    [Benchmark]
    public Task StatusUpdateAfterIdle()
    {
        Pacing.Idle();
        return UpdateAsync();
    }

    /// <summary>The idling alone: subtract its <c>CPU/op</c> from <see cref="StatusUpdateAfterIdle"/>'s.</summary>
    [Benchmark]
    public void IdleOnly() => Pacing.Idle();

    private async Task UpdateAsync()
    {
        TaskStatus status = _statuses.Health(_task, healthy: true);
        _ledger.Add(_task, status);
        _ledger.Pump(_task);
        var completed = (UpdateCallCompleted)await _inbox.Reader.ReadAsync(_stopping.Token);
        _ledger.Completed(completed);
        if (completed.Error != null)
        {
            throw new InvalidOperationException("the UPDATE call failed", completed.Error);
        }

        _ledger.Acknowledge(new Event.Types.Acknowledged { TaskId = _task.Id, Uuid = status.Uuid });
    }
}
