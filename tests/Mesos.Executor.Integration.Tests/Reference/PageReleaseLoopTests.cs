using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core.Tests.Execution;
using Mesos.Executor.Reference.Memory;
using Microsoft.Extensions.Logging.Testing;
using NUnit.Framework;

namespace Mesos.Executor.Integration.Tests.Reference;

[TestFixture]
public sealed class PageReleaseLoopTests
{
    [Test]
    [CancelAfter(10_000)]
    public async Task RunAsync_EachPeriod_ReleasesOnceAndStopsWhenCancelled(CancellationToken cancellationToken)
    {
        TimeSpan period = TimeSpan.FromSeconds(10);
        var time = new ObservableTimeProvider();
        var logger = new FakeLogger();
        using var stop = new CancellationTokenSource();
        Task loop = PageReleaseLoop.RunAsync(period, logger, time, stop.Token);

        // Each period's delay is reported as it is created; the first one at once.
        await time.WaitForTimerAsync(period, cancellationToken);
        time.Advance(TimeSpan.FromSeconds(9));
        await Task.Yield();
        int beforeFirstPeriod = Released(logger);
        time.Advance(TimeSpan.FromSeconds(1));
        await WaitForAsync(() => Released(logger) == 1, cancellationToken);

        // The next period's delay starts only after the release is logged, on another thread:
        // advancing as soon as the line appears could pass before the delay exists, which then
        // never fires.
        await time.WaitForTimerAsync(period, cancellationToken);
        time.Advance(period);
        await WaitForAsync(() => Released(logger) == 2, cancellationToken);
        await stop.CancelAsync();
        await loop.WaitAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(beforeFirstPeriod, Is.Zero);
            Assert.That(Released(logger), Is.EqualTo(2));
            Assert.That(loop.IsCompletedSuccessfully, Is.True, "cancellation ends the loop without an exception");
        });
    }

    private static int Released(FakeLogger logger) =>
        logger.Collector.GetSnapshot().Count(r => r.Id.Name == "ReferencePagesReleased");

    private static async Task WaitForAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            await Task.Delay(10, cancellationToken);
        }
    }
}
