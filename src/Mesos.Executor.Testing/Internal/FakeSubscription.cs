using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.Executor.Core.Agent;
using Mesos.Executor.Core.RecordIO;
using Mesos.V1.Executor;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace Mesos.Executor.Testing.Internal;

/// <summary>
/// One open SUBSCRIBE response: Kestrel's chunked body of RecordIO-framed events. Writes are
/// serialized; the executor closing its side, <see cref="Abort"/> or <see cref="EndAsync"/> marks
/// the stream closed. The request handler that owns the <see cref="HttpContext"/> waits for
/// <see cref="Closed"/> and then calls <see cref="Finish"/>; the context is not touched after that.
/// </summary>
internal sealed class FakeSubscription
{
    private readonly object _gate = new();
    private readonly HttpContext _context;

    // Created taken: nobody may write before OpenAsync has written the head and first events.
    private readonly SemaphoreSlim _writeLock = new(0, 1);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _ended;
    private bool _handlerDone;

    public FakeSubscription(HttpContext context, AgentContentType contentType)
    {
        _context = context;
        ContentType = contentType;

        // Kestrel watches the connection: the executor closing it aborts the request.
        context.RequestAborted.Register(static state => ((FakeSubscription)state!)._closed.TrySetResult(), this);
    }

    /// <summary>The encoding of the events on this stream.</summary>
    public AgentContentType ContentType { get; }

    /// <summary>Completes when the stream is closed, by either side.</summary>
    public Task Closed => _closed.Task;

    /// <summary>Completes when the agent has recorded the end of the stream (see <see cref="Finish"/>).</summary>
    public Task Finished => _finished.Task;

    public bool IsClosed => _closed.Task.IsCompleted;

    /// <summary>Writes the 200 response head and the first events, then lets other writers in. Call exactly once.</summary>
    public async Task OpenAsync(IEnumerable<Event> firstEvents, CancellationToken cancellationToken)
    {
        HttpResponse response = _context.Response;
        try
        {
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = MesosCodec.MediaType(ContentType);
            await response.StartAsync(cancellationToken).ConfigureAwait(false);
            foreach (Event @event in firstEvents)
            {
                await response.Body.WriteAsync(Frame(@event), cancellationToken).ConfigureAwait(false);
            }

            await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            Abort();
            throw new InvalidOperationException("The executor's subscription stream closed while it was being opened.", ex);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Writes one event as a RecordIO record.</summary>
    public Task WriteEventAsync(Event @event, CancellationToken cancellationToken) => WriteChunkAsync(Frame(@event), cancellationToken);

    /// <summary>Writes bytes into the body exactly as given (no RecordIO framing), flushed as one chunk.</summary>
    public async Task WriteChunkAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfClosed();
            if (data.IsEmpty)
            {
                // A zero-size chunk would end the body; nothing to write.
                return;
            }

            await _context.Response.Body.WriteAsync(data, cancellationToken).ConfigureAwait(false);
            await _context.Response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);

            // Kestrel drops writes to a connection that has gone away without an error.
            ThrowIfClosed();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            Abort();
            throw new InvalidOperationException("The executor's subscription stream is closed.", ex);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Ends the body with the terminating chunk, and has Kestrel close the connection after it.</summary>
    public async Task EndAsync(CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            lock (_gate)
            {
                if (IsClosed || _handlerDone)
                {
                    return;
                }

                _ended = true;
            }

            _context.Features.Get<IConnectionLifetimeNotificationFeature>()?.RequestClose();
            await _context.Response.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // Already gone: the outcome is the same.
        }
        finally
        {
            _writeLock.Release();
            _closed.TrySetResult();
        }
    }

    /// <summary>Closes the connection at once, inside the chunked body (an agent crash, as the executor sees it).</summary>
    public void Abort()
    {
        lock (_gate)
        {
            // After a graceful end the terminating chunk may still be on its way; after the
            // handler returned the context belongs to the connection's next request.
            if (!_ended && !_handlerDone)
            {
                _context.Abort();
            }
        }

        _closed.TrySetResult();
    }

    /// <summary>Called by the request handler as it returns, after the agent recorded the disconnection.</summary>
    public void Finish()
    {
        lock (_gate)
        {
            _handlerDone = true;
        }

        _finished.TrySetResult();
    }

    private void ThrowIfClosed()
    {
        if (IsClosed)
        {
            throw new InvalidOperationException("The executor's subscription stream is closed.");
        }
    }

    private byte[] Frame(Event @event) => RecordIOWriter.Frame(MesosCodec.EncodeEvent(@event, ContentType));
}
