using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core.Checks;
using NUnit.Framework;

namespace Mesos.Executor.Core.Tests.Checks;

[TestFixture]
public sealed class LoopbackHttpClientTests
{
    [TestCase("HTTP/1.1 200 OK", 200)]
    [TestCase("HTTP/1.0 302 Found", 302)]
    [TestCase("HTTP/1.1 204", 204)]
    [TestCase("HTTP/1.1 503 \r\nRetry-After: 1", 503)]
    [TestCase("HTTP/1.1 404\nServer: x", 404)]
    public void ParseStatus_StatusLine_ReturnsCode(string head, int expected)
    {
        Assert.That(LoopbackHttpClient.ParseStatus(Encoding.ASCII.GetBytes(head)), Is.EqualTo(expected));
    }

    [TestCase("")]
    [TestCase("HTTP/1.1")]
    [TestCase("HTTP/1.1 2x0 OK")]
    [TestCase("HTTP/1.1 2000 OK")]
    [TestCase("SSH-2.0-OpenSSH_9.2")]
    public void ParseStatus_NotAStatusLine_ThrowsIOException(string head)
    {
        Assert.That(() => LoopbackHttpClient.ParseStatus(Encoding.ASCII.GetBytes(head)), Throws.InstanceOf<IOException>());
    }

    [TestCase("HTTP/1.1 302 Found\r\nLocation: /next", "/next")]
    [TestCase("HTTP/1.1 302 Found\r\nServer: x\r\nlocation:\t http://127.0.0.1:81/a?b=c ", "http://127.0.0.1:81/a?b=c")]
    [TestCase("HTTP/1.1 302 Found\r\nX-Location: /wrong\r\nLOCATION: /right", "/right")]
    [TestCase("HTTP/1.1 302 Found\r\nContent-Length: 0", null)]
    [TestCase("HTTP/1.1 302 Found\nServer: x\nLocation: /bare-lf", "/bare-lf")]
    [TestCase("HTTP/1.1 302 Found\nLocation: /mixed\r\nServer: x", "/mixed")]
    [TestCase("HTTP/1.1 302 Found\r\nLocation:", null)]
    public void FindLocation_Head_FindsTheHeaderCaseInsensitively(string head, string? expected)
    {
        Assert.That(LoopbackHttpClient.FindLocation(Encoding.ASCII.GetBytes(head)), Is.EqualTo(expected));
    }

    /// <summary>Serves one connection: reads the request head, then writes <paramref name="response"/> in <paramref name="chunk"/>-byte pieces.</summary>
    private static async Task<int> ExchangeAsync(byte[] response, int chunk, CancellationToken cancellationToken)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        var serve = Task.Run(
            async () =>
            {
                using var peer = await listener.AcceptAsync(cancellationToken);
                var buffer = new byte[4096];
                var head = new StringBuilder();
                while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    int read = await peer.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
                    head.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }

                try
                {
                    for (int offset = 0; offset < response.Length; offset += chunk)
                    {
                        await peer.SendAsync(response.AsMemory(offset, Math.Min(chunk, response.Length - offset)), SocketFlags.None, cancellationToken);
                    }

                    peer.Shutdown(SocketShutdown.Send);
                }
                catch (SocketException)
                {
                    // The client may stop reading (and reset) once it has what it needs.
                }
            },
            cancellationToken);
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
        var result = await LoopbackHttpClient.GetAsync(client, https: false, "127.0.0.1", port, "/", cancellationToken);
        await serve;
        return result.StatusCode;
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task GetAsync_ResponseInOneByteChunks_IsReassembled(CancellationToken cancellationToken)
    {
        int status = await ExchangeAsync(Encoding.ASCII.GetBytes("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"), 1, cancellationToken);

        Assert.That(status, Is.EqualTo(201));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task GetAsync_OversizedHead_StillReadsTheStatus(CancellationToken cancellationToken)
    {
        var head = new StringBuilder("HTTP/1.1 202 Accepted\r\n");
        for (int i = 0; i < 500; i++)
        {
            head.Append(System.Globalization.CultureInfo.InvariantCulture, $"X-Filler-{i}: {new string('x', 40)}\r\n");
        }

        int status = await ExchangeAsync(Encoding.ASCII.GetBytes(head.Append("\r\n").ToString()), 1400, cancellationToken);

        Assert.That(status, Is.EqualTo(202));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task GetAsync_HeadWithoutBlankLineBeforeClose_AcceptsTheStatusLine(CancellationToken cancellationToken)
    {
        int status = await ExchangeAsync(Encoding.ASCII.GetBytes("HTTP/1.0 200 OK\r\n"), 64, cancellationToken);

        Assert.That(status, Is.EqualTo(200));
    }

    [Test]
    [CancelAfter(10_000)]
    public void GetAsync_ClosedWithoutResponse_ThrowsIOException(CancellationToken cancellationToken)
    {
        Assert.That(async () => await ExchangeAsync([], 1, cancellationToken), Throws.InstanceOf<IOException>());
    }

    [TestCase("HTTP/1.1 200 OK\r\nA: b\r\n\r\nbody", 21, 25)]
    [TestCase("HTTP/1.1 200 OK\nA: b\n\nbody", 20, 22)]
    [TestCase("HTTP/1.1 200 OK\r\nA: b\n\r\nbody", 21, 24)]
    [TestCase("HTTP/1.1 200 OK\r\nA: b\r\n", -1, 0)]
    [TestCase("HTTP/1.1 200 OK\n", -1, 0)]
    public void HeadEnd_CrlfOrBareLf_FindsTheEmptyLine(string data, int expectedEnd, int expectedConsumed)
    {
        int end = LoopbackHttpClient.HeadEnd(Encoding.ASCII.GetBytes(data), out int consumed);

        Assert.Multiple(() =>
        {
            Assert.That(end, Is.EqualTo(expectedEnd));
            Assert.That(consumed, Is.EqualTo(expectedConsumed));
        });
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task GetAsync_BareLfLineEndings_AreAcceptedAsCurlDoes(CancellationToken cancellationToken)
    {
        // busybox httpd's CGI output, for one: Mesos's curl-based HTTP check accepts it.
        int status = await ExchangeAsync(Encoding.ASCII.GetBytes("HTTP/1.1 100 Continue\n\nHTTP/1.1 503 Busy\nContent-Type: text/plain\n\nlater"), 7, cancellationToken);

        Assert.That(status, Is.EqualTo(503));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task GetAsync_BareLfHeadThenClose_AcceptsTheStatusLine(CancellationToken cancellationToken)
    {
        int status = await ExchangeAsync(Encoding.ASCII.GetBytes("HTTP/1.0 204 No Content\n"), 64, cancellationToken);

        Assert.That(status, Is.EqualTo(204));
    }
}
