using System;
using System.Buffers;
using System.IO;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using Mesos.Executor.Core;
using Mesos.Executor.Core.Agent;
using Mesos.Executor.Core.RecordIO;
using Mesos.V1;
using Mesos.V1.Executor;

namespace Mesos.Executor.Benchmarks;

/// <summary>
/// The SUBSCRIBE stream's hot path: RecordIO framing plus event decoding, from an in-memory body.
/// Every benchmark decodes <see cref="RecordCount"/> records per invocation, so the reported mean
/// and allocation are per record (records/s = 1e9 / mean in ns).
/// </summary>
[MemoryDiagnoser]
[ProcessCpuDiagnoser]
public class RecordIODecodeBenchmarks
{
    private const int RecordCount = 1000;

    private byte[] _acknowledgedStream = [];
    private byte[] _launchStream = [];
    private byte[] _mixedStream = [];
    private byte[] _mixedJsonStream = [];

    [GlobalSetup]
    public void Setup()
    {
        Event launch = LaunchEvent();
        Event acknowledged = AcknowledgedEvent();
        int launchSize = launch.CalculateSize();
        if (launchSize is < 1000 or > 2100)
        {
            throw new InvalidOperationException($"The LAUNCH sample should be 1-2 KB, not {launchSize} bytes.");
        }

        _acknowledgedStream = BuildBody(i => acknowledged, AgentContentType.Protobuf);
        _launchStream = BuildBody(i => launch, AgentContentType.Protobuf);

        // A realistic mix: every launch is followed by a few acknowledgements and the odd heartbeat.
        _mixedStream = BuildBody(i => Mixed(i, launch, acknowledged), AgentContentType.Protobuf);
        _mixedJsonStream = BuildBody(i => Mixed(i, launch, acknowledged), AgentContentType.Json);
    }

    [Benchmark(OperationsPerInvoke = RecordCount)]
    public Task<int> Acknowledged_Protobuf() => DecodeAllAsync(_acknowledgedStream, AgentContentType.Protobuf);

    [Benchmark(OperationsPerInvoke = RecordCount)]
    public Task<int> Launch_Protobuf() => DecodeAllAsync(_launchStream, AgentContentType.Protobuf);

    [Benchmark(Baseline = true, OperationsPerInvoke = RecordCount)]
    public Task<int> Mixed_Protobuf() => DecodeAllAsync(_mixedStream, AgentContentType.Protobuf);

    [Benchmark(OperationsPerInvoke = RecordCount)]
    public Task<int> Mixed_Json() => DecodeAllAsync(_mixedJsonStream, AgentContentType.Json);

    private static async Task<int> DecodeAllAsync(byte[] body, AgentContentType contentType)
    {
        int checksum = 0;
        await using var reader = new RecordIOReader(new MemoryStream(body, writable: false));
        while (await reader.ReadRecordAsync().ConfigureAwait(false) is { } record)
        {
            Event decoded = MesosCodec.DecodeEvent(record, contentType);
            checksum += (int)decoded.Type;
        }

        return checksum;
    }

    private static Event Mixed(int index, Event launch, Event acknowledged) => (index % 5) switch
    {
        0 => launch,
        4 when index % 50 == 4 => new Event { Type = Event.Types.Type.Heartbeat },
        _ => acknowledged,
    };

    private static byte[] BuildBody(Func<int, Event> eventAt, AgentContentType contentType)
    {
        var output = new ArrayBufferWriter<byte>();
        for (int i = 0; i < RecordCount; i++)
        {
            RecordIOWriter.WriteRecord(output, MesosCodec.EncodeEvent(eventAt(i), contentType));
        }

        return output.WrittenSpan.ToArray();
    }

    private static Event AcknowledgedEvent() => new()
    {
        Type = Event.Types.Type.Acknowledged,
        Acknowledged = new Event.Types.Acknowledged
        {
            TaskId = new TaskID { Value = "web.7f9c2a1e-5b1d-11ef-9a42-0242ac110002" },
            Uuid = ByteString.CopyFrom(Guid.NewGuid().ToByteArray()),
        },
    };

