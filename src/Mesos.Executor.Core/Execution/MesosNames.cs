using Mesos.V1;

namespace Mesos.Executor.Core.Execution;

/// <summary>
/// The names Mesos itself uses for protobuf enum values (<c>TASK_KILLED</c>, not the generated
/// C# name <c>TaskKilled</c>), so that log lines read like the agent's and the scheduler's.
/// </summary>
internal static class MesosNames
{
    /// <summary>The proto name of <paramref name="state"/>, e.g. <c>TASK_RUNNING</c>.</summary>
    /// <param name="state">The state.</param>
    /// <returns>The name; a number for a value this build does not know.</returns>
    public static string Of(TaskState state) => state switch
    {
        TaskState.TaskStaging => "TASK_STAGING",
        TaskState.TaskStarting => "TASK_STARTING",
        TaskState.TaskRunning => "TASK_RUNNING",
        TaskState.TaskKilling => "TASK_KILLING",
        TaskState.TaskFinished => "TASK_FINISHED",
        TaskState.TaskFailed => "TASK_FAILED",
        TaskState.TaskKilled => "TASK_KILLED",
        TaskState.TaskError => "TASK_ERROR",
        TaskState.TaskLost => "TASK_LOST",
        TaskState.TaskDropped => "TASK_DROPPED",
        TaskState.TaskUnreachable => "TASK_UNREACHABLE",
        TaskState.TaskGone => "TASK_GONE",
        TaskState.TaskGoneByOperator => "TASK_GONE_BY_OPERATOR",
        TaskState.TaskUnknown => "TASK_UNKNOWN",
        _ => ((int)state).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
