using System;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Mesos.Executor.Integration.Tests.Checks;

/// <summary>
/// An HTTPS server with a self-signed certificate made in the test, over a listener the test
/// bound (inside a container's network namespace: busybox has no TLS server). Answers every
/// request with a fixed status.
/// </summary>
internal sealed class TlsTestServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly X509Certificate2 _certificate;
    private readonly int _status;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _requests;

    public TlsTestServer(TcpListener listener, int status)
    {
        _listener = listener;
        _status = status;
        _certificate = SelfSignedCertificate();
        _loop = Task.Run(AcceptLoopAsync);
    }

    public int Requests => Volatile.Read(ref _requests);

    private static X509Certificate2 SelfSignedCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
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

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using var owned = client;
        try
        {
            await using var tls = new SslStream(new NetworkStream(client, ownsSocket: false));
            await tls.AuthenticateAsServerAsync(_certificate, false, false);
            var head = new StringBuilder();
            var buffer = new byte[4096];
            while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                int read = await tls.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    return;
                }

                head.Append(Encoding.Latin1.GetString(buffer, 0, read));
            }

            Interlocked.Increment(ref _requests);
            await tls.WriteAsync(Encoding.Latin1.GetBytes($"HTTP/1.1 {_status} X\r\nContent-Length: 0\r\n\r\n"), _stop.Token);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException or System.Security.Authentication.AuthenticationException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
        _certificate.Dispose();
    }
}
