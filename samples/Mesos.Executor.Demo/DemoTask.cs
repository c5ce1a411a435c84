using System;
using Google.Protobuf;
using Mesos.V1;

namespace Mesos.Executor.Demo;

/// <summary>The TaskInfo the demo and the footprint harness launch: a Docker task, optionally with an HTTP health check.</summary>
internal static class DemoTask
{
    /// <summary>The image build/ensure-docker.sh creates locally.</summary>
    public const string DefaultImage = "mesos-executor-test/busybox:1";

    /// <summary>The port the default command serves on.</summary>
    public const int DefaultPort = 8080;

    /// <summary>
    /// The default command: busybox's web server in the foreground, serving /var/www (an
    /// index.html saying "ok"), under a shell that stops it on SIGTERM (as PID 1, httpd itself
    /// would ignore SIGTERM and be SIGKILLed at the end of the grace period).
    /// </summary>
    /// <param name="port">The port to serve on.</param>
    /// <returns>The shell command.</returns>
    public static string DefaultCommand(int port) =>
        $"httpd -f -p {port} -h /var/www & pid=$!; trap 'kill $pid; exit 0' TERM; wait $pid";

    /// <summary>Creates the task.</summary>
    /// <param name="taskId">The task id.</param>
    /// <param name="agentId">The agent's id.</param>
    /// <param name="image">The Docker image.</param>
    /// <param name="command">The shell command.</param>
    /// <param name="healthPort">The port of the HTTP health check, or 0 for none.</param>
    /// <param name="healthInterval">Seconds between health checks.</param>
    /// <returns>The task.</returns>
    public static TaskInfo Create(string taskId, string agentId, string image, string command, int healthPort, double healthInterval = 1)
    {
        var task = new TaskInfo
        {
            Name = taskId,
            TaskId = new TaskID { Value = taskId },
            AgentId = new AgentID { Value = agentId },
            Command = new CommandInfo { Shell = true, Value = command },
            Container = new ContainerInfo
            {
                Type = ContainerInfo.Types.Type.Docker,
                Docker = new ContainerInfo.Types.DockerInfo
                {
                    Image = image,
                    // Bridge: the container has its own network namespace, so the health check
                    // probes 127.0.0.1 inside it and the port cannot clash with the host's.
                    Network = ContainerInfo.Types.DockerInfo.Types.Network.Bridge,
                },
            },
            KillPolicy = new KillPolicy { GracePeriod = new DurationInfo { Nanoseconds = 2_000_000_000 } },
        };
        task.Resources.Add(Scalar("cpus", 0.1));
        task.Resources.Add(Scalar("mem", 32));
        if (healthPort > 0)
        {
            task.HealthCheck = new HealthCheck
            {
                Type = HealthCheck.Types.Type.Http,
                Http = new HealthCheck.Types.HTTPCheckInfo { Port = (uint)healthPort, Path = "/" },
                DelaySeconds = 1,
                IntervalSeconds = healthInterval,
                TimeoutSeconds = 1,
                GracePeriodSeconds = 10,
                ConsecutiveFailures = 3,
            };
        }

        return task;
    }

    /// <summary>Whether a state ends a task.</summary>
    /// <param name="state">The state.</param>
    /// <returns><see langword="true"/> for terminal states.</returns>
    public static bool IsTerminal(TaskState state) => state is TaskState.TaskFinished or TaskState.TaskFailed or TaskState.TaskKilled
        or TaskState.TaskLost or TaskState.TaskError or TaskState.TaskDropped or TaskState.TaskGone or TaskState.TaskGoneByOperator;

    /// <summary>One line describing a status update.</summary>
    /// <param name="status">The update.</param>
    /// <param name="elapsed">Time since the demo started.</param>
    /// <returns>The line.</returns>
    public static string Describe(TaskStatus status, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(status);
        var line = new System.Text.StringBuilder();
        line.Append(System.Globalization.CultureInfo.InvariantCulture, $"[{elapsed.TotalSeconds,6:F2}s] {MesosName(status.State.ToString()),-13}");
        if (status.HasHealthy)
        {
            line.Append(status.Healthy ? " healthy=true " : " healthy=false");
        }

        if (status.HasReason)
        {
            line.Append(" reason=REASON_").Append(MesosName(status.Reason.ToString()));
        }

        if (status.HasMessage && status.Message.Length > 0)
        {
            line.Append(" message=\"").Append(status.Message.ReplaceLineEndings(" ")).Append('"');
        }

        return line.ToString();
    }

    /// <summary>
    /// The Mesos spelling of a generated enum value (<c>TaskRunning</c> → <c>TASK_RUNNING</c>),
    /// without touching protobuf reflection (descriptors cost memory in the NativeAOT binary).
    /// </summary>
    /// <param name="name">The C# enum value's name.</param>
    /// <returns>The upper snake case name.</returns>
    public static string MesosName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var result = new System.Text.StringBuilder(name.Length + 8);
        for (int i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]))
            {
                result.Append('_');
            }

            result.Append(char.ToUpperInvariant(name[i]));
        }

        return result.ToString();
    }

    private static Resource Scalar(string name, double value) => new()
    {
        Name = name,
        Type = Value.Types.Type.Scalar,
        Scalar = new Value.Types.Scalar { Value = value },
    };

    /// <summary>Compares update uuids by content (updates are retried with the same uuid).</summary>
    /// <param name="uuid">The uuid.</param>
    /// <returns>A string key.</returns>
    public static string Key(ByteString uuid) => Convert.ToHexString(uuid.Span);
}
