using System;
using System.Buffers;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using System.IO;
using System.Net.Http.Headers;
using System.Text.Json.Serialization.Metadata;
using Mesos.Executor.Docker.Internal.Engine;
using Microsoft.Extensions.Logging;

namespace Mesos.Executor.Docker.Internal;

/// <summary>
/// The connection to one Docker engine: a small Engine API client over one <see cref="HttpClient"/>
/// (Unix socket or TCP) for exactly the calls the containerizer makes. Negotiates the API version
/// on first use. Every error answer becomes a <see cref="DockerRequestException"/> carrying the
/// status code and the engine's message. Speaks to Podman's Docker-compatible API too: the
/// differences in its answers are evened out here (<see cref="PodmanCompatibility"/>).
/// </summary>
internal sealed class DockerEngine : IDisposable
{
    /// <summary>The newest API version whose fields the request models use (Docker 29.4).</summary>
    internal static readonly Version MaxApiVersion = new(1, 54);

    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json");

    private readonly Uri _endpoint;
    private readonly ILogger _logger;
    private readonly HttpClient _http;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile string? _pathPrefix;
    private volatile bool _isPodman;
    private Version? _apiVersion;

    public DockerEngine(Uri endpoint, string? apiVersion, ILogger logger)
    {
        _endpoint = endpoint;
        _logger = logger;
        _apiVersion = apiVersion is null ? null : Version.Parse(apiVersion);
        _http = CreateHttpClient(endpoint);
    }

    public Uri Endpoint => _endpoint;

    /// <summary>Whether the engine is Podman (known after the first call).</summary>
    public bool IsPodman => _isPodman;

