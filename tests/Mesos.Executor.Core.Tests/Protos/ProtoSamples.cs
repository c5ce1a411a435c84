using System;
using System.Collections.Generic;
using Google.Protobuf;
using Mesos.V1;
using Mesos.V1.Executor;

namespace Mesos.Executor.Core.Tests.Protos;

/// <summary>Fully populated examples of every message an executor receives or sends.</summary>
internal static class ProtoSamples
{
    public const string FrameworkIdValue = "49154f1b-8cf6-4421-bf13-8bd11dccd1f1-0000";
    public const string ExecutorIdValue = "web.7f9c2a1e-executor";
    public const string AgentIdValue = "f1c9cdc5-195e-41a7-a0d7-adaa9af07f81-S3";
    public const string TaskIdValue = "web.7f9c2a1e-5b1d-11ef-9a42-0242ac110002";

    public static readonly byte[] UuidBytes = Guid.Parse("0b4c0d9e-6ea4-4e55-9b1c-2e7c8f3a1d55").ToByteArray();

    public static FrameworkID FrameworkId => new() { Value = FrameworkIdValue };

    public static ExecutorID ExecutorId => new() { Value = ExecutorIdValue };

    public static TaskID TaskId => new() { Value = TaskIdValue };

    public static KillPolicy KillPolicy(long seconds) => new() { GracePeriod = new DurationInfo { Nanoseconds = seconds * 1_000_000_000L } };

    public static Labels Labels(params (string Key, string Value)[] labels)
    {
        var result = new Labels();
        foreach ((string key, string value) in labels)
        {
            result.Labels_.Add(new Label { Key = key, Value = value });
        }

        return result;
    }

    public static Resource Scalar(string name, double value) => new()
    {
        Name = name,
        Type = Value.Types.Type.Scalar,
        Scalar = new Value.Types.Scalar { Value = value },
    };

    public static Resource Ports(ulong begin, ulong end) => new()
    {
        Name = "ports",
        Type = Value.Types.Type.Ranges,
        Ranges = new Value.Types.Ranges { Range = { new Value.Types.Range { Begin = begin, End = end } } },
    };

    public static ExecutorInfo ExecutorInfo() => new()
    {
        ExecutorId = ExecutorId,
        FrameworkId = FrameworkId,
        Name = "docker-executor",
        Type = Mesos.V1.ExecutorInfo.Types.Type.Custom,
        Command = new CommandInfo
        {
            Value = "/usr/local/bin/mesos-executor",
            Shell = false,
            Arguments = { "mesos-executor", "--container=mesos-1234" },
            Uris = { new CommandInfo.Types.URI { Value = "https://example.test/executor.tar.gz", Extract = true, Cache = true } },
        },
        Resources = { Scalar("cpus", 0.1), Scalar("mem", 32) },
        ShutdownGracePeriod = new DurationInfo { Nanoseconds = 5_000_000_000L },
        Labels = Labels(("team", "web")),
        Data = ByteString.CopyFrom(1, 2, 3),
    };

    public static FrameworkInfo FrameworkInfo() => new()
    {
        User = "root",
        Name = "marathon",
        Id = FrameworkId,
        FailoverTimeout = 604800,
        Checkpoint = true,
        Hostname = "master-1.example.test",
        Principal = "marathon",
        Roles = { "web", "batch" },
        Capabilities =
        {
            new FrameworkInfo.Types.Capability { Type = Mesos.V1.FrameworkInfo.Types.Capability.Types.Type.TaskKillingState },
            new FrameworkInfo.Types.Capability { Type = Mesos.V1.FrameworkInfo.Types.Capability.Types.Type.MultiRole },
        },
        Labels = Labels(("owner", "platform")),
    };

    public static AgentInfo AgentInfo() => new()
    {
        Hostname = "agent-3.example.test",
        Id = new AgentID { Value = AgentIdValue },
        Port = 5051,
        Resources = { Scalar("cpus", 16), Scalar("mem", 65536), Ports(31000, 32000) },
        Attributes =
        {
            new Mesos.V1.Attribute { Name = "rack", Type = Value.Types.Type.Text, Text = new Value.Types.Text { Value = "r12" } },
        },
        Domain = new DomainInfo
        {
            FaultDomain = new DomainInfo.Types.FaultDomain
            {
                Region = new DomainInfo.Types.FaultDomain.Types.RegionInfo { Name = "eu-west" },
                Zone = new DomainInfo.Types.FaultDomain.Types.ZoneInfo { Name = "eu-west-1a" },
            },
        },
    };

