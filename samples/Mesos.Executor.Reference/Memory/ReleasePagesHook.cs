using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Microsoft.Extensions.Logging;

namespace Mesos.Executor.Reference.Memory;

/// <summary>
/// Releases the clean file-backed pages (<see cref="MappedFilePages"/>) once a task is ready (its
/// first healthy result, or right after TASK_RUNNING without a health check): start-up, the
/// configuration, the subscription and the launch path are done then, and their pages are what a
/// release gives back. Not on the launch path itself: a release costs about 5 ms of CPU (the
/// working set faults back in), and inside the 0.1 CPU quota a custom executor gets, 10 ms more
/// between LAUNCH and TASK_RUNNING meant a throttled 100 ms period (README "Footprint").
/// Runs after every other hook; never fails a task.
/// </summary>
internal sealed class ReleasePagesHook : IHook
{
    /// <inheritdoc/>
    public string Name => "release-file-pages";

    /// <inheritdoc/>
    public int Priority => int.MinValue;

    /// <inheritdoc/>
    public Task ReadyAsync(HookContext context, CancellationToken cancellationToken = default) => ReleaseAsync(context);

    private static Task ReleaseAsync(HookContext context)
    {
        Log.PagesReleased(context.Logger, MappedFilePages.Release());
        return Task.CompletedTask;
    }
}
