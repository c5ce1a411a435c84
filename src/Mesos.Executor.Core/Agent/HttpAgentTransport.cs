using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Authentication;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core.RecordIO;
using Mesos.V1.Executor;
using Microsoft.Extensions.Logging;

namespace Mesos.Executor.Core.Agent;

/// <summary>
/// The executor API over HTTP/1.1 (docs/executor-http-api.md): SUBSCRIBE on its own long-lived
/// connection streaming RecordIO events, every other call on a separate connection pool answered
/// with 202 Accepted. Speaks TCP (http or https) or, when the agent gives a domain socket, HTTP
/// over that Unix socket.
/// </summary>
internal sealed class HttpAgentTransport : IAgentTransport, IAsyncDisposable
{
    // Enough of an error body to say why; agents answer with a line of text.
    private const int MaxErrorBodyBytes = 4096;

    // sockaddr_un.sun_path holds 108 bytes including the terminating NUL.
    private const int MaxDomainSocketPathBytes = 107;

    private readonly AgentTransportOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly HttpClient _subscribeClient;
    private readonly HttpClient _callClient;
    private readonly string _mediaType;
    private readonly string _endpointText;
    private int _disposed;

    /// <summary>Creates the transport; no connection is made until the first call.</summary>
    /// <param name="options">Where and how to reach the agent.</param>
    /// <param name="loggerFactory">Creates the transport's logger.</param>
    /// <param name="timeProvider">Times the per-call timeout; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    public HttpAgentTransport(AgentTransportOptions options, ILoggerFactory loggerFactory, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _options = options;
        _logger = loggerFactory.CreateLogger<HttpAgentTransport>();
        _timeProvider = timeProvider ?? TimeProvider.System;
        _mediaType = MesosCodec.MediaType(options.ContentType);
        _endpointText = options.DomainSocket != null
            ? "unix:" + options.DomainSocket
            : options.Endpoint.GetLeftPart(UriPartial.Authority);

        // Two handlers, so the never-ending SUBSCRIBE response can never hold up (or be queued
        // behind) an UPDATE: the agent expects calls on a different connection.
        _subscribeClient = new HttpClient(CreateHandler(options), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _callClient = new HttpClient(CreateHandler(options), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<Event> SubscribeAsync(Call subscribe, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscribe);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

        Log.AgentSubscribing(_logger, _endpointText, _mediaType);
        using HttpRequestMessage request = CreateRequest(subscribe, out _);
        using HttpResponseMessage response = await OpenSubscriptionAsync(request, cancellationToken).ConfigureAwait(false);

        // The agent answers in the type we accept; should it pick the other one, follow it.
        AgentContentType eventType = ResponseContentType(response) ?? _options.ContentType;
        Stream body;
        try
        {
            body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw SubscriptionLost("the stream could not be read", ex);
        }

        var reader = new RecordIOReader(body, _options.MaxRecordSize, leaveOpen: false);
        await using (reader.ConfigureAwait(false))
        {
            Log.AgentSubscriptionOpened(_logger, _endpointText, MesosCodec.MediaType(eventType));
            while (true)
            {
                yield return await ReadEventAsync(reader, eventType, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public async Task SendAsync(Call call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

        using HttpRequestMessage request = CreateRequest(call, out int bytes);
        Log.AgentCallSending(_logger, call.Type, bytes);

        // One source for the call: cancelled by its timer or, through the registration, by the
        // caller (one allocation less per call than a linked source over a timeout source).
        using var timeout = new CancellationTokenSource(_options.CallTimeout, _timeProvider);
        using CancellationTokenRegistration registration = cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), timeout);
        try
        {
            using HttpResponseMessage response = await _callClient
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token)
                .ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                Log.AgentCallAccepted(_logger, call.Type);
                return;
            }

            string text = await ReadErrorBodyAsync(response, timeout.Token).ConfigureAwait(false);
            throw StatusError(call.Type, response, text);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested && timeout.IsCancellationRequested)
        {
            // The call may or may not have reached the agent; resending is safe (at-least-once).
            throw new AgentApiException(
                $"The {CallName(call.Type)} call to the agent at {_endpointText} timed out after {_options.CallTimeout.TotalSeconds:0.###} s.",
                statusCode: null,
                isTransient: true,
                innerException: ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw ConnectionError(call.Type, ex);
        }
    }

    /// <summary>Closes every connection; an open subscription ends with an error. Idempotent.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _subscribeClient.Dispose();
            _callClient.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private async Task<HttpResponseMessage> OpenSubscriptionAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await _subscribeClient
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw ConnectionError(Call.Types.Type.Subscribe, ex);
        }

        if (response.StatusCode == HttpStatusCode.OK)
        {
            return response;
        }

        using (response)
        {
            string text = await ReadErrorBodyAsync(response, cancellationToken).ConfigureAwait(false);
            throw StatusError(Call.Types.Type.Subscribe, response, text);
        }
    }

