using System;
using Mesos.Executor.Core;
using Mesos.V1;

namespace Mesos.Executor.Docker.Tests.Support;

/// <summary>Builds tasks and container specs for the mapping and integration tests.</summary>
internal static class TestTasks
{
    public const string Image = "mesos-executor-test/busybox:1";

    /// <summary>A Docker task with <paramref name="network"/> and a shell command (or none).</summary>
    public static TaskInfo Task(
        string? shellCommand = null,
        ContainerInfo.Types.DockerInfo.Types.Network network = ContainerInfo.Types.DockerInfo.Types.Network.Host,
        string image = Image,
        string? taskId = null)
    {
        var task = new TaskInfo
        {
            Name = "test-task",
            TaskId = new TaskID { Value = taskId ?? "task-" + Guid.NewGuid().ToString("N")[..8] },
            AgentId = new AgentID { Value = "agent-1" },
            Container = new ContainerInfo
            {
                Type = ContainerInfo.Types.Type.Docker,
                Docker = new ContainerInfo.Types.DockerInfo { Image = image, Network = network },
            },
        };
        if (shellCommand != null)
        {
            task.Command = new CommandInfo { Value = shellCommand, Shell = true };
        }

        return task;
    }

    public static ContainerSpec Spec(TaskInfo task, string? sandbox = null) => new()
    {
        Task = task,
        Framework = new FrameworkInfo { Name = "framework", User = "root", Id = new FrameworkID { Value = "framework-1" } },
        Executor = new ExecutorInfo
        {
            ExecutorId = new ExecutorID { Value = "executor-1" },
            FrameworkId = new FrameworkID { Value = "framework-1" },
        },
        SandboxDirectory = sandbox,
    };

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

    public static Parameter Parameter(string key, string value) => new() { Key = key, Value = value };
}