    // A Marathon-style Docker task: resources, command with environment, container with port
    // mappings, parameters and volumes, health check, kill policy, labels, discovery.
    private static Event LaunchEvent()
    {
        var task = new TaskInfo
        {
            Name = "web",
            TaskId = new TaskID { Value = "web.7f9c2a1e-5b1d-11ef-9a42-0242ac110002" },
            AgentId = new AgentID { Value = "f1c9cdc5-195e-41a7-a0d7-adaa9af07f81-S3" },
            Resources =
            {
                Scalar("cpus", 0.5),
                Scalar("mem", 256),
                Scalar("disk", 1024),
                new Resource
                {
                    Name = "ports",
                    Type = Value.Types.Type.Ranges,
                    Ranges = new Value.Types.Ranges { Range = { new Value.Types.Range { Begin = 31080, End = 31081 } } },
                },
            },
            Command = new CommandInfo
            {
                Shell = true,
                Value = "exec /usr/local/bin/server --port=8080 --metrics-port=9090 --config=/etc/app/config.yaml",
                Environment = new Mesos.V1.Environment(),
            },
            Container = new ContainerInfo
            {
                Type = ContainerInfo.Types.Type.Docker,
                Docker = new ContainerInfo.Types.DockerInfo
                {
                    Image = "registry.example.test/platform/web-frontend:2024.06.11-3f9c2a1",
                    Network = ContainerInfo.Types.DockerInfo.Types.Network.Bridge,
                    ForcePullImage = false,
                    PortMappings =
                    {
                        new ContainerInfo.Types.DockerInfo.Types.PortMapping { HostPort = 31080, ContainerPort = 8080, Protocol = "tcp" },
                        new ContainerInfo.Types.DockerInfo.Types.PortMapping { HostPort = 31081, ContainerPort = 9090, Protocol = "tcp" },
                    },
                    Parameters =
                    {
                        new Parameter { Key = "label", Value = "com.example.team=web" },
                        new Parameter { Key = "ulimit", Value = "nofile=65536:65536" },
                        new Parameter { Key = "log-driver", Value = "json-file" },
                    },
                },
                Volumes =
                {
                    new Volume { ContainerPath = "/data", HostPath = "data", Mode = Volume.Types.Mode.Rw },
                    new Volume { ContainerPath = "/etc/app", HostPath = "/etc/web-frontend", Mode = Volume.Types.Mode.Ro },
                },
            },
            HealthCheck = new HealthCheck
            {
                Type = HealthCheck.Types.Type.Http,
                Http = new HealthCheck.Types.HTTPCheckInfo { Port = 8080, Path = "/healthz", Scheme = "http" },
                DelaySeconds = 15,
                IntervalSeconds = 10,
                TimeoutSeconds = 5,
                ConsecutiveFailures = 3,
                GracePeriodSeconds = 60,
            },
            KillPolicy = new KillPolicy { GracePeriod = new DurationInfo { Nanoseconds = 30_000_000_000L } },
            Labels = new Labels(),
            Discovery = new DiscoveryInfo
            {
                Visibility = DiscoveryInfo.Types.Visibility.Cluster,
                Name = "web-frontend",
                Ports = new Ports { Ports_ = { new Port { Number = 31080, Name = "http", Protocol = "tcp" } } },
            },
        };

        string[] environment = ["APP_ENV=production", "LOG_LEVEL=info", "HOST=0.0.0.0", "PORT0=31080", "PORT1=31081", "MARATHON_APP_ID=/platform/web-frontend", "MARATHON_APP_VERSION=2024-06-11T09:12:44.511Z", "MESOS_TASK_ID=web.7f9c2a1e-5b1d-11ef-9a42-0242ac110002"];
        foreach (string variable in environment)
        {
            string[] parts = variable.Split('=', 2);
            task.Command.Environment.Variables.Add(new Mesos.V1.Environment.Types.Variable { Name = parts[0], Value = parts[1] });
        }

        foreach ((string key, string value) in new[] { ("team", "web"), ("tier", "frontend"), ("owner", "platform@example.test"), ("HAPROXY_GROUP", "external"), ("HAPROXY_0_VHOST", "www.example.test") })
        {
            task.Labels.Labels_.Add(new Label { Key = key, Value = value });
        }

        return new Event { Type = Event.Types.Type.Launch, Launch = new Event.Types.Launch { Task = task } };
    }

    private static Resource Scalar(string name, double value) => new()
    {
        Name = name,
        Type = Value.Types.Type.Scalar,
        Scalar = new Value.Types.Scalar { Value = value },
    };
}
