using System;
using System.Collections.Concurrent;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Mesos.Executor.Core.Tests.Checks;

/// <summary>
/// A tiny HTTP/1.1 (optionally TLS) server over a <see cref="TcpListener"/> the test made (possibly
/// inside another network namespace). The handler maps a request target to a raw response head.
/// </summary>
public sealed class TestHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<string, string?> _handler;
    private readonly X509Certificate2? _certificate;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    /// <param name="listener">A started listener; the server owns it.</param>
    /// <param name="handler">Request target to response head (status line and headers), or null to never answer.</param>
    /// <param name="certificate">When set, the server speaks TLS.</param>
    public TestHttpServer(TcpListener listener, Func<string, string?> handler, X509Certificate2? certificate = null)
    {
        _listener = listener;
        _handler = handler;
        _certificate = certificate;
        _loop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>The request heads received, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Released once per request head received.</summary>
    public SemaphoreSlim RequestArrived { get; } = new(0);

    /// <summary>Connections accepted so far.</summary>
    public int Connections => _connections;

    private int _connections;

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public static TestHttpServer StartOnLoopback(Func<string, string?> handler, X509Certificate2? certificate = null, bool ipv6 = false)
    {
        var listener = new TcpListener(ipv6 ? IPAddress.IPv6Loopback : IPAddress.Loopback, 0);
        listener.Start();
        return new TestHttpServer(listener, handler, certificate);
    }

    public static string Status(int code, string? extraHeaders = null) =>
        $"HTTP/1.1 {code} X\r\nContent-Length: 2\r\n{extraHeaders}\r\nok";

    /// <summary>A self-signed certificate for 127.0.0.1 (made in the test; nothing is stored).</summary>
    public static X509Certificate2 SelfSignedCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        // Round-trip through PKCS#12 so that the key is usable by SslStream on Linux.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            Interlocked.Increment(ref _connections);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using var owned = client;
        try
        {
            Stream stream = new NetworkStream(client, ownsSocket: false);
            if (_certificate != null)
            {
                var tls = new SslStream(stream);
                await tls.AuthenticateAsServerAsync(_certificate, false, false);
                stream = tls;
            }

            await using (stream)
            {
                var head = new StringBuilder();
                var buffer = new byte[4096];
                while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    int read = await stream.ReadAsync(buffer, _stop.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    head.Append(Encoding.Latin1.GetString(buffer, 0, read));
                }

                string text = head.ToString();
                Requests.Enqueue(text);
                RequestArrived.Release();
                string target = text.Split(' ')[1];
                string? response = _handler(target);
                if (response == null)
                {
                    // Never answer: hold the connection until the server stops.
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                    return;
                }

                await stream.WriteAsync(Encoding.Latin1.GetBytes(response), _stop.Token);
                await stream.FlushAsync(_stop.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException or ObjectDisposedException or System.Security.Authentication.AuthenticationException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
        RequestArrived.Dispose();
    }
}
