using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Mesos.Executor.Docker.Tests.Support;

/// <summary>
/// A stand-in for the executor's stdout or stderr: keeps every write as one chunk and notices
/// overlapping calls (it is deliberately not thread-safe, so only a caller that serializes its
/// writes sees no overlap).
/// </summary>
internal sealed class CapturedOutput : Stream
{
    private readonly object _gate = new();
    private readonly List<byte[]> _chunks = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inside;

    /// <summary>Whether two writes ever ran at the same time.</summary>
    public bool Overlapped { get; private set; }

    /// <summary>Each write, decoded.</summary>
    public IReadOnlyList<string> Chunks
    {
        get
        {
            lock (_gate)
            {
                return _chunks.ConvertAll(c => Encoding.UTF8.GetString(c));
            }
        }
    }

    /// <summary>Everything written so far.</summary>
    public string Text => string.Concat(Chunks);

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Forgets what was written.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _chunks.Clear();
        }
    }

    /// <summary>Waits until the text written so far satisfies <paramref name="done"/>.</summary>
    public async Task<string> WaitForAsync(Func<string, bool> done, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                changed = _changed.Task;
            }

            string text = Text;
            if (done(text))
            {
                return text;
            }

            await changed.WaitAsync(cancellationToken);
        }
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (Interlocked.Increment(ref _inside) > 1)
        {
            Overlapped = true;
        }

        // Give a concurrent writer the chance to show itself.
        Thread.Yield();
        byte[] copy = buffer.ToArray();
        TaskCompletionSource changed;
        lock (_gate)
        {
            _chunks.Add(copy);
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        Interlocked.Decrement(ref _inside);
        changed.TrySetResult();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
