using System;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet;
using Microsoft.Extensions.Logging;

namespace Mesos.Executor.Docker.Internal;

/// <summary>
/// The connection to one Docker engine: a Docker.DotNet client for the typed API, and a plain
/// <see cref="HttpClient"/> over the same socket for what needs the raw bytes (the inspect JSON
/// sent as TASK_RUNNING's data, log streams). Negotiates the API version on first use.
/// </summary>
internal sealed class DockerEngine : IDisposable
{
    /// <summary>The newest API version the client library's models describe (Docker 29.4).</summary>
    internal static readonly Version MaxApiVersion = new(1, 54);

    private readonly Uri _endpoint;
    private readonly ILogger _logger;
    private readonly HttpClient _http;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile DockerClient? _client;
    private string _pathPrefix = string.Empty;
    private Version? _apiVersion;

    public DockerEngine(Uri endpoint, string? apiVersion, ILogger logger)
    {
        _endpoint = endpoint;
        _logger = logger;
        _apiVersion = apiVersion is null ? null : Version.Parse(apiVersion);
        _http = CreateHttpClient(endpoint);
    }

    public Uri Endpoint => _endpoint;

    /// <summary>The typed client, created (and the version negotiated) on first use.</summary>
    /// <exception cref="HttpRequestException">The engine cannot be reached to negotiate the version.</exception>
    public async ValueTask<IDockerClient> ClientAsync(CancellationToken cancellationToken)
    {
        var client = _client;
        if (client != null)
        {
            return client;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_client != null)
            {
                return _client;
            }

            if (_apiVersion is null)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/_ping");
                using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                Version? server = response.Headers.TryGetValues("API-Version", out var values)
                    && Version.TryParse(values.FirstOrDefault(), out var parsed) ? parsed : null;
                _apiVersion = server is null ? MaxApiVersion : (server < MaxApiVersion ? server : MaxApiVersion);
                Log.ApiVersionNegotiated(_logger, _endpoint.ToString(), server?.ToString() ?? "unknown", _apiVersion.ToString());
            }

            _pathPrefix = "/v" + _apiVersion.ToString(2);

            // No library-wide timeout: long calls (wait, pull) have none, short ones get their own.
            _client = new DockerClientBuilder()
                .WithEndpoint(_endpoint)
                .WithApiVersion(_apiVersion)
                .WithTimeout(Timeout.InfiniteTimeSpan)
                .Build();
            return _client;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary><c>GET /containers/{id}/json</c>: the raw inspect JSON.</summary>
    /// <returns>The body, or <see langword="null"/> when the container does not exist.</returns>
    /// <exception cref="DockerRequestException">The engine answered with another error.</exception>
    public async Task<byte[]?> InspectContainerJsonAsync(string id, CancellationToken cancellationToken)
    {
        await ClientAsync(cancellationToken).ConfigureAwait(false);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{_pathPrefix}/containers/{Uri.EscapeDataString(id)}/json");
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new DockerRequestException(response.StatusCode, ErrorMessage(body));
        }

        return body;
    }

    /// <summary>
    /// <c>GET /containers/{id}/logs?follow=1</c>: the open response (headers read), or
    /// <see langword="null"/> when the container does not exist.
    /// </summary>
    /// <exception cref="DockerRequestException">The engine refused (e.g. a log driver it cannot read).</exception>
    public async Task<HttpResponseMessage?> FollowLogsAsync(string id, bool timestamps, string? since, CancellationToken cancellationToken)
    {
        await ClientAsync(cancellationToken).ConfigureAwait(false);
        string query = "follow=1&stdout=1&stderr=1" + (timestamps ? "&timestamps=1" : string.Empty)
            + (since is null ? string.Empty : "&since=" + Uri.EscapeDataString(since));
        var request = new HttpRequestMessage(HttpMethod.Get, $"{_pathPrefix}/containers/{Uri.EscapeDataString(id)}/logs?{query}");
        HttpResponseMessage? response = null;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                response.Dispose();
                return null;
            }

            if (!response.IsSuccessStatusCode)
            {
                byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                var error = new DockerRequestException(response.StatusCode, ErrorMessage(body));
                response.Dispose();
                throw error;
            }

            return response;
        }
        catch
        {
            response?.Dispose();
            throw;
        }
        finally
        {
            request.Dispose();
        }
    }

    public void Dispose()
    {
        _client?.Dispose();
        _http.Dispose();
        _gate.Dispose();
    }

    /// <summary>The <c>message</c> of an engine error body, else the body itself.</summary>
    internal static string ErrorMessage(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("message", out var message)
                && message.ValueKind == JsonValueKind.String)
            {
                return message.GetString()!;
            }
        }
        catch (JsonException)
        {
        }

        return System.Text.Encoding.UTF8.GetString(body).Trim();
    }

    /// <summary>The <c>message</c> of an engine error body given as text (Docker.DotNet's <c>ResponseBody</c>).</summary>
    internal static string ErrorMessage(string? body) =>
        string.IsNullOrEmpty(body) ? "(no message)" : ErrorMessage(System.Text.Encoding.UTF8.GetBytes(body));

    private static HttpClient CreateHttpClient(Uri endpoint)
    {
        var handler = new SocketsHttpHandler
        {
            // A daemon restart must not leave us on a dead pooled connection for long.
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        };
        Uri baseAddress;
        if (string.Equals(endpoint.Scheme, "unix", StringComparison.OrdinalIgnoreCase))
        {
            string socketPath = endpoint.LocalPath;
            handler.ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
            baseAddress = new Uri("http://docker/");
        }
        else
        {
            baseAddress = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{endpoint.Host}:{endpoint.Port}/"));
        }

        return new HttpClient(handler, disposeHandler: true)
        {
            BaseAddress = baseAddress,
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }
}
