using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.Executor.Core.Agent;
using Mesos.Executor.Core.RecordIO;
using Mesos.V1.Executor;

namespace Mesos.Executor.Testing.Internal;

/// <summary>
/// One open SUBSCRIBE response: a chunked HTTP body of RecordIO-framed events. Writes are
/// serialized; any write failure or close marks the stream closed.
/// </summary>
internal sealed class FakeSubscription
{
    private static readonly byte[] s_crlf = "\r\n"u8.ToArray();

    private readonly Socket _socket;
    private readonly Stream _stream;
    // Created taken: nobody may write before OpenAsync has written the head and first events.
    private readonly SemaphoreSlim _writeLock = new(0, 1);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public FakeSubscription(Socket socket, Stream stream, AgentContentType contentType)
    {
        _socket = socket;
        _stream = stream;
        ContentType = contentType;
    }

    /// <summary>The encoding of the events on this stream.</summary>
    public AgentContentType ContentType { get; }

    /// <summary>Completes when the stream is closed, by either side.</summary>
    public Task Closed => _closed.Task;

    public bool IsClosed => _closed.Task.IsCompleted;

    /// <summary>Writes the 200 response head and the first events, then lets other writers in. Call exactly once.</summary>
    public async Task OpenAsync(IEnumerable<Event> firstEvents, CancellationToken cancellationToken)
    {
        string head = string.Create(
            CultureInfo.InvariantCulture,
            $"HTTP/1.1 200 OK\r\nContent-Type: {MesosCodec.MediaType(ContentType)}\r\nTransfer-Encoding: chunked\r\n\r\n");
        try
        {
            await _stream.WriteAsync(Encoding.ASCII.GetBytes(head), cancellationToken).ConfigureAwait(false);
            foreach (Event @event in firstEvents)
            {
                await WriteChunkCoreAsync(Frame(@event), cancellationToken).ConfigureAwait(false);
            }

            await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            Abort();
            throw new InvalidOperationException("The executor's subscription stream closed while it was being opened.", ex);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Writes one event as a RecordIO record in its own chunk.</summary>
    public Task WriteEventAsync(Event @event, CancellationToken cancellationToken) => WriteChunkAsync(Frame(@event), cancellationToken);

    /// <summary>Writes bytes as one chunk of the body, exactly as given (no RecordIO framing).</summary>
    public async Task WriteChunkAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfClosed();
            await WriteChunkCoreAsync(data, cancellationToken).ConfigureAwait(false);
            await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            Abort();
            throw new InvalidOperationException("The executor's subscription stream is closed.", ex);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Ends the body with the terminating chunk, then closes the connection.</summary>
    public async Task EndAsync(CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!IsClosed)
            {
                await _stream.WriteAsync("0\r\n\r\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
                await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                _socket.Shutdown(SocketShutdown.Send);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            // Already gone: the outcome is the same.
        }
        finally
        {
            _writeLock.Release();
            Abort();
        }
    }

    /// <summary>Reads until the executor closes its side (it sends nothing after SUBSCRIBE), then marks the stream closed.</summary>
    public async Task RunUntilClosedAsync(CancellationToken cancellationToken)
    {
        byte[] scratch = new byte[256];
        try
        {
            while (await _stream.ReadAsync(scratch, cancellationToken).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Reset, aborted by us, or the agent stopping: all mean closed.
        }
        finally
        {
            Abort();
        }
    }

    /// <summary>Closes the connection at once, without ending the chunked body (an agent crash, as the executor sees it).</summary>
    public void Abort()
    {
        _socket.Dispose();
        _closed.TrySetResult();
    }

    private void ThrowIfClosed()
    {
        if (IsClosed)
        {
            throw new InvalidOperationException("The executor's subscription stream is closed.");
        }
    }

    private byte[] Frame(Event @event) => RecordIOWriter.Frame(MesosCodec.EncodeEvent(@event, ContentType));

    private async Task WriteChunkCoreAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (data.IsEmpty)
        {
            // A zero-size chunk would end the body; nothing to write.
            return;
        }

        byte[] size = Encoding.ASCII.GetBytes(data.Length.ToString("x", CultureInfo.InvariantCulture) + "\r\n");
        await _stream.WriteAsync(size, cancellationToken).ConfigureAwait(false);
        await _stream.WriteAsync(data, cancellationToken).ConfigureAwait(false);
        await _stream.WriteAsync(s_crlf, cancellationToken).ConfigureAwait(false);
    }
}
