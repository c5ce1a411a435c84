using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Mesos.Executor.Testing.Internal;

/// <summary>
/// The fake agent's transport: Kestrel (HTTP/1.1 only, as libprocess speaks it) on
/// <c>127.0.0.1:port</c> and optionally a Unix domain socket, handing every request to one
/// delegate. Kestrel parses requests, enforces the body limit (413), frames chunked responses and
/// aborts connections, which is all the fake agent needs from a server.
/// </summary>
internal sealed class AgentHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string? _unixSocketPath;
    private int _stopped;

    private AgentHttpServer(WebApplication app, int port, string? unixSocketPath)
    {
        _app = app;
        Port = port;
        _unixSocketPath = unixSocketPath;
    }

    /// <summary>The TCP port it listens on.</summary>
    public int Port { get; }

    /// <summary>Starts listening.</summary>
    /// <param name="port">The port on 127.0.0.1; 0 for a free one.</param>
    /// <param name="unixSocketPath">A Unix socket path to listen on too (an existing file is replaced), or <see langword="null"/>.</param>
    /// <param name="maxRequestBodyBytes">Larger request bodies are answered 413.</param>
    /// <param name="handler">Handles every request.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server.</returns>
    /// <exception cref="IOException">The port or socket path cannot be bound.</exception>
    public static async Task<AgentHttpServer> StartAsync(int port, string? unixSocketPath, long maxRequestBodyBytes, RequestDelegate handler, CancellationToken cancellationToken)
    {
        DeleteSocketFile(unixSocketPath);
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());

        // The host must not react to the test process's SIGINT/SIGTERM (the demo handles Ctrl-C itself).
        builder.Services.AddSingleton<IHostLifetime, NoSignalLifetime>();
        builder.WebHost.UseKestrelCore();
        builder.WebHost.UseSockets(sockets => sockets.CreateBoundListenSocket = Bind);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = maxRequestBodyBytes;

            // The agent keeps idle connections and slow streams open; so does the fake.
            kestrel.Limits.KeepAliveTimeout = Timeout.InfiniteTimeSpan;
            kestrel.Limits.MinRequestBodyDataRate = null;
            kestrel.Limits.MinResponseDataRate = null;
            kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http1);
            if (unixSocketPath != null)
            {
                kestrel.ListenUnixSocket(unixSocketPath, listen => listen.Protocols = HttpProtocols.Http1);
            }
        });

        WebApplication app = builder.Build();
        app.Run(handler);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .First(a => a.StartsWith("http://127.0.0.1:", StringComparison.Ordinal));
        int bound = int.Parse(address.AsSpan("http://127.0.0.1:".Length), NumberStyles.None, CultureInfo.InvariantCulture);
        return new AgentHttpServer(app, bound, unixSocketPath);
    }

    /// <summary>
    /// Stops at once: the listeners close (new connections are refused) and every open connection
    /// is aborted, as when an agent dies. Idempotent.
    /// </summary>
    /// <returns>A task that completes when every request handler has returned.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        try
        {
            // An already cancelled token: no graceful drain, connections are aborted now.
            await _app.StopAsync(new CancellationToken(canceled: true)).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await _app.DisposeAsync().ConfigureAwait(false);
        DeleteSocketFile(_unixSocketPath);
    }

    private static Socket Bind(EndPoint endpoint)
    {
        if (endpoint is not IPEndPoint)
        {
            return SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
        }

        // Rebinding the same port right after a stop (RestartAsync) must not fail on TIME_WAIT connections.
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(endpoint);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static void DeleteSocketFile(string? path)
    {
        if (path != null && File.Exists(path))
        {
            File.Delete(path);
        }
    }

    private sealed class NoSignalLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