    public static ContainerID ContainerId() => new()
    {
        Value = "c8d3a7a2-0d44-4f2f-8bb0-6f1d2a3b4c5d",
        Parent = new ContainerID { Value = "a1b2c3d4-parent" },
    };

    /// <summary>A TaskInfo using every part of the Docker task model the executor implements.</summary>
    public static TaskInfo RichTaskInfo(string taskId = TaskIdValue) => new()
    {
        Name = "web",
        TaskId = new TaskID { Value = taskId },
        AgentId = new AgentID { Value = AgentIdValue },
        Resources = { Scalar("cpus", 0.5), Scalar("mem", 256), Ports(31080, 31081) },
        Command = new CommandInfo
        {
            Shell = true,
            Value = "exec httpd -f -p 8080 -h /var/www",
            User = "nobody",
            Environment = new Mesos.V1.Environment
            {
                Variables =
                {
                    new Mesos.V1.Environment.Types.Variable { Name = "MODE", Value = "production" },
                    new Mesos.V1.Environment.Types.Variable { Name = "PORT0", Value = "31080", Type = Mesos.V1.Environment.Types.Variable.Types.Type.Value },
                },
            },
        },
        Container = new ContainerInfo
        {
            Type = ContainerInfo.Types.Type.Docker,
            Hostname = "web-1",
            Docker = new ContainerInfo.Types.DockerInfo
            {
                Image = "mesos-executor-test/busybox:1",
                Network = ContainerInfo.Types.DockerInfo.Types.Network.Bridge,
                Privileged = false,
                ForcePullImage = true,
                PortMappings =
                {
                    new ContainerInfo.Types.DockerInfo.Types.PortMapping { HostPort = 31080, ContainerPort = 8080, Protocol = "tcp" },
                    new ContainerInfo.Types.DockerInfo.Types.PortMapping { HostPort = 31081, ContainerPort = 53, Protocol = "udp" },
                },
                Parameters =
                {
                    new Parameter { Key = "label", Value = "tier=web" },
                    new Parameter { Key = "ulimit", Value = "nofile=1024:2048" },
                },
            },
            Volumes =
            {
                new Volume { ContainerPath = "/data", HostPath = "data", Mode = Volume.Types.Mode.Rw },
                new Volume { ContainerPath = "/etc/app", HostPath = "/etc/app", Mode = Volume.Types.Mode.Ro },
                new Volume
                {
                    ContainerPath = "/cache",
                    Mode = Volume.Types.Mode.Rw,
                    Source = new Volume.Types.Source
                    {
                        Type = Volume.Types.Source.Types.Type.DockerVolume,
                        DockerVolume = new Volume.Types.Source.Types.DockerVolume { Driver = "local", Name = "cache" },
                    },
                },
            },
            NetworkInfos =
            {
                new NetworkInfo
                {
                    Name = "bridge",
                    PortMappings = { new NetworkInfo.Types.PortMapping { HostPort = 31080, ContainerPort = 8080, Protocol = "tcp" } },
                },
            },
        },
        HealthCheck = new HealthCheck
        {
            Type = HealthCheck.Types.Type.Http,
            Http = new HealthCheck.Types.HTTPCheckInfo { Port = 8080, Path = "/index.html", Scheme = "http", Statuses = { 200, 204 } },
            DelaySeconds = 5,
            IntervalSeconds = 2,
            TimeoutSeconds = 1,
            ConsecutiveFailures = 4,
            GracePeriodSeconds = 30,
        },
        Check = new CheckInfo
        {
            Type = CheckInfo.Types.Type.Tcp,
            Tcp = new CheckInfo.Types.Tcp { Port = 8080 },
            DelaySeconds = 1,
            IntervalSeconds = 3,
            TimeoutSeconds = 2,
        },
        KillPolicy = KillPolicy(7),
        Labels = Labels(("app", "web"), ("version", "1.2.3")),
        Discovery = new DiscoveryInfo
        {
            Visibility = DiscoveryInfo.Types.Visibility.Cluster,
            Name = "web",
            Ports = new Mesos.V1.Ports { Ports_ = { new Port { Number = 31080, Name = "http", Protocol = "tcp" } } },
        },
        MaxCompletionTime = new DurationInfo { Nanoseconds = 3_600_000_000_000L },
        Data = ByteString.CopyFromUtf8("opaque framework data"),
        Limits = { ["cpus"] = new Value.Types.Scalar { Value = 1 } },
    };

