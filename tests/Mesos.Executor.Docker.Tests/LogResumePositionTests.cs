using System.Linq;
using Mesos.Executor.Docker.Internal;
using NUnit.Framework;

namespace Mesos.Executor.Docker.Tests;

/// <summary>
/// Resuming a followed log after the connection broke: each message is written once, also when
/// the engine's timestamps are whole seconds (Podman's Docker-compatible API) and many messages
/// share one.
/// </summary>
[TestFixture]
public sealed class LogResumePositionTests
{
    private static readonly LogTimestamp Second1 = new(1_700_000_001, 0);
    private static readonly LogTimestamp Second2 = new(1_700_000_002, 0);

    [Test]
    public void Accept_FirstConnectionWithWholeSecondTimestamps_WritesEveryMessage()
    {
        var position = new LogResumePosition();

        bool[] accepted = [position.Accept(Second1), position.Accept(Second1), position.Accept(Second1), position.Accept(Second2)];

        Assert.That(accepted, Is.All.True, "Podman stamps 'out' and 'more' with the same second: both are new");
    }

    [Test]
    public void Accept_ResumedStream_SkipsExactlyTheMessagesWrittenAtTheLastTimestamp()
    {
        var position = new LogResumePosition();
        position.Accept(Second1);
        position.Accept(Second2);
        position.Accept(Second2);

        // The engine repeats everything from `since` (the last timestamp, inclusive) on.
        position.Resume();
        bool[] accepted = new[] { Second1, Second2, Second2, Second2, Second2 }.Select(position.Accept).ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(accepted, Is.EqualTo(new[] { false, false, false, true, true }));
            Assert.That(position.Last, Is.EqualTo(Second2));
        });
    }

    [Test]
    public void Accept_ResumedStreamWithNanosecondTimestamps_SkipsWhatWasWritten()
    {
        var position = new LogResumePosition();
        var first = new LogTimestamp(1_700_000_001, 1);
        var second = new LogTimestamp(1_700_000_001, 2);
        position.Accept(first);
        position.Accept(second);

        position.Resume();

        Assert.That(new[] { first, second, new LogTimestamp(1_700_000_001, 3) }.Select(position.Accept), Is.EqualTo(new[] { false, false, true }));
    }

    [Test]
    public void Resume_Twice_SkipsTheRepeatedMessagesEachTime()
    {
        var position = new LogResumePosition();
        position.Accept(Second1);
        position.Resume();
        Assert.That(position.Accept(Second1), Is.False, "repeated after the first reconnect");
        Assert.That(position.Accept(Second1), Is.True, "a second message in the same second is new");

        position.Resume();

        Assert.That(new[] { Second1, Second1, Second1 }.Select(position.Accept), Is.EqualTo(new[] { false, false, true }));
    }
}
