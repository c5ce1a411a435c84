using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Reference.Memory;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace Mesos.Executor.Integration.Tests.Reference;

[TestFixture]
public sealed class PageReleaseLoopTests
{
    [Test]
    [CancelAfter(10_000)]
    public async Task RunAsync_EachPeriod_ReleasesOnceAndStopsWhenCancelled(CancellationToken cancellationToken)
    {
        var time = new FakeTimeProvider();
        var logger = new FakeLogger();
        using var stop = new CancellationTokenSource();
        Task loop = PageReleaseLoop.RunAsync(TimeSpan.FromSeconds(10), logger, time, stop.Token);

        time.Advance(TimeSpan.FromSeconds(9));
        await Task.Yield();
        int beforeFirstPeriod = Released(logger);
        time.Advance(TimeSpan.FromSeconds(1));
        await WaitForAsync(() => Released(logger) == 1, cancellationToken);
        time.Advance(TimeSpan.FromSeconds(10));
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