    public static TaskStatus RunningStatus() => new()
    {
        TaskId = TaskId,
        State = TaskState.TaskRunning,
        Source = TaskStatus.Types.Source.Executor,
        Reason = TaskStatus.Types.Reason.TaskHealthCheckStatusUpdated,
        Message = "container is running",
        ExecutorId = ExecutorId,
        AgentId = new AgentID { Value = AgentIdValue },
        Timestamp = 1_718_000_000.25,
        Healthy = true,
        Uuid = ByteString.CopyFrom(UuidBytes),
        Data = ByteString.CopyFromUtf8("{\"ip\":\"172.17.0.2\"}"),
        Labels = Labels(("attempt", "1")),
        ContainerStatus = new ContainerStatus
        {
            ContainerId = ContainerId(),
            ExecutorPid = 4242,
            NetworkInfos =
            {
                new NetworkInfo
                {
                    Name = "bridge",
                    IpAddresses =
                    {
                        new NetworkInfo.Types.IPAddress { Protocol = NetworkInfo.Types.Protocol.Ipv4, IpAddress = "172.17.0.2" },
                        new NetworkInfo.Types.IPAddress { Protocol = NetworkInfo.Types.Protocol.Ipv6, IpAddress = "fd00::2" },
                    },
                },
            },
        },
        CheckStatus = new CheckStatusInfo
        {
            Type = CheckInfo.Types.Type.Http,
            Http = new CheckStatusInfo.Types.Http { StatusCode = 200 },
        },
    };

    public static IEnumerable<(string Name, Event Event)> AllEvents()
    {
        yield return ("SUBSCRIBED", new Event
        {
            Type = Event.Types.Type.Subscribed,
            Subscribed = new Event.Types.Subscribed
            {
                ExecutorInfo = ExecutorInfo(),
                FrameworkInfo = FrameworkInfo(),
                AgentInfo = AgentInfo(),
                ContainerId = ContainerId(),
            },
        });
        yield return ("LAUNCH", new Event
        {
            Type = Event.Types.Type.Launch,
            Launch = new Event.Types.Launch { Task = RichTaskInfo() },
        });
        yield return ("LAUNCH_GROUP", new Event
        {
            Type = Event.Types.Type.LaunchGroup,
            LaunchGroup = new Event.Types.LaunchGroup
            {
                TaskGroup = new TaskGroupInfo { Tasks = { RichTaskInfo("group.a"), RichTaskInfo("group.b") } },
            },
        });
        yield return ("KILL", new Event
        {
            Type = Event.Types.Type.Kill,
            Kill = new Event.Types.Kill { TaskId = TaskId, KillPolicy = KillPolicy(2) },
        });
        yield return ("ACKNOWLEDGED", new Event
        {
            Type = Event.Types.Type.Acknowledged,
            Acknowledged = new Event.Types.Acknowledged { TaskId = TaskId, Uuid = ByteString.CopyFrom(UuidBytes) },
        });
        yield return ("MESSAGE", new Event
        {
            Type = Event.Types.Type.Message,
            Message = new Event.Types.Message { Data = ByteString.CopyFrom(0, 1, 2, 0xfe, 0xff) },
        });
        yield return ("ERROR", new Event
        {
            Type = Event.Types.Type.Error,
            Error = new Event.Types.Error { Message = "Framework completed" },
        });
        yield return ("HEARTBEAT", new Event { Type = Event.Types.Type.Heartbeat });
        yield return ("SHUTDOWN", new Event { Type = Event.Types.Type.Shutdown });
    }

    public static IEnumerable<(string Name, Call Call)> AllCalls()
    {
        yield return ("SUBSCRIBE", new Call
        {
            Type = Call.Types.Type.Subscribe,
            ExecutorId = ExecutorId,
            FrameworkId = FrameworkId,
            Subscribe = new Call.Types.Subscribe
            {
                UnacknowledgedTasks = { RichTaskInfo() },
                UnacknowledgedUpdates = { new Call.Types.Update { Status = RunningStatus() } },
            },
        });
        yield return ("UPDATE", new Call
        {
            Type = Call.Types.Type.Update,
            ExecutorId = ExecutorId,
            FrameworkId = FrameworkId,
            Update = new Call.Types.Update { Status = RunningStatus() },
        });
        yield return ("MESSAGE", new Call
        {
            Type = Call.Types.Type.Message,
            ExecutorId = ExecutorId,
            FrameworkId = FrameworkId,
            Message = new Call.Types.Message { Data = ByteString.CopyFromUtf8("hello scheduler") },
        });
        yield return ("HEARTBEAT", new Call
        {
            Type = Call.Types.Type.Heartbeat,
            ExecutorId = ExecutorId,
            FrameworkId = FrameworkId,
        });
    }
}
