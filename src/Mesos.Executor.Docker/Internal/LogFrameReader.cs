using System;
using System.Buffers.Binary;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Mesos.Executor.Docker.Internal;

/// <summary>Which output a log frame belongs to.</summary>
internal enum LogStream
{
    Stdout = 1,
    Stderr = 2,
}

/// <summary>One log message: its stream and bytes (timestamp removed), and the timestamp when there was one.</summary>
internal readonly record struct LogFrame(LogStream Stream, ReadOnlyMemory<byte> Payload, LogTimestamp? Timestamp);

/// <summary>A log timestamp as UNIX seconds and nanoseconds (what <c>since</c> accepts, and exactly comparable).</summary>
internal readonly record struct LogTimestamp(long Seconds, int Nanoseconds) : IComparable<LogTimestamp>
{
    public int CompareTo(LogTimestamp other) =>
        Seconds != other.Seconds ? Seconds.CompareTo(other.Seconds) : Nanoseconds.CompareTo(other.Nanoseconds);

    /// <summary>The value for the logs endpoint's <c>since</c>: <c>seconds.nanoseconds</c>.</summary>
    public string ToSince() => string.Create(CultureInfo.InvariantCulture, $"{Seconds}.{Nanoseconds:D9}");

    public static bool operator <(LogTimestamp left, LogTimestamp right) => left.CompareTo(right) < 0;

    public static bool operator >(LogTimestamp left, LogTimestamp right) => left.CompareTo(right) > 0;

    public static bool operator <=(LogTimestamp left, LogTimestamp right) => left.CompareTo(right) <= 0;

    public static bool operator >=(LogTimestamp left, LogTimestamp right) => left.CompareTo(right) >= 0;

    /// <summary>Parses RFC 3339 with up to nine fractional digits (<c>2024-05-01T10:00:00.123456789Z</c>).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out LogTimestamp timestamp)
    {
        timestamp = default;
        int dot = text.IndexOf('.');
        int zoneStart;
        int nanos = 0;
        if (dot < 0)
        {
            zoneStart = text.IndexOfAny('Z', '+');
            if (zoneStart < 0)
            {
                zoneStart = text.LastIndexOf('-');
            }

            dot = zoneStart;
        }
        else
        {
            int digits = 0;
            zoneStart = dot + 1;
            while (zoneStart < text.Length && char.IsAsciiDigit(text[zoneStart]))
            {
                if (digits < 9)
                {
                    nanos = (nanos * 10) + (text[zoneStart] - '0');
                    digits++;
                }

                zoneStart++;
            }

            for (; digits < 9; digits++)
            {
                nanos *= 10;
            }
        }

        if (dot <= 0 || zoneStart >= text.Length)
        {
            return false;
        }

        string dateTime = string.Concat(text[..dot], text[zoneStart..]);
        if (!DateTimeOffset.TryParseExact(dateTime, "yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            return false;
        }

        timestamp = new LogTimestamp(parsed.ToUnixTimeSeconds(), nanos);
        return true;
    }
}

/// <summary>
/// Reads the Docker logs stream. Without a TTY it is multiplexed: frames of an 8-byte header
/// (stream type, three zero bytes, big-endian payload length) and the payload; with timestamps each
/// frame's payload starts with <c>&lt;RFC 3339 time&gt; </c>. With a TTY the stream is raw stdout.
/// </summary>
internal sealed class LogFrameReader
{
    private const int MaxFrame = 16 * 1024 * 1024;
    private readonly Stream _stream;
    private readonly bool _multiplexed;
    private readonly bool _timestamps;
    private readonly byte[] _header = new byte[8];
    private byte[] _buffer = new byte[16 * 1024];

    public LogFrameReader(Stream stream, bool multiplexed, bool timestamps)
    {
        _stream = stream;
        _multiplexed = multiplexed;
        _timestamps = timestamps;
    }

    /// <summary>The next frame, or <see langword="null"/> at the end of the stream. The payload is valid until the next call.</summary>
    /// <exception cref="InvalidDataException">The stream is not a Docker log stream.</exception>
    public async ValueTask<LogFrame?> ReadAsync(CancellationToken cancellationToken)
    {
        if (!_multiplexed)
        {
            int read = await _stream.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
            return read == 0 ? null : new LogFrame(LogStream.Stdout, _buffer.AsMemory(0, read), null);
        }

        while (true)
        {
            if (!await FillAsync(_header, _header.Length, allowEnd: true, cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            int length = BinaryPrimitives.ReadInt32BigEndian(_header.AsSpan(4));
            if (length < 0 || length > MaxFrame || _header[1] != 0 || _header[2] != 0 || _header[3] != 0)
            {
                throw new InvalidDataException("the log stream is not a multiplexed Docker stream");
            }

            if (_buffer.Length < length)
            {
                _buffer = new byte[Math.Max(length, _buffer.Length * 2)];
            }

            await FillAsync(_buffer, length, allowEnd: false, cancellationToken).ConfigureAwait(false);
            LogStream stream = _header[0] switch
            {
                1 => LogStream.Stdout,
                2 or 3 => LogStream.Stderr,
                _ => (LogStream)0,
            };
            if (stream == 0)
            {
                continue;
            }

            var payload = _buffer.AsMemory(0, length);
            if (!_timestamps)
            {
                return new LogFrame(stream, payload, null);
            }

            int space = payload.Span.IndexOf((byte)' ');
            if (space is > 0 and <= 64 && TryParseTimestamp(payload.Span[..space], out var timestamp))
            {
                return new LogFrame(stream, payload[(space + 1)..], timestamp);
            }

            return new LogFrame(stream, payload, null);
        }
    }

    private static bool TryParseTimestamp(ReadOnlySpan<byte> ascii, out LogTimestamp timestamp)
    {
        Span<char> chars = stackalloc char[ascii.Length];
        for (int i = 0; i < ascii.Length; i++)
        {
            chars[i] = (char)ascii[i];
        }

        return LogTimestamp.TryParse(chars, out timestamp);
    }

    private async ValueTask<bool> FillAsync(byte[] buffer, int count, bool allowEnd, CancellationToken cancellationToken)
    {
        int offset = 0;
        while (offset < count)
        {
            int read = await _stream.ReadAsync(buffer.AsMemory(offset, count - offset), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                if (offset == 0 && allowEnd)
                {
                    return false;
                }

                throw new EndOfStreamException("the log stream ended inside a frame");
            }

            offset += read;
        }

        return true;
    }
}
