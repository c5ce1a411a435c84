using System;
using System.Buffers.Text;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;

namespace Mesos.Executor.Benchmarks;

/// <summary>What a <see cref="LoopbackServer"/> does with each connection.</summary>
internal enum LoopbackServerMode
{
    /// <summary>Accept and close: the peer of a TCP health-check probe.</summary>
    AcceptAndClose,

    /// <summary>Read one request head, answer <c>200 OK</c> and close: the peer of an HTTP health-check probe.</summary>
    HttpOkAndClose,

    /// <summary>
    /// Keep the connection and answer every request (head plus <c>Content-Length</c> body) with
    /// <c>202 Accepted</c>, as the agent answers UPDATE calls (docs/executor-http-api.md).
    /// </summary>
    Agent,
}

/// <summary>
/// A minimal loopback server for the benchmarks' peers. It keeps out of the figures of the code
/// under test: it runs on its own threads named <see cref="ProcessCpuDiagnoser.ServerThreadName"/>,
/// so that <see cref="ProcessCpuDiagnoser"/> counts its CPU apart, and it works on the raw file
/// descriptors (blocking <c>accept</c>, <c>recv</c>, <c>send</c>, <c>close</c>) with buffers of its
/// own, so that it allocates nothing per connection or request and BenchmarkDotNet's
/// <c>Allocated</c> column (which counts every thread) is the client's alone. It does the least a peer
/// can do and validates nothing (FakeAgent does that in the tests).
/// </summary>
internal sealed partial class LoopbackServer : IDisposable
{
    private const int ShutdownBoth = 2;

    private static readonly byte[] Ok = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    private static readonly byte[] Accepted = Encoding.ASCII.GetBytes("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n");

    private readonly Socket _listener;
    private readonly int _listenerFd;
    private readonly LoopbackServerMode _mode;
    private readonly List<Thread> _threads = [];
    private readonly List<int> _connections = [];
    private volatile bool _stopping;

    public LoopbackServer(LoopbackServerMode mode)
    {
        _mode = mode;

        // Bound and listening through Socket, but never used for I/O by it: the descriptor stays blocking.
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(1024);
        _listenerFd = (int)_listener.SafeHandle.DangerousGetHandle();
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        Start(AcceptLoop);
    }

    /// <summary>The port it listens on, on 127.0.0.1.</summary>
    public int Port { get; }

    public void Dispose()
    {
        _stopping = true;

        // shutdown(2) wakes the threads blocked in accept and recv; close alone would not.
        _ = Shutdown(_listenerFd, ShutdownBoth);
        lock (_connections)
        {
            foreach (int connection in _connections)
            {
                _ = Shutdown(connection, ShutdownBoth);
            }
        }

        Thread[] threads;
        lock (_threads)
        {
            threads = [.. _threads];
        }

        foreach (Thread thread in threads)
        {
            thread.Join();
        }

        lock (_connections)
        {
            foreach (int connection in _connections)
            {
                _ = Close(connection);
            }
        }

        _listener.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "accept", SetLastError = true)]
    private static partial int Accept(int fd, nint address, nint addressLength);

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    private static partial nint Receive(int fd, ref byte buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    private static partial nint Send(int fd, in byte buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "shutdown", SetLastError = true)]
    private static partial int Shutdown(int fd, int how);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    private const int Interrupted = 4; // EINTR

    private static int Receive(int fd, Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            throw new InvalidOperationException("a request larger than the server's buffer");
        }

        nint read;
        do
        {
            read = Receive(fd, ref MemoryMarshal.GetReference(buffer), buffer.Length, 0);
        }
        while (read < 0 && Marshal.GetLastPInvokeError() == Interrupted);
        return (int)read;
    }

    private static bool SendAll(int fd, ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            nint sent = Send(fd, in MemoryMarshal.GetReference(data), data.Length, 0);
            if (sent < 0 && Marshal.GetLastPInvokeError() == Interrupted)
            {
                continue;
            }

            if (sent <= 0)
            {
                return false;
            }

            data = data[(int)sent..];
        }

        return true;
    }

    private void Start(Action work)
    {
        var thread = new Thread(() => work()) { IsBackground = true, Name = ProcessCpuDiagnoser.ServerThreadName };
        lock (_threads)
        {
            _threads.Add(thread);
        }

        thread.Start();
    }

    private void AcceptLoop()
    {
        var buffer = new byte[4096];
        while (!_stopping)
        {
            int client = Accept(_listenerFd, 0, 0);
            if (client < 0)
            {
                if (_stopping)
                {
                    return;
                }

                if (Marshal.GetLastPInvokeError() == Interrupted)
                {
                    continue;
                }

                throw new InvalidOperationException($"accept failed with errno {Marshal.GetLastPInvokeError()}");
            }

            switch (_mode)
            {
                case LoopbackServerMode.AcceptAndClose:
                    _ = Close(client);
                    break;
                case LoopbackServerMode.HttpOkAndClose:
                    AnswerOnce(client, buffer);
                    _ = Close(client);
                    break;
                default:
                    lock (_connections)
                    {
                        _connections.Add(client);
                    }

                    // One thread per connection; the client keeps its connection alive, so these live
                    // through the whole run.
                    Start(() => Serve(client));
                    break;
            }
        }
    }

    private static void AnswerOnce(int client, byte[] buffer)
    {
        int filled = 0;
        while (buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8) < 0)
        {
            int read = Receive(client, buffer.AsSpan(filled));
            if (read <= 0)
            {
                return;
            }

            filled += read;
        }

        _ = SendAll(client, Ok);
    }

    private void Serve(int client)
    {
        var buffer = new byte[64 * 1024];
        int filled = 0;
        while (!_stopping)
        {
            int end;
            while ((end = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
            {
                int read = Receive(client, buffer.AsSpan(filled));
                if (read <= 0)
                {
                    return;
                }

                filled += read;
            }

            int total = end + 4 + ContentLength(buffer.AsSpan(0, end));
            while (filled < total)
            {
                int read = Receive(client, buffer.AsSpan(filled, Math.Min(buffer.Length, total) - filled));
                if (read <= 0)
                {
                    return;
                }

                filled += read;
            }

            if (!SendAll(client, Accepted))
            {
                return;
            }

            buffer.AsSpan(total, filled - total).CopyTo(buffer);
            filled -= total;
        }
    }

    private static int ContentLength(ReadOnlySpan<byte> head)
    {
        ReadOnlySpan<byte> name = "\r\ncontent-length:"u8;
        for (int i = 0; i + name.Length <= head.Length; i++)
        {
            if (Ascii.EqualsIgnoreCase(head.Slice(i, name.Length), name))
            {
                ReadOnlySpan<byte> rest = head[(i + name.Length)..];
                int lineEnd = rest.IndexOf("\r\n"u8);
                return Utf8Parser.TryParse((lineEnd < 0 ? rest : rest[..lineEnd]).Trim(" \t"u8), out int length, out _)
                    ? length
                    : throw new InvalidOperationException("a bad Content-Length");
            }
        }

        return 0;
    }
}
