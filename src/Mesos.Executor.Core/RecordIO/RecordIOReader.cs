using System;
using System.Buffers;
using System.Globalization;
using System.IO;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Mesos.Executor.Core.RecordIO;

/// <summary>
/// Reads Mesos RecordIO records (<c>&lt;decimal length&gt;\n&lt;that many bytes&gt;</c>, see the Mesos
/// docs/recordio.md) from a stream, such as the body of a SUBSCRIBE response.
/// </summary>
/// <remarks>
/// <para>
/// The stream's chunking means nothing: a record may arrive a byte at a time or many records in a
/// single read. The length header is parsed straight from the pipe's buffer, and the record's
/// array is allocated (exactly its size) only once the length has passed the size check, so a
/// hostile or corrupt header such as <c>99999999999999\n</c> fails at once without allocating and
/// without waiting for the payload.
/// </para>
/// <para>
/// Not thread-safe: one caller reads at a time. Cancelling a read keeps the position, so the next
/// read continues the same record. After a <see cref="RecordIOFormatException"/> the stream's
/// position is unknown and every further read throws again.
/// </para>
/// <para>
/// Internal (issue 12): the agent transport is its only user in the SDK. Test code that reads a
/// SUBSCRIBE stream on its own compiles this file in (see Mesos.Executor.Testing.Tests).
/// </para>
/// </remarks>
internal sealed class RecordIOReader : IAsyncDisposable
{
    /// <summary>The default limit on the size of one record: 16 MiB.</summary>
    public const int DefaultMaxRecordSize = 16 * 1024 * 1024;

    // A uint64 has at most 20 decimal digits (docs/recordio.md: the length is a uint64).
    private const int MaxLengthDigits = 20;

    private readonly PipeReader _reader;
    private readonly int _maxRecordSize;

    // The record being filled, once its header has been read; null between records.
    private byte[]? _payload;
    private int _filled;
    private bool _endOfStream;
    private bool _faulted;
    private bool _disposed;

