using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Docker.Internal;
using NUnit.Framework;

namespace Mesos.Executor.Docker.Tests;

[TestFixture]
public sealed class LogFrameReaderTests
{
    [Test]
    [CancelAfter(5000)]
    public async Task ReadAsync_MultiplexedWithTimestamps_SplitsStreamsAndStripsTimestamps(CancellationToken cancellationToken)
    {
        byte[] data = Concat(
            Frame(1, "2024-05-01T10:00:00.000000001Z hello\n"),
            Frame(2, "2024-05-01T10:00:00.5Z oops\n"),
            Frame(1, "2024-05-01T10:00:01.123456789+00:00 partial"));
        var reader = new LogFrameReader(new TrickleStream(data, 3), multiplexed: true, timestamps: true);

        var frames = new List<(LogStream, string, string?)>();
        while (await reader.ReadAsync(cancellationToken) is { } frame)
        {
            frames.Add((frame.Stream, Encoding.UTF8.GetString(frame.Payload.Span), frame.Timestamp?.ToSince()));
        }

        long second = new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        Assert.That(frames, Is.EqualTo(new[]
        {
            (LogStream.Stdout, "hello\n", (string?)$"{second}.000000001"),
            (LogStream.Stderr, "oops\n", (string?)$"{second}.500000000"),
            (LogStream.Stdout, "partial", (string?)$"{second + 1}.123456789"),
        }));
    }

    [Test]
    [CancelAfter(5000)]
    public async Task ReadAsync_CutInsideAFrame_Throws(CancellationToken cancellationToken)
    {
        byte[] frame = Frame(1, "2024-05-01T10:00:00Z hello\n");
        var reader = new LogFrameReader(new MemoryStream(frame[..10]), multiplexed: true, timestamps: true);

        await Assert.ThrowsAsync<EndOfStreamException>(async () => await reader.ReadAsync(cancellationToken));
    }

    [Test]
    [CancelAfter(5000)]
    public async Task ReadAsync_NotMultiplexed_Throws(CancellationToken cancellationToken)
    {
        var reader = new LogFrameReader(new MemoryStream(Encoding.ASCII.GetBytes("plain text output\n")), multiplexed: true, timestamps: false);

        await Assert.ThrowsAsync<InvalidDataException>(async () => await reader.ReadAsync(cancellationToken));
    }

    [Test]
    [CancelAfter(5000)]
    public async Task ReadAsync_Tty_IsRawStdout(CancellationToken cancellationToken)
    {
        var reader = new LogFrameReader(new MemoryStream(Encoding.ASCII.GetBytes("raw\r\n")), multiplexed: false, timestamps: false);

        var frame = await reader.ReadAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(frame!.Value.Stream, Is.EqualTo(LogStream.Stdout));
            Assert.That(Encoding.ASCII.GetString(frame.Value.Payload.Span), Is.EqualTo("raw\r\n"));
        });
    }

    [TestCase("2024-05-01T10:00:00.1Z", "2024-05-01T10:00:00.09Z", 1)]
    [TestCase("2024-05-01T10:00:00Z", "2024-05-01T10:00:00.000000001Z", -1)]
    [TestCase("2024-05-01T12:00:00+02:00", "2024-05-01T10:00:00Z", 0)]
    public void LogTimestamp_Compare_OrdersByInstant(string left, string right, int expected)
    {
        Assert.Multiple(() =>
        {
            Assert.That(LogTimestamp.TryParse(left, out var l), Is.True);
            Assert.That(LogTimestamp.TryParse(right, out var r), Is.True);
            Assert.That(Math.Sign(l.CompareTo(r)), Is.EqualTo(expected));
        });
    }

    private static byte[] Frame(byte stream, string payload)
    {
        byte[] body = Encoding.UTF8.GetBytes(payload);
        byte[] frame = new byte[8 + body.Length];
        frame[0] = stream;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(4), body.Length);
        body.CopyTo(frame, 8);
        return frame;
    }

    private static byte[] Concat(params byte[][] parts)
    {
        using var stream = new MemoryStream();
        foreach (byte[] part in parts)
        {
            stream.Write(part);
        }

        return stream.ToArray();
    }

    /// <summary>Returns at most a few bytes per read, like a slow socket.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(chunk, buffer.Length)], cancellationToken);
    }
}
