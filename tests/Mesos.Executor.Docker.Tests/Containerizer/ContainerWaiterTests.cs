using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.Executor.Docker.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace Mesos.Executor.Docker.Tests.Containerizer;

/// <summary>
/// <see cref="ContainerWaiter"/> with an engine that never answers (its socket does not exist): the wait
/// keeps reconnecting until the reconnect timeout, then fails saying the container's fate is unknown.
/// The wait through a real daemon restart is <see cref="DockerDaemonRestartTests"/>.
/// </summary>
[TestFixture]
public sealed class ContainerWaiterTests
{
    private static readonly TimeSpan ReconnectTimeout = TimeSpan.FromSeconds(30);

    [Test]
    [CancelAfter(20_000)]
    public async Task WaitAsync_EngineAwayLongerThanTheTimeout_FailsWithTheFateUnknown(CancellationToken cancellationToken)
    {
        using var engine = new DockerEngine(new Uri($"unix:///tmp/no-engine-{Guid.NewGuid():N}.sock"), "1.41", NullLogger.Instance);
        var time = new FakeTimeProvider();
        var logger = new FakeLogger();
        var waiter = new ContainerWaiter(new EngineCalls(engine, TimeSpan.FromSeconds(5), time, CancellationToken.None), ReconnectTimeout, logger);

        Task<ContainerExit> wait = waiter.WaitAsync("0123456789abcdef", cancellationToken);
        while (!wait.IsCompleted)
        {
            time.Advance(TimeSpan.FromMilliseconds(500));
            await Task.Yield();
        }

        var error = (await Assert.ThrowsAsync<ContainerizerException>(async () => await wait))!;
        Assert.That(error.Message, Does.StartWith("waiting for container 0123456789ab failed: no answer from the Docker engine at unix:///tmp/no-engine-"));
        Assert.That(error.Message, Does.Contain("for 00:00:30; the container's fate is unknown"));
        Assert.That(time.GetUtcNow() - time.Start, Is.GreaterThan(ReconnectTimeout));
        Assert.That(logger.Collector.GetSnapshot().Count(r => r.Id.Name == "DockerConnectionLost"), Is.EqualTo(1), "the loss is logged once, not per attempt");
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task WaitAsync_DisposedWhileReconnecting_ThrowsObjectDisposed(CancellationToken cancellationToken)
    {
        using var engine = new DockerEngine(new Uri($"unix:///tmp/no-engine-{Guid.NewGuid():N}.sock"), "1.41", NullLogger.Instance);
        var time = new FakeTimeProvider();
        using var disposing = new CancellationTokenSource();
        var waiter = new ContainerWaiter(new EngineCalls(engine, TimeSpan.FromSeconds(5), time, disposing.Token), ReconnectTimeout, NullLogger.Instance);

        Task<ContainerExit> wait = waiter.WaitAsync("0123456789abcdef", cancellationToken);
        await disposing.CancelAsync();

        Assert.That(async () => await wait, Throws.TypeOf<ObjectDisposedException>());
    }

    [TestCase(100, 200)]
    [TestCase(2000, 4000)]
    [TestCase(4000, 5000)]
    [TestCase(5000, 5000)]
    public void NextDelay_Doubles_UpToFiveSeconds(int milliseconds, int expected) =>
        Assert.That(ContainerWaiter.NextDelay(TimeSpan.FromMilliseconds(milliseconds)), Is.EqualTo(TimeSpan.FromMilliseconds(expected)));
}
