using Google.Protobuf;
using Mesos.V1;
using Mesos.V1.Executor;

namespace Mesos.Executor.Testing.Internal;

/// <summary>The events the fake agent builds itself: SUBSCRIBED from its options, and ACKNOWLEDGED.</summary>
internal static class AgentEvents
{
    /// <summary>The SUBSCRIBED event: the configured infos, or defaults built from the ids.</summary>
    public static Event Subscribed(FakeAgentOptions options, int port)
    {
        var frameworkId = new FrameworkID { Value = options.FrameworkId };
        FrameworkInfo framework = options.FrameworkInfo ?? new FrameworkInfo
        {
            User = "root",
            Name = "fake-framework",
            Id = frameworkId,
        };
        if (options.FrameworkInfo == null)
        {
            foreach (FrameworkInfo.Types.Capability.Types.Type capability in options.FrameworkCapabilities)
            {
                framework.Capabilities.Add(new FrameworkInfo.Types.Capability { Type = capability });
            }
        }

        return new Event
        {
            Type = Event.Types.Type.Subscribed,
            Subscribed = new Event.Types.Subscribed
            {
                ExecutorInfo = options.ExecutorInfo ?? new ExecutorInfo
                {
                    ExecutorId = new ExecutorID { Value = options.ExecutorId },
                    FrameworkId = frameworkId,
                    Type = ExecutorInfo.Types.Type.Custom,
                    Name = "fake executor",
                    Command = new CommandInfo { Value = "executor" },
                },
                FrameworkInfo = framework,
                AgentInfo = options.AgentInfo ?? new AgentInfo
                {
                    Hostname = "localhost",
                    Id = new AgentID { Value = options.AgentId },
                    Port = port,
                },
                ContainerId = new ContainerID { Value = options.ContainerId },
            },
        };
    }

    /// <summary>ACKNOWLEDGED for one update.</summary>
    public static Event Acknowledged(TaskID taskId, ByteString uuid) => new()
    {
        Type = Event.Types.Type.Acknowledged,
        Acknowledged = new Event.Types.Acknowledged { TaskId = taskId, Uuid = uuid },
    };
}
