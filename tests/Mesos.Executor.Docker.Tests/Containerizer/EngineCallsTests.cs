using System;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.Executor.Docker.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace Mesos.Executor.Docker.Tests.Containerizer;

/// <summary><see cref="EngineCalls"/>: time limits, cancellation, disposal and translation of one engine call.</summary>
[TestFixture]
public sealed class EngineCallsTests
{
    private static readonly TimeSpan ShortCallTimeout = TimeSpan.FromSeconds(30);

    private DockerEngine _engine = null!;
    private FakeTimeProvider _time = null!;
    private CancellationTokenSource _disposing = null!;
    private EngineCalls _calls = null!;

    [SetUp]
    public void SetUp()
    {
        // Never connected: the calls below do not touch the engine.
        _engine = new DockerEngine(new Uri("unix:///nonexistent/docker.sock"), "1.41", NullLogger.Instance);
        _time = new FakeTimeProvider();
        _disposing = new CancellationTokenSource();
        _calls = new EngineCalls(_engine, ShortCallTimeout, _time, _disposing.Token);
    }

    [TearDown]
    public void TearDown()
    {
        _engine.Dispose();
        _disposing.Dispose();
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task RunAsync_ShortCallHangs_FailsAfterTheLimitNamingTheEngine(CancellationToken cancellationToken)
    {
        Task<int> call = _calls.RunAsync("starting container abc", shortCall: true, HangAsync, cancellationToken);

        _time.Advance(ShortCallTimeout - TimeSpan.FromSeconds(1));
        Assert.That(call.IsCompleted, Is.False);
        _time.Advance(TimeSpan.FromSeconds(1));

        var error = (await Assert.ThrowsAsync<ContainerizerException>(async () => await call))!;
        Assert.That(error.Message, Is.EqualTo("starting container abc failed: the Docker engine at unix:///nonexistent/docker.sock did not answer within 00:00:30"));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task RunAsync_LongCall_HasNoLimit(CancellationToken cancellationToken)
    {
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task<int> call = _calls.RunAsync("pulling image 'x'", shortCall: false, HangAsync, caller.Token);

        _time.Advance(TimeSpan.FromHours(1));
        Assert.That(call.IsCompleted, Is.False);
        await caller.CancelAsync();

        Assert.That(async () => await call, Throws.InstanceOf<OperationCanceledException>(), "the caller's cancellation is never wrapped");
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task RunAsync_ContainerizerDisposed_ThrowsObjectDisposed(CancellationToken cancellationToken)
    {
        Task<int> call = _calls.RunAsync("waiting", shortCall: true, HangAsync, cancellationToken);

        await _disposing.CancelAsync();

        Assert.That(async () => await call, Throws.TypeOf<ObjectDisposedException>().With.Property(nameof(ObjectDisposedException.ObjectName)).EqualTo(nameof(DockerContainerizer)));
    }

    [Test]
    public void RunAsync_EngineError_IsTranslated() =>
        Assert.That(
            () => _calls.RunAsync<int>("removing container abc", shortCall: true, _ => throw new DockerRequestException(HttpStatusCode.InternalServerError, "boom"), CancellationToken.None),
            Throws.TypeOf<ContainerizerException>().With.Message.EqualTo("removing container abc failed: boom (HTTP 500)"));

    [Test]
    public async Task RunAsync_ContainerizerException_PassesUnchanged()
    {
        var own = new ContainerizerException("image 'x' is not present and the pull policy is Never");

        var thrown = await Assert.ThrowsAsync<ContainerizerException>(() => _calls.RunAsync<int>("looking up image 'x'", shortCall: true, _ => throw own, CancellationToken.None));

        Assert.That(thrown, Is.SameAs(own));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task InspectStateWithinAsync_UnreachableEngine_IsTransient(CancellationToken cancellationToken)
    {
        var error = await CatchAsync(() => _calls.InspectStateWithinAsync("abc", cancellationToken));

        Assert.That(DockerFailures.IsTransient(error), Is.True, $"{error.GetType().Name}: {error.Message}");
    }

    private static async Task<int> HangAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        return 0;
    }

    private static async Task<Exception> CatchAsync(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception ex)
        {
            return ex;
        }

        throw new AssertionException("no exception");
    }
}
