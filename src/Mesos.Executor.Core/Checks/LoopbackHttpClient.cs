using System;
using System.Buffers;
using System.Globalization;
using System.IO;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Mesos.Executor.Core.Checks;

// Why hand-written and not HttpClient (measured for issue 12, 2026-12-04, 2-core Debian 12 build
// machine shared with other builds, .NET 10.0.401): the alternative was a SocketsHttpHandler per probe
// whose ConnectCallback returns the socket NativeHealthCheck connected inside the container's network
// namespace (as HttpAgentTransport does for Unix sockets), AllowAutoRedirect off (NativeHealthCheck
// follows only loopback redirects), Connection: close (a pool keyed by 127.0.0.1:port would mix
// containers' namespaces), no certificate check. It passed every test in
// tests/Mesos.Executor.Core.Tests/Checks and tests/Mesos.Executor.Integration.Tests/Checks.
//                                        this file            HttpClient
//   NativeAOT binary (ls -l)             12,653,576 B         12,653,624 B  (HttpClient and SslStream
//                                                                            are linked anyway)
//   CPU per HTTP probe, host network     274 us               637-702 us
//   CPU per HTTP probe, via setns        338 us               522-627 us
//   allocated per probe                  5.7 KB               21.8 KB
// (dotnet run -c Release --project benchmarks/Mesos.Executor.Benchmarks -- --filter
// '*CheckBenchmarks.Http*' --job short --inProcess; CPU is the process's, in-process server
// included; HttpClient run twice.) Same size, twice the CPU and four times the garbage per probe: this
// file stays.

/// <summary>
/// A minimal HTTP/1.1 GET over a socket that the caller connected (possibly inside another
/// network namespace, which rules out a resolver-driven client). It reads only the response head:
/// a health check needs the status code and, for redirects, the <c>Location</c> header.
/// </summary>
internal static class LoopbackHttpClient
{
    /// <summary>The largest response head we read; longer heads are cut (the status line is all we need).</summary>
    private const int HeadLimit = 8192;

    private static ReadOnlySpan<byte> RequestHead => "GET "u8;

    private static ReadOnlySpan<byte> RequestTail => "\r\nUser-Agent: mesos-executor-health-check\r\nAccept: */*\r\nConnection: close\r\n\r\n"u8;

    /// <summary>The response head's essentials.</summary>
    /// <param name="StatusCode">The final (non-1xx) status code.</param>
    /// <param name="Location">The <c>Location</c> header, or <see langword="null"/>.</param>
    public readonly record struct Response(int StatusCode, string? Location);

