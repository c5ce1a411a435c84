using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Google.Protobuf;
using Mesos.Executor.Core;
using Mesos.Executor.Core.Agent;
using Mesos.Executor.Core.RecordIO;
using Mesos.V1;
using Mesos.V1.Executor;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Executor.Testing.Tests;

/// <summary>
/// A bare HTTP client for the fake agent's endpoint, independent of the SDK's transport, so these
/// tests check the fake agent on its own: every header is set by hand.
/// </summary>
internal sealed class RawExecutorClient : IDisposable
{
    private readonly HttpClient _client;
    private readonly Uri _uri;

    public RawExecutorClient(FakeAgent agent, bool useUnixSocket = false)
    {
        var handler = new SocketsHttpHandler { UseProxy = false };
        if (useUnixSocket)
        {
            string path = agent.UnixSocketPath!;
            handler.ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            };
            _uri = new Uri("http://localhost/api/v1/executor");
        }
        else
        {
            _uri = agent.ExecutorApiUri;
        }

        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        FrameworkId = agent.Options.FrameworkId;
        ExecutorId = agent.Options.ExecutorId;
    }

    public string FrameworkId { get; }

    public string ExecutorId { get; }

    public Uri Uri => _uri;

    public static ByteString NewUuid() => ByteString.CopyFrom(Guid.NewGuid().ToByteArray(bigEndian: true));

    public Call SubscribeCall(params Call.Types.Update[] unacknowledgedUpdates)
    {
        var call = NewCall(Call.Types.Type.Subscribe);
        call.Subscribe = new Call.Types.Subscribe();
        call.Subscribe.UnacknowledgedUpdates.Add(unacknowledgedUpdates);
        return call;
    }

    public Call UpdateCall(TaskStatus status)
    {
        var call = NewCall(Call.Types.Type.Update);
        call.Update = new Call.Types.Update { Status = status };
        return call;
    }

    public Call NewCall(Call.Types.Type type) => new()
    {
        Type = type,
        FrameworkId = new FrameworkID { Value = FrameworkId },
        ExecutorId = new ExecutorID { Value = ExecutorId },
    };

    public TaskStatus Status(string taskId, TaskState state) => new()
    {
        TaskId = new TaskID { Value = taskId },
        State = state,
        Source = TaskStatus.Types.Source.Executor,
        Uuid = NewUuid(),
        ExecutorId = new ExecutorID { Value = ExecutorId },
    };

    /// <summary>Posts a call with exactly the given headers; returns the status and the text body.</summary>
    public async Task<(HttpStatusCode Status, string Text, HttpResponseMessage Response)> PostAsync(
        Call call,
        CancellationToken cancellationToken,
        AgentContentType contentType = AgentContentType.Protobuf,
        string? contentTypeHeader = null,
        string? accept = null,
        string? authorization = null,
        HttpMethod? method = null,
        Uri? uri = null)
    {
        using HttpRequestMessage request = CreateRequest(call, contentType, contentTypeHeader, accept, authorization, method, uri);
        HttpResponseMessage response = await _client.SendAsync(request, cancellationToken);
        string text = await response.Content.ReadAsStringAsync(cancellationToken);
        return (response.StatusCode, text, response);
    }

    /// <summary>Sends SUBSCRIBE and returns the open response (headers read, body streaming).</summary>
    public async Task<HttpResponseMessage> OpenSubscribeAsync(Call call, CancellationToken cancellationToken, AgentContentType contentType = AgentContentType.Protobuf, string? accept = "application/x-protobuf")
    {
        using HttpRequestMessage request = CreateRequest(call, contentType, null, accept, null, null, null);
        return await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    /// <summary>Subscribes and returns a reader of the event stream.</summary>
    public async Task<EventStream> SubscribeAsync(Call call, CancellationToken cancellationToken, string? accept = "application/x-protobuf")
    {
        HttpResponseMessage response = await OpenSubscribeAsync(call, cancellationToken, accept: accept);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"SUBSCRIBE answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        Stream body = await response.Content.ReadAsStreamAsync(cancellationToken);
        AgentContentType type = response.Content.Headers.ContentType?.MediaType == "application/json" ? AgentContentType.Json : AgentContentType.Protobuf;
        return new EventStream(response, new RecordIOReader(body), type);
    }

    public void Dispose() => _client.Dispose();

    private HttpRequestMessage CreateRequest(Call call, AgentContentType contentType, string? contentTypeHeader, string? accept, string? authorization, HttpMethod? method, Uri? uri)
    {
        var content = new ByteArrayContent(MesosCodec.EncodeCall(call, contentType));
        content.Headers.TryAddWithoutValidation("Content-Type", contentTypeHeader ?? MesosCodec.MediaType(contentType));
        var request = new HttpRequestMessage(method ?? HttpMethod.Post, uri ?? _uri) { Content = content };
        if (accept != null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        if (authorization != null)
        {
            request.Headers.Authorization = AuthenticationHeaderValue.Parse(authorization);
        }

        return request;
    }

    internal sealed class EventStream : IAsyncDisposable
    {
        private readonly HttpResponseMessage _response;
        private readonly RecordIOReader _reader;

        public EventStream(HttpResponseMessage response, RecordIOReader reader, AgentContentType contentType)
        {
            _response = response;
            _reader = reader;
            ContentType = contentType;
        }

        public AgentContentType ContentType { get; }

        public HttpResponseMessage Response => _response;

        /// <summary>The next event, or null at the end of the stream.</summary>
        public async Task<Event?> ReadAsync(CancellationToken cancellationToken)
        {
            byte[]? record = await _reader.ReadRecordAsync(cancellationToken);
            return record == null ? null : MesosCodec.DecodeEvent(record, ContentType);
        }

        public async Task<List<Event>> ReadAsync(int count, CancellationToken cancellationToken)
        {
            var events = new List<Event>();
            for (int i = 0; i < count; i++)
            {
                Event? next = await ReadAsync(cancellationToken);
                if (next == null)
                {
                    break;
                }

                events.Add(next);
            }

            return events;
        }

        public async ValueTask DisposeAsync()
        {
            await _reader.DisposeAsync();
            _response.Dispose();
        }
    }
}