    private async ValueTask<Event> ReadEventAsync(RecordIOReader reader, AgentContentType eventType, CancellationToken cancellationToken)
    {
        byte[]? record;
        try
        {
            record = await reader.ReadRecordAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or ObjectDisposedException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw SubscriptionLost("the connection broke", ex);
        }

        if (record is null)
        {
            throw SubscriptionLost("the agent closed the stream", innerException: null);
        }

        Event @event;
        try
        {
            @event = MesosCodec.DecodeEvent(record, eventType);
        }
        catch (InvalidDataException ex)
        {
            // A well-framed record that is not an Event means the stream cannot be trusted either;
            // the reference client treats both as a broken connection (src/executor/executor.cpp).
            throw new RecordIOFormatException($"The agent sent a record that is not an Event: {ex.Message}", ex);
        }

        Log.AgentEventReceived(_logger, @event.Type, record.Length);
        return @event;
    }

    private HttpRequestMessage CreateRequest(Call call, out int bytes)
    {
        byte[] body = MesosCodec.EncodeCall(call, _options.ContentType);
        bytes = body.Length;

        // Exactly the media type, with no charset parameter: the agent compares the whole header
        // value and answers 415 to anything else (src/slave/http.cpp). Added as the constant text
        // it is: the same bytes on the wire as a parsed MediaTypeHeaderValue, without building
        // and validating header objects for every call.
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", _mediaType);

        var request = new HttpRequestMessage(HttpMethod.Post, _options.Endpoint)
        {
            Content = content,
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.TryAddWithoutValidation("Accept", _mediaType);
        if (_options.AuthenticationToken != null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.AuthenticationToken);
        }

        return request;
    }

    private AgentApiException StatusError(Call.Types.Type callType, HttpResponseMessage response, string text)
    {
        HttpStatusCode status = response.StatusCode;

        // 503 is the agent still recovering (src/slave/http.cpp); gateways in between answer
        // 502/504 while it restarts. 4xx are the executor's fault and will not heal by retrying.
        bool transient = status is HttpStatusCode.ServiceUnavailable or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout;
        var message = new StringBuilder()
            .Append("The agent at ").Append(_endpointText).Append(" answered ")
            .Append((int)status).Append(' ').Append(response.ReasonPhrase ?? status.ToString())
            .Append(" to the ").Append(CallName(callType)).Append(" call");
        if (text.Length > 0)
        {
            message.Append(": ").Append(text);
        }

        return new AgentApiException(message.ToString(), status, transient);
    }

    private AgentApiException ConnectionError(Call.Types.Type callType, Exception exception)
    {
        // A refused or reset connection heals when the agent is back; a certificate the executor
        // will not trust does not.
        bool transient = exception.InnerException is not AuthenticationException;
        return new($"Cannot reach the agent at {_endpointText} for the {CallName(callType)} call: {exception.Message}", statusCode: null, transient, innerException: exception);
    }

    private AgentApiException SubscriptionLost(string reason, Exception? innerException) =>
        new($"The subscription to the agent at {_endpointText} was lost: {reason}.", statusCode: null, isTransient: true, isSubscriptionLost: true, innerException);

    // The Mesos names (executor.proto), as operators know them from agent logs.
    private static string CallName(Call.Types.Type type) => type switch
    {
        Call.Types.Type.Subscribe => "SUBSCRIBE",
        Call.Types.Type.Update => "UPDATE",
        Call.Types.Type.Message => "MESSAGE",
        Call.Types.Type.Heartbeat => "HEARTBEAT",
        _ => "UNKNOWN",
    };

    private static AgentContentType? ResponseContentType(HttpResponseMessage response)
    {
        string? mediaType = response.Content.Headers.ContentType?.MediaType;
        if (string.Equals(mediaType, MesosCodec.MediaType(AgentContentType.Json), StringComparison.OrdinalIgnoreCase))
        {
            return AgentContentType.Json;
        }

        if (string.Equals(mediaType, MesosCodec.MediaType(AgentContentType.Protobuf), StringComparison.OrdinalIgnoreCase))
        {
            return AgentContentType.Protobuf;
        }

        return null;
    }

    private static async Task<string> ReadErrorBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            Stream stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                byte[] buffer = new byte[MaxErrorBodyBytes];
                int filled = 0;
                int read;
                while (filled < buffer.Length &&
                       (read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    filled += read;
                }

                return Encoding.UTF8.GetString(buffer, 0, filled).Trim();
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            // The status says enough; a body cut short is not worth failing differently for.
            return string.Empty;
        }
    }

    private static SocketsHttpHandler CreateHandler(AgentTransportOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            // An executor talks to its own agent: never through HTTP_PROXY and friends (which a
            // task's environment may well set), never redirected, no cookies or compression.
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = options.CallTimeout,
        };

        if (options.DomainSocket != null)
        {
            string path = ShortenDomainSocketPath(options.DomainSocket);
            handler.ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }
        else if (options.UseTls && !options.VerifyCertificate)
        {
            // libprocess verifies the agent's certificate only with LIBPROCESS_SSL_VERIFY_SERVER_CERT;
            // agents usually present internal or self-signed certificates.
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = static (_, _, _, _) => true,
            };
        }

        return handler;
    }

    private static string ShortenDomainSocketPath(string path)
    {
        // Like the reference client: a path too long for sockaddr_un is used relative to the
        // working directory instead.
        if (Encoding.UTF8.GetByteCount(path) <= MaxDomainSocketPathBytes)
        {
            return path;
        }

        string relative = "./" + Path.GetRelativePath(Environment.CurrentDirectory, path);
        return Encoding.UTF8.GetByteCount(relative) < Encoding.UTF8.GetByteCount(path) ? relative : path;
    }
}