    /// <summary>Sends <c>GET <paramref name="path"/></c> over <paramref name="socket"/> and reads the response head.</summary>
    /// <param name="socket">A connected socket; it is disposed.</param>
    /// <param name="https">Whether to speak TLS first (without verifying the certificate, as Mesos's <c>curl -k</c>).</param>
    /// <param name="host">The <c>Host</c> header's value without the port (<c>127.0.0.1</c> or <c>[::1]</c>).</param>
    /// <param name="port">The port, for the <c>Host</c> header.</param>
    /// <param name="path">The request target, starting with '/'.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>The status code and the redirect target.</returns>
    /// <exception cref="IOException">The connection failed or the response is not HTTP.</exception>
    /// <exception cref="System.Security.Authentication.AuthenticationException">The TLS handshake failed.</exception>
    /// <remarks>A pooled <see cref="ValueTask{TResult}"/>: await it once.</remarks>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<Response> GetAsync(Socket socket, bool https, string host, int port, string path, CancellationToken cancellationToken)
    {
        await using var network = new NetworkStream(socket, ownsSocket: true);
        SslStream? tls = null;
        Stream stream = network;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Max(HeadLimit, RequestLength(host, port, path)));
        try
        {
            if (https)
            {
                tls = new SslStream(network, leaveInnerStreamOpen: true);
                var options = new SslClientAuthenticationOptions
                {
                    // An IP address is never sent as SNI; the name only feeds the (disabled) check.
                    TargetHost = host,
                    RemoteCertificateValidationCallback = static (_, _, _, _) => true,
                    CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
                };
                await tls.AuthenticateAsClientAsync(options, cancellationToken).ConfigureAwait(false);
                stream = tls;
            }

            int length = WriteRequest(buffer, host, port, path);
            await stream.WriteAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            return await ReadHeadAsync(stream, buffer, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (tls != null)
            {
                await tls.DisposeAsync().ConfigureAwait(false);
            }

            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static int RequestLength(string host, int port, string path) =>
        RequestHead.Length + Encoding.UTF8.GetByteCount(path) + " HTTP/1.1\r\nHost: ".Length + host.Length + 6 + RequestTail.Length;

    private static int WriteRequest(Span<byte> buffer, string host, int port, string path)
    {
        int n = 0;
        RequestHead.CopyTo(buffer);
        n += RequestHead.Length;
        n += Encoding.UTF8.GetBytes(path, buffer[n..]);
        " HTTP/1.1\r\nHost: "u8.CopyTo(buffer[n..]);
        n += " HTTP/1.1\r\nHost: ".Length;
        n += Encoding.ASCII.GetBytes(host, buffer[n..]);
        buffer[n++] = (byte)':';
        _ = port.TryFormat(buffer[n..], out int written, default, CultureInfo.InvariantCulture);
        n += written;
        RequestTail.CopyTo(buffer[n..]);
        return n + RequestTail.Length;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<Response> ReadHeadAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        int filled = 0;
        while (true)
        {
            int end = HeadEnd(buffer.AsSpan(0, filled), out int consumed);
            if (end < 0 && filled == HeadLimit)
            {
                // An oversized head: what we have must do.
                end = filled;
                consumed = filled;
            }

            if (end >= 0)
            {
                var head = buffer.AsSpan(0, end);
                int status = ParseStatus(head);
                if (status is >= 100 and < 200 && status != 101)
                {
                    // An interim response (e.g. 100 Continue): the final one follows.
                    buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                    filled -= consumed;
                    continue;
                }

                return new Response(status, status is >= 300 and < 400 ? FindLocation(head) : null);
            }

            int read = await stream.ReadAsync(buffer.AsMemory(filled, HeadLimit - filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                if (filled > 0 && buffer.AsSpan(0, filled).IndexOf((byte)'\n') > 0)
                {
                    // Closed right after the head's last line (no blank line): accept the status line.
                    var head = buffer.AsSpan(0, filled);
                    int status = ParseStatus(head);
                    return new Response(status, status is >= 300 and < 400 ? FindLocation(head) : null);
                }

                throw new IOException("the connection closed before an HTTP response arrived");
            }

            filled += read;
        }
    }

    /// <summary>
    /// Where the head ends: at the first empty line. Lines end with CRLF or, as curl (which runs
    /// Mesos's own HTTP checks) also accepts, a bare LF.
    /// </summary>
    /// <param name="data">What has arrived.</param>
    /// <param name="consumed">The bytes up to and including the empty line.</param>
    /// <returns>The head's length without its last line ending, or -1 when the empty line has not arrived.</returns>
    internal static int HeadEnd(ReadOnlySpan<byte> data, out int consumed)
    {
        int from = 0;
        while (true)
        {
            int newline = data[from..].IndexOf((byte)'\n');
            if (newline < 0)
            {
                consumed = 0;
                return -1;
            }

            int i = from + newline;
            int next = i + 1;
            if (next < data.Length && data[next] == (byte)'\r')
            {
                next++;
            }

            if (next < data.Length && data[next] == (byte)'\n')
            {
                consumed = next + 1;
                return i > 0 && data[i - 1] == (byte)'\r' ? i - 1 : i;
            }

            from = i + 1;
        }
    }

    /// <summary>Parses <c>HTTP/1.x NNN ...</c>.</summary>
    internal static int ParseStatus(ReadOnlySpan<byte> head)
    {
        // "HTTP/1.1 200" is 12 bytes; the reason phrase may be absent.
        if (head.Length < 12 || !head.StartsWith("HTTP/"u8) || head[8] != (byte)' ')
        {
            throw new IOException("the response is not HTTP/1.x");
        }

        int status = 0;
        for (int i = 9; i < 12; i++)
        {
            int digit = head[i] - '0';
            if (digit is < 0 or > 9)
            {
                throw new IOException("the response has no valid status code");
            }

            status = (status * 10) + digit;
        }

        if (head.Length > 12 && head[12] != (byte)' ' && head[12] != (byte)'\r' && head[12] != (byte)'\n')
        {
            throw new IOException("the response has no valid status code");
        }

        return status;
    }

    /// <summary>Finds the <c>Location</c> header's value in a response head.</summary>
    internal static string? FindLocation(ReadOnlySpan<byte> head)
    {
        while (true)
        {
            int newline = head.IndexOf((byte)'\n');
            if (newline < 0)
            {
                return null;
            }

            head = head[(newline + 1)..];
            int lineEnd = head.IndexOf((byte)'\n');
            var line = (lineEnd < 0 ? head : head[..lineEnd]).TrimEnd((byte)'\r');
            if (line.Length > 9 && Ascii.EqualsIgnoreCase(line[..9], "location:"u8))
            {
                var value = line[9..].Trim(" \t"u8);
                return value.IsEmpty ? null : Encoding.Latin1.GetString(value);
            }
        }
    }
}