    /// <summary>Creates a reader over <paramref name="stream"/>.</summary>
    /// <param name="stream">The RecordIO stream, for example an HTTP response body.</param>
    /// <param name="maxRecordSize">The largest record accepted, in bytes. Defaults to <see cref="DefaultMaxRecordSize"/> (16 MiB).</param>
    /// <param name="leaveOpen">Whether <see cref="DisposeAsync"/> leaves <paramref name="stream"/> open. Defaults to <see langword="false"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxRecordSize"/> is zero or negative.</exception>
    public RecordIOReader(Stream stream, int maxRecordSize = DefaultMaxRecordSize, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRecordSize);
        _maxRecordSize = maxRecordSize;
        _reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: leaveOpen));
    }

    /// <summary>Reads the next record.</summary>
    /// <param name="cancellationToken">Cancels the wait for data; the reader stays usable.</param>
    /// <returns>
    /// The record's bytes (a new array of exactly the record's length), or <see langword="null"/>
    /// when the stream ended cleanly between two records.
    /// </returns>
    /// <exception cref="RecordIOFormatException">
    /// The length header holds a non-digit, is empty, is zero, has more than 20 digits or exceeds
    /// the size limit; or the stream ended inside a header or a record. Each case has its own message.
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The reader was disposed.</exception>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))] // no allocation per read that has to wait
    public async ValueTask<byte[]?> ReadRecordAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_faulted)
        {
            throw new RecordIOFormatException("The RecordIO stream is unusable after an earlier format error.");
        }

        if (_endOfStream)
        {
            return null;
        }

        while (true)
        {
            ReadResult result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = result.Buffer;
            bool done;
            byte[]? record;
            SequencePosition consumed;
            SequencePosition examined;
            try
            {
                done = Process(buffer, result.IsCompleted, out record, out consumed, out examined);
            }
            catch (RecordIOFormatException)
            {
                _faulted = true;
                _payload = null;
                _reader.AdvanceTo(buffer.Start, buffer.End);
                throw;
            }

            _reader.AdvanceTo(consumed, examined);
            if (done)
            {
                return record;
            }

            if (result.IsCanceled)
            {
                // Only CancelPendingRead produces this; nobody else holds the reader, but honour it.
                throw new OperationCanceledException("The RecordIO read was cancelled.");
            }
        }
    }

    /// <summary>Completes the underlying pipe and, unless <c>leaveOpen</c> was set, disposes the stream. Idempotent.</summary>
    /// <returns>A task that completes when the reader is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _payload = null;
        await _reader.CompleteAsync().ConfigureAwait(false);
    }

    // Consumes as much of one record as the buffer holds. Returns true when the call is finished:
    // with a record, or with null at a clean end of stream. Returns false when more data is needed.
    private bool Process(
        ReadOnlySequence<byte> buffer,
        bool isCompleted,
        out byte[]? record,
        out SequencePosition consumed,
        out SequencePosition examined)
    {
        record = null;
        if (_payload is null)
        {
            if (!TryParseHeader(buffer, out int length, out int headerBytes))
            {
                // Nothing is consumed, but everything was examined: the next read waits for more data.
                consumed = buffer.Start;
                examined = buffer.End;
                if (!isCompleted)
                {
                    return false;
                }

                if (buffer.IsEmpty)
                {
                    _endOfStream = true;
                    return true;
                }

                throw new RecordIOFormatException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"The RecordIO stream ended inside a record length header ({buffer.Length} bytes without a line feed)."));
            }

            // The length passed every check: only now allocate, and exactly the record's size.
            _payload = GC.AllocateUninitializedArray<byte>(length);
            _filled = 0;
            buffer = buffer.Slice(headerBytes);
        }

        int remaining = _payload.Length - _filled;
        int take = (int)Math.Min(buffer.Length, remaining);
        ReadOnlySequence<byte> chunk = buffer.Slice(0, take);
        chunk.CopyTo(_payload.AsSpan(_filled));
        _filled += take;
        consumed = chunk.End;
        examined = chunk.End;

        if (_filled == _payload.Length)
        {
            record = _payload;
            _payload = null;
            return true;
        }

        // The whole buffer went into the record; a completed stream cannot finish it.
        if (isCompleted)
        {
            int filled = _filled;
            int expected = _payload.Length;
            throw new RecordIOFormatException(string.Create(
                CultureInfo.InvariantCulture,
                $"The RecordIO stream ended inside a record: {filled} of {expected} bytes received."));
        }

        return false;
    }

    // Parses "<digits>\n" at the start of the buffer. Returns false when the line feed has not
    // arrived yet; throws as soon as the bytes seen so far cannot be a valid header.
    private bool TryParseHeader(in ReadOnlySequence<byte> buffer, out int length, out int headerBytes)
    {
        ulong value = 0;
        int digits = 0;
        foreach (ReadOnlyMemory<byte> segment in buffer)
        {
            ReadOnlySpan<byte> span = segment.Span;
            for (int i = 0; i < span.Length; i++)
            {
                byte b = span[i];
                if (b == (byte)'\n')
                {
                    if (digits == 0)
                    {
                        throw new RecordIOFormatException("Malformed RecordIO length header: the length is empty (a line feed with no digits before it).");
                    }

                    if (value == 0)
                    {
                        throw new RecordIOFormatException("Malformed RecordIO length header: a record length of 0 is not allowed.");
                    }

                    if (value > (ulong)_maxRecordSize)
                    {
                        throw new RecordIOFormatException(string.Create(
                            CultureInfo.InvariantCulture,
                            $"RecordIO record of {DescribeDigits(buffer, digits)} bytes exceeds the limit of {_maxRecordSize} bytes."));
                    }

                    length = (int)value;
                    headerBytes = digits + 1;
                    return true;
                }

                uint digit = (uint)(b - (byte)'0');
                if (digit > 9)
                {
                    throw new RecordIOFormatException(string.Create(
                        CultureInfo.InvariantCulture,
                        $"Malformed RecordIO length header: byte 0x{b:X2} at offset {digits} is not a decimal digit."));
                }

                if (digits == MaxLengthDigits)
                {
                    throw new RecordIOFormatException(string.Create(
                        CultureInfo.InvariantCulture,
                        $"Malformed RecordIO length header: more than {MaxLengthDigits} digits."));
                }

                digits++;

                // Saturate just above the limit: the exact value is only needed while it may be valid,
                // and the limit is at most int.MaxValue, so this never overflows.
                if (value <= (ulong)_maxRecordSize)
                {
                    value = (value * 10) + digit;
                }
            }
        }

        length = 0;
        headerBytes = 0;
        return false;
    }

    // Error path only: the header's digits as text.
    private static string DescribeDigits(in ReadOnlySequence<byte> buffer, int digits) =>
        Encoding.ASCII.GetString(buffer.Slice(0, digits));
}
