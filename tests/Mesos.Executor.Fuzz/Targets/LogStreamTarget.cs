using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Mesos.Executor.Docker.Internal;

namespace Mesos.Executor.Fuzz.Targets;

/// <summary>
/// The Docker log stream (<see cref="LogFrameReader"/>): the first byte's two low bits pick
/// multiplexed or raw and with or without timestamps; the rest is the stream; every frame is read
/// and its timestamp formatted as <c>since</c>.
/// </summary>
public sealed class LogStreamTarget : FuzzTarget
{
    /// <inheritdoc />
    public override string Name => "log-stream";

    /// <inheritdoc />
    public override string Description => "Docker log stream framing and timestamps (LogFrameReader)";

    /// <summary>A frame's buffer is sized by its header (up to the 16 MiB frame limit) before its bytes arrive.</summary>
    public override long AllocationBound(int inputLength) => (32L << 20) + base.AllocationBound(inputLength);

    /// <inheritdoc />
    public override void Run(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        bool multiplexed = (data[0] & 1) != 0;
        bool timestamps = (data[0] & 2) != 0;
        using var stream = new MemoryStream(data[1..].ToArray(), writable: false);
        var reader = new LogFrameReader(stream, multiplexed, timestamps);
        while (reader.ReadAsync(default).AsTask().GetAwaiter().GetResult() is { } frame)
        {
            _ = frame.Timestamp?.ToSince();
        }
    }

    /// <inheritdoc />
    public override bool IsExpected(Exception exception) => exception is InvalidDataException or EndOfStreamException;

    /// <inheritdoc />
    public override IEnumerable<(string Name, byte[] Data)> Seeds()
    {
        // Streams of LogFrameReaderTests.
        yield return ("timestamps", [3, .. Frame(1, "2024-05-01T10:00:00.000000001Z hello\n"), .. Frame(2, "2024-05-01T10:00:00.5Z oops\n"), .. Frame(1, "2024-05-01T10:00:01.123456789+00:00 partial")]);
        yield return ("no-fraction", [3, .. Frame(1, "2024-05-01T10:00:00Z hello\n"), .. Frame(3, "2024-05-01T10:00:00-05:00 x")]);
        yield return ("cut", [3, .. Frame(1, "2024-05-01T10:00:00Z hello\n")[..10]]);
        yield return ("plain", [1, .. Frame(1, "plain output\n"), .. Frame(0, "stdin?")]);
        yield return ("not-multiplexed", [1, .. Encoding.ASCII.GetBytes("plain text output\n")]);
        yield return ("tty", [0, .. Encoding.ASCII.GetBytes("tty output\r\n")]);
    }

    private static byte[] Frame(byte stream, string payload)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(payload);
        byte[] frame = new byte[8 + bytes.Length];
        frame[0] = stream;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(4), bytes.Length);
        bytes.CopyTo(frame, 8);
        return frame;
    }
}
