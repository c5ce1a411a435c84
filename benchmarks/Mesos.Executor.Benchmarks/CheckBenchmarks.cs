using System;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Mesos.Executor.Core;
using Mesos.Executor.Core.Checks;
using Mesos.V1;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mesos.Executor.Benchmarks;

/// <summary>
/// One TCP and one HTTP health-check probe as the executor's check loop performs it
/// (<see cref="TaskCheckRunner.ProbeOnceAsync"/>: the probe's own cancellation source and backstop
/// around <see cref="NativeHealthCheck"/> with its 5 s timeout) against an in-process loopback
/// server: with host networking, and through <c>setns(2)</c> into this process's own network
/// namespace (the dedicated-thread path every bridge-mode container takes; needs root).
/// </summary>
/// <remarks>
/// <para>
/// Run with <c>dotnet run -c Release --project benchmarks/Mesos.Executor.Benchmarks -- --filter '*CheckBenchmarks*' --job short</c>.
/// </para>
/// <para>
/// The server (<see cref="LoopbackServer"/>) runs on its own threads, so <see cref="ProcessCpuDiagnoser"/>
/// reports the probe's CPU (<c>Client CPU/op</c>) apart from the server's. The TCP server only accepts
/// and closes; the HTTP server reads the request head, answers <c>200 OK</c> with
/// <c>Connection: close</c> and closes. Not included: the check loop's wait for the next interval
/// (one timer) and its Debug log line, which is off at the default level.
/// </para>
/// <para>
/// Back to back, the thread pool's workers find the next probe's work while they still spin; a
/// real check probes every few seconds, so each probe wakes blocked threads, which then spin before
/// they block again. The <c>…AfterIdle</c> rows (see <see cref="Pacing"/>) measure that: their
/// <c>CPU/op</c> minus that of <see cref="IdleOnly"/> is the CPU of one probe of a real check. Their
/// <c>Mean</c> includes the idling.
/// </para>
/// </remarks>
[MemoryDiagnoser]
[ProcessCpuDiagnoser]
public class CheckBenchmarks
{
    private readonly NativeHealthCheck _probe = new();
    private readonly CancellationTokenSource _stopping = new();
    private LoopbackServer _tcpServer = null!;
    private LoopbackServer _httpServer = null!;
    private TaskCheckRunner _runner = null!;
    private ProbeRequest _tcpHost = null!;
    private ProbeRequest _httpHost = null!;
    private ProbeRequest _tcpSetns = null!;
    private ProbeRequest _httpSetns = null!;

    [GlobalSetup]
    public void Setup()
    {
        _tcpServer = new LoopbackServer(LoopbackServerMode.AcceptAndClose);
        _httpServer = new LoopbackServer(LoopbackServerMode.HttpOkAndClose);
        var host = new ContainerDetails { Id = "benchmark", UsesHostNetwork = true };
        var own = new ContainerDetails { Id = "benchmark", Pid = System.Environment.ProcessId };
        var containerizer = new NoContainerizer();
        var timeout = TimeSpan.FromSeconds(5);
        _tcpHost = new ProbeRequest { Kind = ProbeKind.Tcp, Container = host, Containerizer = containerizer, Port = _tcpServer.Port, Timeout = timeout };
        _httpHost = new ProbeRequest { Kind = ProbeKind.Http, Container = host, Containerizer = containerizer, Port = _httpServer.Port, Path = "/health", Timeout = timeout };
        _tcpSetns = _tcpHost with { Container = own };
        _httpSetns = _httpHost with { Container = own };

        // A runner of a task with an HTTP health check; the benchmarks hand it their own requests.
        var task = new TaskInfo
        {
            Name = "benchmark",
            TaskId = new TaskID { Value = "benchmark" },
            HealthCheck = new HealthCheck
            {
                Type = HealthCheck.Types.Type.Http,
                Http = new HealthCheck.Types.HTTPCheckInfo { Port = (uint)_httpServer.Port, Path = "/health" },
                TimeoutSeconds = timeout.TotalSeconds,
            },
        };
        _runner = new TaskCheckRunner(task, host, containerizer, _probe, TimeProvider.System, NullLogger.Instance, static (_, _) => ValueTask.CompletedTask);
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _runner.DisposeAsync();
        _stopping.Dispose();
        _tcpServer.Dispose();
        _httpServer.Dispose();
    }

    [Benchmark]
    public Task<ProbeResult> TcpHostNetwork() => ProbeAsync(_tcpHost);

    [Benchmark]
    public Task<ProbeResult> HttpHostNetwork() => ProbeAsync(_httpHost);

    [Benchmark]
    public Task<ProbeResult> TcpViaSetns() => ProbeAsync(_tcpSetns);

    [Benchmark]
    public Task<ProbeResult> HttpViaSetns() => ProbeAsync(_httpSetns);

    /// <summary>A TCP probe after <see cref="Pacing.IdleGap"/> of idling, as between two probes of a real check.</summary>
    [Benchmark]
    public Task<ProbeResult> TcpHostNetworkAfterIdle()
    {
        Pacing.Idle();
        return ProbeAsync(_tcpHost);
    }

    /// <summary>An HTTP probe after <see cref="Pacing.IdleGap"/> of idling, as between two probes of a real check.</summary>
    [Benchmark]
    public Task<ProbeResult> HttpHostNetworkAfterIdle()
    {
        Pacing.Idle();
        return ProbeAsync(_httpHost);
    }

    /// <summary>The idling alone: subtract its <c>CPU/op</c> from the <c>…AfterIdle</c> rows.</summary>
    [Benchmark]
    public void IdleOnly() => Pacing.Idle();

    private async Task<ProbeResult> ProbeAsync(ProbeRequest request)
    {
        var result = await _runner.ProbeOnceAsync(request, "benchmark", _stopping.Token);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("probe failed: " + result.Message);
        }

        return result;
    }

    private sealed class NoContainerizer : IContainerizer
    {
        public Task<string> CreateAsync(ContainerSpec spec, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task StartAsync(string containerId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<ContainerExit> WaitAsync(string containerId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task StopAsync(string containerId, TimeSpan gracePeriod, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<ContainerDetails> InspectAsync(string containerId, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
