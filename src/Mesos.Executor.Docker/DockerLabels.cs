namespace Mesos.Executor.Docker;

/// <summary>
/// The labels the <see cref="DockerContainerizer"/> puts on every container it creates, so that the
/// task, executor and framework of a container can be found with <c>docker ps --filter label=…</c>.
/// They are applied last: task labels, hooks and parameters cannot override them.
/// </summary>
public static class DockerLabels
{
    /// <summary>The prefix of every label set by the containerizer.</summary>
    public const string Prefix = "mesos.executor.";

    /// <summary>The task's <c>TaskID</c>.</summary>
    public const string TaskId = Prefix + "task_id";

    /// <summary>The <c>ExecutorID</c> of the executor running the task.</summary>
    public const string ExecutorId = Prefix + "executor_id";

    /// <summary>The task's <c>FrameworkID</c>.</summary>
    public const string FrameworkId = Prefix + "framework_id";
}
