using System;
using System.Buffers;

namespace Mesos.Executor.Docker.Internal;

/// <summary>
/// Joins the log messages of one stream that end mid-line, so that a line is written whole.
/// Podman's Docker-compatible API sends a long line as several messages, split wherever conmon's
/// read of the container's pipe ended (a 3,000-byte line comes in pieces); Docker's json-file
/// splits only at 16 KiB. Pieces are held back up to <see cref="MaxLineBytes"/> (Docker's own
/// split size, so that a line Docker splits is written as before), then written as they are.
/// </summary>
internal sealed class PartialLineJoiner
{
    /// <summary>The most bytes held back waiting for the end of a line.</summary>
    public const int MaxLineBytes = 16 * 1024;

    private readonly ArrayBufferWriter<byte> _pending = new();

    /// <summary>Adds one message; returns what to write now (empty while a line is incomplete).</summary>
    public ReadOnlyMemory<byte> Add(ReadOnlyMemory<byte> payload)
    {
        bool endsLine = !payload.IsEmpty && payload.Span[^1] == (byte)'\n';
        if (_pending.WrittenCount == 0 && (endsLine || payload.Length >= MaxLineBytes || payload.IsEmpty))
        {
            return payload;
        }

        _pending.Write(payload.Span);
        return endsLine || _pending.WrittenCount >= MaxLineBytes ? Flush() : ReadOnlyMemory<byte>.Empty;
    }

    /// <summary>What is held back (the stream ended or broke mid-line), to write now.</summary>
    public ReadOnlyMemory<byte> Flush()
    {
        if (_pending.WrittenCount == 0)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        byte[] line = _pending.WrittenSpan.ToArray();
        _pending.ResetWrittenCount();
        return line;
    }
}
