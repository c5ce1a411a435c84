using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Mesos.Executor.Core.Tests.RecordIO;

/// <summary>
/// A read-only stream that hands out its data in the chunk sizes it is given (each read returns at
/// most the next chunk), like a chunked HTTP body. At the end it either reports end of stream or,
/// with <c>blockAtEnd</c>, waits until the read is cancelled, like a subscription that stays open.
/// </summary>
internal sealed class ChunkedStream : Stream
{
    private readonly byte[] _data;
    private readonly Queue<int> _chunks;
    private readonly Func<int> _nextChunkSize;
    private readonly bool _blockAtEnd;
    private int _position;

    public ChunkedStream(byte[] data, IEnumerable<int> chunkSizes, bool blockAtEnd = false)
    {
        _data = data;
        _chunks = new Queue<int>(chunkSizes);
        _nextChunkSize = () => int.MaxValue;
        _blockAtEnd = blockAtEnd;
    }

    public ChunkedStream(byte[] data, Func<int> nextChunkSize, bool blockAtEnd = false)
    {
        _data = data;
        _chunks = new Queue<int>();
        _nextChunkSize = nextChunkSize;
        _blockAtEnd = blockAtEnd;
    }

    /// <summary>How many reads the consumer has issued (including the blocking one at the end).</summary>
    public int ReadCount { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ReadCount++;
        if (_position == _data.Length)
        {
            if (_blockAtEnd)
            {
                await new TaskCompletionSource().Task.WaitAsync(cancellationToken);
            }

            return 0;
        }

        return ReadCore(buffer.Span);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        ReadCount++;
        if (_position == _data.Length && _blockAtEnd)
        {
            throw new InvalidOperationException("A blocking read would hang a synchronous reader.");
        }

        return ReadCore(buffer.AsSpan(offset, count));
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int ReadCore(Span<byte> destination)
    {
        int chunk = _chunks.Count > 0 ? _chunks.Dequeue() : _nextChunkSize();
        int count = Math.Min(Math.Min(chunk, destination.Length), _data.Length - _position);
        _data.AsSpan(_position, count).CopyTo(destination);
        _position += count;
        return count;
    }
}
