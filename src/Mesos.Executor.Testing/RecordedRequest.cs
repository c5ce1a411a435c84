using System;
using System.Collections.Generic;
using System.Net;
using Mesos.Executor.Core;
using Mesos.V1.Executor;

namespace Mesos.Executor.Testing;

/// <summary>One HTTP request the <see cref="FakeAgent"/> received, and how it answered.</summary>
public sealed record RecordedRequest
{
    /// <summary>When the request arrived, by the agent's <see cref="FakeAgentOptions.TimeProvider"/>.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>The HTTP method.</summary>
    public required string Method { get; init; }

    /// <summary>The request target (path and query, as sent).</summary>
    public required string Path { get; init; }

    /// <summary>
    /// The headers with their values as received. Names and order are the HTTP server's
    /// (Kestrel's): well-known headers come first, in its own order, with their usual spelling.
    /// </summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; }

    /// <summary>The request body.</summary>
    public required ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>The decoded call, or <see langword="null"/> when the request was rejected before decoding or could not be decoded.</summary>
    public Call? Call { get; init; }

    /// <summary>The encoding of the call, when its Content-Type was one the agent speaks.</summary>
    public AgentContentType? ContentType { get; init; }

    /// <summary>The status the agent answered.</summary>
    public required HttpStatusCode StatusCode { get; init; }

    /// <summary>The text body of an error answer; empty for 200 and 202.</summary>
    public string ResponseText { get; init; } = string.Empty;

    /// <summary>Whether the agent accepted the call (200 for SUBSCRIBE, 202 for others).</summary>
    public bool IsAccepted => StatusCode is HttpStatusCode.OK or HttpStatusCode.Accepted;

    /// <summary>The first value of a header, names compared case-insensitively, or <see langword="null"/> when absent.</summary>
    /// <param name="name">The header name.</param>
    /// <returns>The raw value.</returns>
    public string? GetHeader(string name)
    {
        foreach (KeyValuePair<string, string> header in Headers)
        {
            if (string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return header.Value;
            }
        }

        return null;
    }
}