    /// <summary><c>POST /containers/create?name=</c>.</summary>
    public async Task<CreateContainerResponse> CreateContainerAsync(CreateContainerParameters parameters, CancellationToken cancellationToken)
    {
        await PathPrefixAsync(cancellationToken).ConfigureAwait(false);
        if (_isPodman)
        {
            PodmanCompatibility.AdaptCreate(parameters);
            foreach (var volume in PodmanCompatibility.VolumesToCreate(parameters))
            {
                using var created = await SendAsync(
                    HttpMethod.Post, "/volumes/create", Json(volume, EngineRequestJsonContext.Write), cancellationToken).ConfigureAwait(false);
                await EnsureSuccessAsync(created, cancellationToken).ConfigureAwait(false);
            }
        }

        string query = parameters.Name is { Length: > 0 } name ? "?name=" + Uri.EscapeDataString(name) : string.Empty;
        using var response = await SendAsync(
            HttpMethod.Post, "/containers/create" + query, Json(parameters, EngineRequestJsonContext.Write), cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, EngineAnswers.CreateContainer, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>POST /containers/{id}/start</c>; an already running container is fine.</summary>
    public async Task StartContainerAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, $"/containers/{Escape(id)}/start", null, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>POST /containers/{id}/wait</c>: blocks until the container is not running.</summary>
    public async Task<ContainerWaitResponse> WaitContainerAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, $"/containers/{Escape(id)}/wait", null, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, EngineAnswers.Wait, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>POST /containers/{id}/kill?signal=</c>.</summary>
    public async Task KillContainerAsync(string id, string signal, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(
            HttpMethod.Post, $"/containers/{Escape(id)}/kill?signal={Escape(signal)}", null, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>DELETE /containers/{id}?force=1&amp;v=1</c>: force-removes the container with its anonymous volumes.</summary>
    public async Task RemoveContainerAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Delete, $"/containers/{Escape(id)}?force=1&v=1", null, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>POST /containers/{id}/exec</c>: the new exec instance's id.</summary>
    public async Task<string> CreateExecAsync(string id, ContainerExecCreateParameters parameters, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(
            HttpMethod.Post, $"/containers/{Escape(id)}/exec", Json(parameters, EngineRequestJsonContext.Write), cancellationToken).ConfigureAwait(false);
        var created = await ReadAsync(response, EngineAnswers.ExecCreate, cancellationToken).ConfigureAwait(false);
        return created.ID;
    }

    /// <summary>
    /// <c>POST /exec/{id}/start</c>, attached: the open response whose body is the command's output
    /// and ends when the command does. The caller disposes it.
    /// </summary>
    public async Task<HttpResponseMessage> StartExecAsync(string execId, CancellationToken cancellationToken)
    {
        var response = await SendAsync(
            HttpMethod.Post,
            $"/exec/{Escape(execId)}/start",
            Json(new ContainerExecStartParameters(), EngineRequestJsonContext.Write),
            cancellationToken,
            HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        try
        {
            await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary><c>GET /exec/{id}/json</c>.</summary>
    public async Task<ContainerExecInspectResponse> InspectExecAsync(string execId, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, $"/exec/{Escape(execId)}/json", null, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, EngineAnswers.ExecInspect, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>GET /images/{name}/json</c>: whether the engine has the image.</summary>
    public async Task<bool> ImageExistsAsync(string image, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, $"/images/{Escape(image)}/json", null, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// <c>POST /images/create?fromImage=</c>: pulls <paramref name="reference"/>, handing each
    /// progress message to <paramref name="progress"/> as it arrives. An error the engine reports
    /// inside the stream arrives as a message too. <paramref name="registryAuth"/> is the
    /// <c>X-Registry-Auth</c> header (the engine keeps no credentials of its own); it is never logged.
    /// </summary>
    public async Task PullImageAsync(string reference, string? registryAuth, IProgress<JSONMessage> progress, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(
            HttpMethod.Post,
            "/images/create?fromImage=" + Uri.EscapeDataString(reference),
            null,
            cancellationToken,
            HttpCompletionOption.ResponseHeadersRead,
            registryAuth is null ? null : ("X-Registry-Auth", registryAuth)).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        using Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await foreach (JSONMessage? message in JsonSerializer.DeserializeAsyncEnumerable(
            body, EngineJsonContext.Default.JSONMessage, topLevelValues: true, cancellationToken).ConfigureAwait(false))
        {
            if (message != null)
            {
                progress.Report(message);
            }
        }
    }

    /// <summary><c>GET /containers/{id}/json</c>: the raw inspect JSON.</summary>
    /// <returns>The body, or <see langword="null"/> when the container does not exist.</returns>
    /// <exception cref="DockerRequestException">The engine answered with another error.</exception>
    public async Task<byte[]?> InspectContainerJsonAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, $"/containers/{Escape(id)}/json", null, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new DockerRequestException(PodmanCompatibility.DockerStatus(response.StatusCode, body), ErrorMessage(body));
        }

        return body;
    }

    /// <summary>
    /// <c>GET /containers/{id}/logs?follow=1</c> (or, with <paramref name="follow"/> false, what is
    /// logged so far): the open response (headers read), or <see langword="null"/> when the
    /// container does not exist.
    /// </summary>
    /// <exception cref="DockerRequestException">The engine refused (e.g. a log driver it cannot read).</exception>
    public async Task<HttpResponseMessage?> FollowLogsAsync(string id, bool timestamps, string? since, CancellationToken cancellationToken, bool follow = true)
    {
        string prefix = await PathPrefixAsync(cancellationToken).ConfigureAwait(false);
        string query = (follow ? "follow=1&" : string.Empty) + "stdout=1&stderr=1" + (timestamps ? "&timestamps=1" : string.Empty)
            + (since is null ? string.Empty : "&since=" + Uri.EscapeDataString(since));
        var request = new HttpRequestMessage(HttpMethod.Get, $"{prefix}/containers/{Escape(id)}/logs?{query}");
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
                var error = new DockerRequestException(PodmanCompatibility.DockerStatus(response.StatusCode, body), ErrorMessage(body));
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
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a message with an escaped lone surrogate ("\ud800"),
            // which JsonDocument accepts and only GetString refuses. The body as text, then.
        }

        return System.Text.Encoding.UTF8.GetString(body).Trim();
    }

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    /// <summary>A JSON body written by <paramref name="write"/> (<see cref="EngineRequestJsonContext"/>'s writers).</summary>
    internal static ByteArrayContent Json<T>(T value, Action<Utf8JsonWriter, T> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer, value);
        }

        var content = new ByteArrayContent(buffer.WrittenSpan.ToArray());
        content.Headers.ContentType = JsonMediaType;
        return content;
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, EngineAnswerReader<T> read, CancellationToken cancellationToken)
    {
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return read(body);
    }

    /// <summary>Throws <see cref="DockerRequestException"/> for an error answer (304 Not Modified is success).</summary>
    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotModified)
        {
            return;
        }

        byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        throw new DockerRequestException(
            PodmanCompatibility.DockerStatus(response.StatusCode, body), body.Length == 0 ? "(no message)" : ErrorMessage(body));
    }

    private async Task<HttpResponseMessage> SendAsync(
        HttpMethod method,
        string path,
        HttpContent? content,
        CancellationToken cancellationToken,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead,
        (string Name, string Value)? header = null)
    {
        string prefix = await PathPrefixAsync(cancellationToken).ConfigureAwait(false);
        using var request = new HttpRequestMessage(method, prefix + path) { Content = content };
        if (header is var (name, value))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await _http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The <c>/v1.xx</c> prefix. On first use <c>GET /_ping</c> tells which engine answers and, unless
    /// configured, negotiates the API version (Podman 4.3 answers <c>API-Version: 1.41</c>).
    /// </summary>
    /// <exception cref="HttpRequestException">The engine cannot be reached to negotiate the version.</exception>
    private async ValueTask<string> PathPrefixAsync(CancellationToken cancellationToken)
    {
        if (_pathPrefix is { } known)
        {
            return known;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_pathPrefix is { } raced)
            {
                return raced;
            }

            using var request = new HttpRequestMessage(HttpMethod.Get, "/_ping");
            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            _isPodman = PodmanCompatibility.IsPodman(response);
            if (_isPodman)
            {
                Log.EngineIsPodman(_logger, _endpoint.ToString());
            }

            if (_apiVersion is null)
            {
                Version? server = response.Headers.TryGetValues("API-Version", out var values)
                    && Version.TryParse(values.FirstOrDefault(), out var parsed) ? parsed : null;
                _apiVersion = server is null ? MaxApiVersion : (server < MaxApiVersion ? server : MaxApiVersion);
                Log.ApiVersionNegotiated(_logger, _endpoint.ToString(), server?.ToString() ?? "unknown", _apiVersion.ToString());
            }

            _pathPrefix = "/v" + _apiVersion.ToString(2);
            return _pathPrefix;
        }
        finally
        {
            _gate.Release();
        }
    }

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

/// <summary>Reads one of the engine's answers (<see cref="EngineAnswers"/>).</summary>
/// <typeparam name="T">The answer.</typeparam>
/// <param name="json">The body.</param>
/// <returns>The answer.</returns>
internal delegate T EngineAnswerReader<out T>(ReadOnlySpan<byte> json);
