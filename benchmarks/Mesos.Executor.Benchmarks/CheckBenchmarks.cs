using System;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Mesos.Executor.Core;

namespace Mesos.Executor.Benchmarks;

/// <summary>
/// One HTTP and one TCP health-check probe of <see cref="NativeHealthCheck"/> against an in-process
/// loopback server: with host networking, and through <c>setns(2)</c> into this process's own
/// network namespace (the dedicated-thread path every bridge-mode container takes; needs root).
/// </summary>
/// <remarks>
/// BenchmarkDotNet reports wall time and allocations. Process CPU per probe (client and the
/// in-process server together, so an upper bound for the probe) is printed at the end of each
/// benchmark as <c>// CPU per probe</c>.
/// </remarks>
[MemoryDiagnoser]
public class CheckBenchmarks
{
    private static readonly byte[] Response = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

    private readonly NativeHealthCheck _probe = new();
    private readonly CancellationTokenSource _stop = new();
    private TcpListener _listener = null!;
    private Task _server = null!;
    private ProbeRequest _tcpHost = null!;
    private ProbeRequest _httpHost = null!;
    private ProbeRequest _tcpSetns = null!;
    private ProbeRequest _httpSetns = null!;
    private TimeSpan _cpuAtStart;
    private long _probes;

    [GlobalSetup]
    public void Setup()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start(1024);
        _server = Task.Run(ServeAsync);
        int port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        var host = new ContainerDetails { Id = "benchmark", UsesHostNetwork = true };
        var own = new ContainerDetails { Id = "benchmark", Pid = Environment.ProcessId };
        var containerizer = new NoContainerizer();
        _tcpHost = new ProbeRequest { Kind = ProbeKind.Tcp, Container = host, Containerizer = containerizer, Port = port, Timeout = TimeSpan.FromSeconds(5) };
        _httpHost = _tcpHost with { Kind = ProbeKind.Http, Path = "/health" };
        _tcpSetns = _tcpHost with { Container = own };
        _httpSetns = _httpHost with { Container = own };
        _cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - _cpuAtStart;
        long probes = Interlocked.Read(ref _probes);
        if (probes > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// CPU per probe: {cpu.TotalMilliseconds * 1000 / probes:F1} us over {probes} probes (client + in-process server)"));
        }

        _stop.Cancel();
        _listener.Stop();
        _server.GetAwaiter().GetResult();
    }

    [Benchmark]
    public Task<ProbeResult> TcpHostNetwork() => ProbeAsync(_tcpHost);

    [Benchmark]
    public Task<ProbeResult> HttpHostNetwork() => ProbeAsync(_httpHost);

    [Benchmark]
    public Task<ProbeResult> TcpViaSetns() => ProbeAsync(_tcpSetns);

    [Benchmark]
    public Task<ProbeResult> HttpViaSetns() => ProbeAsync(_httpSetns);

    private async Task<ProbeResult> ProbeAsync(ProbeRequest request)
    {
        Interlocked.Increment(ref _probes);
        var result = await _probe.ProbeAsync(request);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("probe failed: " + result.Message);
        }

        return result;
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            _ = AnswerAsync(client);
        }
    }

    private static async Task AnswerAsync(Socket client)
    {
        using (client)
        {
            var buffer = new byte[1024];
            try
            {
                // A TCP probe closes at once (read returns 0); an HTTP probe sends one small head.
                int read = await client.ReceiveAsync(buffer, SocketFlags.None);
                if (read > 0)
                {
                    await client.SendAsync(Response, SocketFlags.None);
                }
            }
            catch (SocketException)
            {
            }
        }
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
