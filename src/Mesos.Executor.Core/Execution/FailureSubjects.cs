using System.Collections.Generic;
using Mesos.V1;
using Mesos.V1.Executor;

namespace Mesos.Executor.Core.Execution;

/// <summary>
/// Which tasks a loop message concerns, and what the loop was doing for them: when its handler
/// throws, those tasks end with TASK_FAILED saying so.
/// </summary>
internal static class FailureSubjects
{
    /// <summary>The tasks <paramref name="message"/> concerns and a phrase naming the work (e.g. "to launch the task").</summary>
    public static (List<TrackedTask> Tasks, string Doing) Of(LoopMessage message, IReadOnlyDictionary<string, TrackedTask> tasks)
    {
        var found = new List<TrackedTask>();
        void AddKey(string? key)
        {
            if (key != null && tasks.TryGetValue(key, out TrackedTask? task))
            {
                found.Add(task);
            }
        }

        void AddLaunched(IEnumerable<TaskInfo> infos)
        {
            // Only the tasks this LAUNCH created: a live task with a duplicate id is not its concern.
            foreach (TaskInfo info in infos)
            {
                if (info.TaskId != null && tasks.TryGetValue(info.TaskId.Value, out TrackedTask? task) && ReferenceEquals(task.Launched, info))
                {
                    found.Add(task);
                }
            }
        }

        void AddRunner(TaskRunner runner)
        {
            if (tasks.TryGetValue(runner.TaskId.Value, out TrackedTask? task) && ReferenceEquals(task.Runner, runner))
            {
                found.Add(task);
            }
        }

        string doing;
        switch (message)
        {
            case AgentEventReceived { Event: { Type: Event.Types.Type.Launch } e }:
                AddLaunched([e.Launch.Task]);
                doing = "to launch the task";
                break;
            case AgentEventReceived { Event: { Type: Event.Types.Type.LaunchGroup } e }:
                AddLaunched(e.LaunchGroup.TaskGroup.Tasks);
                doing = "to launch the task group";
                break;
            case AgentEventReceived { Event: { Type: Event.Types.Type.Kill } e }:
                AddKey(e.Kill.TaskId?.Value);
                doing = "to kill the task";
                break;
            case TaskStarted started:
                AddRunner(started.Runner);
                doing = "to report the running task";
                break;
            case TaskExited exited:
                AddRunner(exited.Runner);
                doing = "to report the task's end";
                break;
            case TaskRunnerCompleted completed:
                AddRunner(completed.Runner);
                doing = "to clean up after the task";
                break;
            case CheckNotified notified:
                AddKey(notified.Notification.TaskId?.Value);
                doing = "to handle a check result";
                break;
            case TimerFired { Timer: { Kind: LoopTimerKind.MaxCompletion, State: TrackedTask task } }:
                found.Add(task);
                doing = "to enforce max_completion_time";
                break;
            default:
                doing = string.Empty;
                break;
        }

        return (found, doing);
    }
}
