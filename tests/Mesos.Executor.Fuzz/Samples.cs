using Mesos.V1;

namespace Mesos.Executor.Fuzz;

/// <summary>Well-formed messages for the seeds, shaped like the test suite's (tests/*/Support/TestTasks.cs).</summary>
internal static class Samples
{
    public static FrameworkInfo Framework() => new() { Name = "framework", User = "root", Id = new FrameworkID { Value = "framework-1" } };

    public static ExecutorInfo Executor() => new()
    {
        ExecutorId = new ExecutorID { Value = "executor-1" },
        FrameworkId = new FrameworkID { Value = "framework-1" },
    };

    public static Resource Scalar(string name, double value) => new()
    {
        Name = name,
        Type = Value.Types.Type.Scalar,
        Scalar = new Value.Types.Scalar { Value = value },
    };

    public static TaskInfo DockerTask()
    {
        var task = new TaskInfo
        {
            Name = "test-task",
            TaskId = new TaskID { Value = "task-1" },
            AgentId = new AgentID { Value = "agent-1" },
            Command = new CommandInfo { Value = "sleep 10", Shell = true },
            Resources = { Scalar("cpus", 0.5), Scalar("mem", 128) },
            Container = new ContainerInfo
            {
                Type = ContainerInfo.Types.Type.Docker,
                Docker = new ContainerInfo.Types.DockerInfo
                {
                    Image = "mesos-executor-test/busybox:1",
                    Network = ContainerInfo.Types.DockerInfo.Types.Network.Bridge,
                    PortMappings = { new ContainerInfo.Types.DockerInfo.Types.PortMapping { HostPort = 31000, ContainerPort = 80, Protocol = "tcp" } },
                    Parameters = { new Parameter { Key = "cap-add", Value = "NET_ADMIN" }, new Parameter { Key = "env", Value = "A=1" } },
                },
                Volumes = { new Volume { ContainerPath = "/data", HostPath = "/tmp", Mode = Volume.Types.Mode.Ro } },
            },
            Labels = new Labels { Labels_ = { new Label { Key = "allowed_sources", Value = "10.0.0.0/8,192.168.1.1" } } },
            HealthCheck = new HealthCheck
            {
                Type = HealthCheck.Types.Type.Http,
                Http = new HealthCheck.Types.HTTPCheckInfo { Port = 80, Path = "/health", Scheme = "http" },
                DelaySeconds = 0,
                IntervalSeconds = 10,
                TimeoutSeconds = 20,
                ConsecutiveFailures = 3,
                GracePeriodSeconds = 10,
            },
            Check = new CheckInfo
            {
                Type = CheckInfo.Types.Type.Tcp,
                Tcp = new CheckInfo.Types.Tcp { Port = 80 },
                DelaySeconds = 1,
                IntervalSeconds = 5,
                TimeoutSeconds = 2,
            },
        };
        return task;
    }
}
