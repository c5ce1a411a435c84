using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;

namespace Mesos.Executor.Custom;

/// <summary>
/// A hook of our own: before the "container" is created, it tells the task who it is through two
/// environment variables, <c>MESOS_TASK_ID</c> and <c>MESOS_TASK_NAME</c>.
/// </summary>
public sealed class TaskInfoEnvironmentHook : IHook
{
    /// <inheritdoc/>
    public string Name => "task-info-environment";

    /// <inheritdoc/>
    public int Priority => 0;

    /// <inheritdoc/>
    public Task PreCreateAsync(HookContext context, CancellationToken cancellationToken = default)
    {
        System.ArgumentNullException.ThrowIfNull(context);
        context.Spec.Environment["MESOS_TASK_ID"] = context.Task.TaskId.Value;
        context.Spec.Environment["MESOS_TASK_NAME"] = context.Task.Name;
        return Task.CompletedTask;
    }
}
