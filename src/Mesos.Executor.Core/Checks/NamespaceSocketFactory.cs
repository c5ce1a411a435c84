using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Mesos.Executor.Core.Checks;

/// <summary>
/// Creates TCP sockets inside other processes' network namespaces on one dedicated OS thread
/// that lives while there is work (it exits after an idle timeout, 30 s by default, and is
/// started again on demand). Starting a thread per probe would cost about 0.3 ms of CPU; entering
/// a namespace, creating the socket and returning costs a few microseconds.
/// </summary>
/// <remarks>See <see cref="NetworkNamespace"/> for the rules the thread follows.</remarks>
internal sealed class NamespaceSocketFactory
{
    /// <summary>How long the thread waits for work before it exits, by default.</summary>
    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromSeconds(30);

    private readonly object _gate = new();
    private readonly Queue<Request> _queue = new();
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _idleTimeout;
    private bool _running;

    /// <summary>Creates the factory; no thread runs until the first request.</summary>
    /// <param name="timeProvider">Times the hand-over.</param>
    /// <param name="idleTimeout">How long the thread waits for work before it exits (the thread's own wait, on the real clock: it only bounds the thread's life).</param>
    public NamespaceSocketFactory(TimeProvider timeProvider, TimeSpan? idleTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
        _idleTimeout = idleTimeout ?? DefaultIdleTimeout;
    }

    /// <summary>
    /// Creates a TCP stream socket of <paramref name="family"/> inside the network namespace at
    /// <paramref name="namespacePath"/>.
    /// </summary>
    /// <param name="namespacePath">A namespace file, e.g. <c>/proc/1234/ns/net</c>.</param>
    /// <param name="family">The socket's address family.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>An unconnected socket living in that namespace; the caller owns it.</returns>
    /// <exception cref="IOException">The namespace could not be entered or the socket not created.</exception>
    public async Task<Socket> CreateAsync(string namespacePath, AddressFamily family, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        NetworkNamespace.WarmUp();
        var request = new Request(namespacePath, family);
        bool start;
        lock (_gate)
        {
            _queue.Enqueue(request);
            start = !_running;
            _running = true;
            if (!start)
            {
                Monitor.Pulse(_gate);
            }
        }

        if (start)
        {
            // Started from the caller's thread, which is in the executor's namespace.
            var thread = new Thread(static state => ((NamespaceSocketFactory)state!).Work(), maxStackSize: 256 * 1024)
            {
                IsBackground = true,
                Name = "mesos-netns",
            };
            thread.UnsafeStart(this);
        }

        try
        {
            return await request.Completion.Task.WaitAsync(NetworkNamespace.HandOverTimeout, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _ = CloseLateSocketAsync(request.Completion.Task);
            throw new IOException($"no socket was handed over from the network namespace {namespacePath}");
        }
        catch (OperationCanceledException)
        {
            _ = CloseLateSocketAsync(request.Completion.Task);
            throw;
        }
    }

    /// <summary>A socket handed over after its requester gave up (timeout, cancellation) is closed when it arrives.</summary>
    private static async Task CloseLateSocketAsync(Task<Socket> handOver)
    {
        await ((Task)handOver).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (handOver.IsCompletedSuccessfully)
        {
            (await handOver.ConfigureAwait(false)).Dispose();
        }
    }

    private void Work()
    {
        var openError = NetworkNamespace.OpenOwnNamespace(out int home);
        if (openError != null)
        {
            // Never left our namespace: failing the requests here is safe.
            List<Request> failed;
            lock (_gate)
            {
                failed = [.. _queue];
                _queue.Clear();
                _running = false;
            }

            foreach (var request in failed)
            {
                request.Completion.TrySetException(openError);
            }

            return;
        }

        try
        {
            while (true)
            {
                Request request;
                lock (_gate)
                {
                    while (_queue.Count == 0)
                    {
                        if (!Monitor.Wait(_gate, _idleTimeout) && _queue.Count == 0)
                        {
                            _running = false;
                            return;
                        }
                    }

                    request = _queue.Dequeue();
                }

                bool back = NetworkNamespace.RunInside(home, request.NamespacePath, request, static r => r.Socket = new Socket(r.Family, SocketType.Stream, ProtocolType.Tcp), out var error);
                if (!back)
                {
                    // Stranded in the other namespace: hand nothing over, start nothing, exit (see NetworkNamespace).
                    request.Socket?.Dispose();
                    lock (_gate)
                    {
                        _running = false;
                    }

                    return;
                }

                if (error == null && request.Socket != null)
                {
                    request.Completion.TrySetResult(request.Socket);
                }
                else
                {
                    request.Socket?.Dispose();
                    request.Completion.TrySetException(error ?? new IOException("no socket was created"));
                }
            }
        }
        finally
        {
            NetworkNamespace.CloseNamespace(home);
        }
    }

    private sealed class Request(string namespacePath, AddressFamily family)
    {
        public string NamespacePath { get; } = namespacePath;

        public AddressFamily Family { get; } = family;

        public Socket? Socket { get; set; }

        public TaskCompletionSource<Socket> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
