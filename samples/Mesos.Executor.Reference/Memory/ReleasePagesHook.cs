using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Microsoft.Extensions.Logging;

namespace Mesos.Executor.Reference.Memory;

/// <summary>
/// Releases the clean file-backed pages (<see cref="MappedFilePages"/>) at the two moments a
/// task's launch leaves most behind: before the container is created (the start-up path, the
/// configuration and the subscription are done) and after it started (the launch path is done).
/// Runs after every other hook; never fails a task.
/// </summary>
internal sealed class ReleasePagesHook : IHook
{
    /// <inheritdoc/>
    public string Name => "release-file-pages";

    /// <inheritdoc/>
    public int Priority => int.MinValue;

    /// <inheritdoc/>
    public Task PreCreateAsync(HookContext context, CancellationToken cancellationToken = default) => ReleaseAsync(context);

    /// <inheritdoc/>
    public Task PostRunAsync(HookContext context, CancellationToken cancellationToken = default) => ReleaseAsync(context);

    private static Task ReleaseAsync(HookContext context)
    {
        Log.PagesReleased(context.Logger, MappedFilePages.Release());
        return Task.CompletedTask;
    }
}
