using System;
using System.Globalization;
using System.Text;
using Mesos.Executor.Core.RecordIO;

namespace Mesos.Executor.Core.Agent;

/// <summary>How <see cref="HttpAgentTransport"/> reaches the agent's executor API.</summary>
internal sealed record AgentTransportOptions
{
    /// <summary>The path of the executor API on the agent (docs/executor-http-api.md).</summary>
    public const string ExecutorApiPath = "/api/v1/executor";

    /// <summary>The default <see cref="CallTimeout"/>.</summary>
    public static readonly TimeSpan DefaultCallTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The executor API's URI, e.g. <c>http://10.0.0.1:5051/api/v1/executor</c>. With a
    /// <see cref="DomainSocket"/>, only its path and Host header are used.
    /// </summary>
    public required Uri Endpoint { get; init; }

    /// <summary>The encoding of calls and of the SUBSCRIBE stream.</summary>
    /// <value><see cref="AgentContentType.Protobuf"/>.</value>
    public AgentContentType ContentType { get; init; } = AgentContentType.Protobuf;

    /// <summary>The bearer token for <c>Authorization</c>, if the agent requires one. Never printed by <see cref="ToString"/>.</summary>
    public string? AuthenticationToken { get; init; }

    /// <summary>The Unix domain socket to connect to instead of <see cref="Endpoint"/>'s host and port.</summary>
    public string? DomainSocket { get; init; }

    /// <summary>Whether to verify the agent's TLS certificate when <see cref="Endpoint"/> is https.</summary>
    /// <value><see langword="false"/>, as libprocess (see <see cref="ExecutorEnvironment.VerifyCertificate"/>).</value>
    public bool VerifyCertificate { get; init; }

    /// <summary>The largest event accepted on the SUBSCRIBE stream, in bytes.</summary>
    /// <value><see cref="RecordIOReader.DefaultMaxRecordSize"/> (16 MiB).</value>
    public int MaxRecordSize { get; init; } = RecordIOReader.DefaultMaxRecordSize;

    /// <summary>How long a call other than SUBSCRIBE may take before it fails as transient.</summary>
    /// <value>10 seconds.</value>
    public TimeSpan CallTimeout { get; init; } = DefaultCallTimeout;

    /// <summary>Whether the endpoint is reached over TLS.</summary>
    public bool UseTls => string.Equals(Endpoint.Scheme, Uri.UriSchemeHttps, StringComparison.OrdinalIgnoreCase);

    /// <summary>Builds the options from the agent-provided environment.</summary>
    /// <param name="environment">The executor's environment.</param>
    /// <param name="contentType">The encoding to use.</param>
    /// <param name="maxRecordSize">The largest event accepted, in bytes.</param>
    /// <returns>The options.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="environment"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxRecordSize"/> is zero or negative.</exception>
    public static AgentTransportOptions From(ExecutorEnvironment environment, AgentContentType contentType, int maxRecordSize)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRecordSize);

        // Like the reference client (src/executor/executor.cpp): over a domain socket it speaks
        // plain HTTP ("http+unix"), otherwise https when libprocess SSL is enabled.
        bool tls = environment.UseTls && environment.DomainSocket == null;
        string authority = environment.DomainSocket != null ? "localhost" : BracketIPv6(environment.AgentEndpoint);
        var endpoint = new Uri(string.Create(
            CultureInfo.InvariantCulture,
            $"{(tls ? Uri.UriSchemeHttps : Uri.UriSchemeHttp)}://{authority}{ExecutorApiPath}"));

        return new AgentTransportOptions
        {
            Endpoint = endpoint,
            ContentType = contentType,
            AuthenticationToken = environment.AuthenticationToken,
            DomainSocket = environment.DomainSocket,
            VerifyCertificate = environment.VerifyCertificate,
            MaxRecordSize = maxRecordSize,
        };
    }

    private static string BracketIPv6(string endpoint)
    {
        // "::1:5051" (an unbracketed IPv6 address) becomes "[::1]:5051".
        int colon = endpoint.LastIndexOf(':');
        string host = colon < 0 ? endpoint : endpoint[..colon];
        return host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[')
            ? "[" + host + "]" + endpoint[colon..]
            : endpoint;
    }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Endpoint = ").Append(Endpoint)
            .Append(", ContentType = ").Append(ContentType)
            .Append(", AuthenticationToken = ").Append(AuthenticationToken == null ? "(none)" : "(redacted)")
            .Append(", DomainSocket = ").Append(DomainSocket)
            .Append(", VerifyCertificate = ").Append(VerifyCertificate)
            .Append(", MaxRecordSize = ").Append(MaxRecordSize)
            .Append(", CallTimeout = ").Append(CallTimeout);
        return true;
    }
}
