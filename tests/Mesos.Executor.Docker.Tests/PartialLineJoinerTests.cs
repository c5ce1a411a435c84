using System;
using System.Linq;
using System.Text;
using Mesos.Executor.Docker.Internal;
using NUnit.Framework;

namespace Mesos.Executor.Docker.Tests;

/// <summary>A line the engine sends in pieces (Podman: wherever conmon's read ended) is written whole.</summary>
[TestFixture]
public sealed class PartialLineJoinerTests
{
    [Test]
    public void Add_LineInPieces_IsReturnedWholeWithItsNewline()
    {
        var joiner = new PartialLineJoiner();

        string[] written = new[] { "a-1-xxx", "xxx", "xx\n", "next\n" }.Select(p => Text(joiner.Add(Bytes(p)))).ToArray();

        Assert.That(written, Is.EqualTo(new[] { string.Empty, string.Empty, "a-1-xxxxxxxx\n", "next\n" }));
    }

    [Test]
    public void Add_WholeLines_PassThroughUnbuffered()
    {
        var joiner = new PartialLineJoiner();
        ReadOnlyMemory<byte> line = Bytes("one\ntwo\n");

        Assert.That(joiner.Add(line), Is.EqualTo(line));
    }

    [Test]
    public void Add_PiecesReachingTheLimit_AreWrittenWithoutWaitingForTheNewline()
    {
        var joiner = new PartialLineJoiner();
        string half = new('x', PartialLineJoiner.MaxLineBytes / 2);

        Assert.Multiple(() =>
        {
            Assert.That(joiner.Add(Bytes(half)).Length, Is.Zero);
            Assert.That(joiner.Add(Bytes(half)).Length, Is.EqualTo(PartialLineJoiner.MaxLineBytes), "Docker's own 16 KiB pieces are written as before");
            Assert.That(joiner.Add(Bytes(new string('y', PartialLineJoiner.MaxLineBytes))).Length, Is.EqualTo(PartialLineJoiner.MaxLineBytes));
        });
    }

    [Test]
    public void Flush_LineWithoutNewlineAtTheEnd_IsReturnedOnce()
    {
        var joiner = new PartialLineJoiner();
        joiner.Add(Bytes("partial"));

        Assert.Multiple(() =>
        {
            Assert.That(Text(joiner.Flush()), Is.EqualTo("partial"));
            Assert.That(joiner.Flush().Length, Is.Zero);
        });
    }

    private static ReadOnlyMemory<byte> Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static string Text(ReadOnlyMemory<byte> data) => Encoding.UTF8.GetString(data.Span);
}
