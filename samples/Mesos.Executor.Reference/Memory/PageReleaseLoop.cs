using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace Mesos.Executor.Reference.Memory;

/// <summary>
/// Releases the executor's clean file-backed pages (<see cref="MappedFilePages"/>) periodically
/// (<c>memory.release_interval</c>), so that while tasks run the resident set follows the
/// executor's working set rather than everything it ever touched (kills, reconnections, the
/// first garbage collections). <see cref="ReleasePagesHook"/> also releases when a task is ready.
/// </summary>
internal static class PageReleaseLoop
{
    /// <summary>Runs until cancelled.</summary>
    /// <param name="period">The time between releases.</param>
    /// <param name="logger">Where each release is logged (at Debug).</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="cancellationToken">Stops the loop.</param>
    /// <returns>A task that completes when cancelled.</returns>
    public static async Task RunAsync(TimeSpan period, ILogger logger, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        while (true)
        {
            await Task.Delay(period, timeProvider, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            long released = MappedFilePages.Release();
            Log.PagesReleased(logger, released);
        }
    }
}
