using System;
using System.Globalization;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text;
using Google.Protobuf;
using Mesos.V1.Executor;

namespace Mesos.Executor.Core.Agent;

/// <summary>
/// Encodes and decodes the executor API's <see cref="Call"/> and <see cref="Event"/> messages in
/// either content type the agent speaks.
/// </summary>
/// <remarks>
/// <para>
/// Protobuf uses the generated binary serializer only; it never touches protobuf descriptors or
/// reflection. JSON follows Mesos's mapping: proto field names (<c>executor_id</c>, not
/// <c>executorId</c>), enums as names (<c>TASK_RUNNING</c>), bytes in base64; unknown fields and
/// unknown enum names are ignored when decoding, so a newer agent never breaks an older executor.
/// The JSON formatter and parser (which use descriptors) are created on first use of the JSON
/// path only.
/// </para>
/// <para>
/// Every decode failure throws <see cref="InvalidDataException"/> whose message names the
/// message type and content type and whose <see cref="Exception.InnerException"/> is the parser's
/// own exception.
/// </para>
/// <para>
/// Internal (issue 12): an executor never needs it, the transport encodes and decodes. The fake
/// agent of Mesos.Executor.Testing compiles this file in as its own internal copy (see that
/// project file), so both sides of the tests speak through the same code.
/// </para>
/// </remarks>
internal static class MesosCodec
{
    private const string ProtobufMediaType = "application/x-protobuf";
    private const string JsonMediaType = "application/json";

    /// <summary>The media type for <paramref name="contentType"/>, without parameters: <c>application/x-protobuf</c> or <c>application/json</c>.</summary>
    /// <param name="contentType">The content type.</param>
    /// <returns>The media type, for <c>Content-Type</c> and <c>Accept</c> headers.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="contentType"/> is not a defined value.</exception>
    public static string MediaType(AgentContentType contentType) => contentType switch
    {
        AgentContentType.Protobuf => ProtobufMediaType,
        AgentContentType.Json => JsonMediaType,
        _ => throw UnknownContentType(contentType),
    };

    /// <summary>Encodes a call for the request body.</summary>
    /// <param name="call">The call.</param>
    /// <param name="contentType">The encoding.</param>
    /// <returns>The encoded call.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="call"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="contentType"/> is not a defined value.</exception>
    public static byte[] EncodeCall(Call call, AgentContentType contentType)
    {
        ArgumentNullException.ThrowIfNull(call);
        return Encode(call, contentType);
    }

    /// <summary>Decodes a call (what a fake agent receives).</summary>
    /// <param name="data">The encoded call.</param>
    /// <param name="contentType">The encoding.</param>
    /// <returns>The call.</returns>
    /// <exception cref="InvalidDataException"><paramref name="data"/> is not a valid call in that encoding; the inner exception is the parser's.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="contentType"/> is not a defined value.</exception>
    public static Call DecodeCall(ReadOnlySpan<byte> data, AgentContentType contentType) => contentType switch
    {
        AgentContentType.Protobuf => ParseBinary(Call.Parser, data, nameof(Call)),
        AgentContentType.Json => JsonCodec.Parse<Call>(data, nameof(Call)),
        _ => throw UnknownContentType(contentType),
    };

    /// <summary>Encodes an event (what a fake agent sends).</summary>
    /// <param name="event">The event.</param>
    /// <param name="contentType">The encoding.</param>
    /// <returns>The encoded event, without RecordIO framing.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="event"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="contentType"/> is not a defined value.</exception>
    public static byte[] EncodeEvent(Event @event, AgentContentType contentType)
    {
        ArgumentNullException.ThrowIfNull(@event);
        return Encode(@event, contentType);
    }

    /// <summary>Decodes one event, such as a RecordIO record of the SUBSCRIBE stream.</summary>
    /// <param name="data">The encoded event.</param>
    /// <param name="contentType">The encoding.</param>
    /// <returns>The event. An event type this version does not know decodes without error (unset in JSON, its number in protobuf).</returns>
    /// <exception cref="InvalidDataException"><paramref name="data"/> is not a valid event in that encoding; the inner exception is the parser's.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="contentType"/> is not a defined value.</exception>
    public static Event DecodeEvent(ReadOnlySpan<byte> data, AgentContentType contentType) => contentType switch
    {
        AgentContentType.Protobuf => ParseBinary(Event.Parser, data, nameof(Event)),
        AgentContentType.Json => JsonCodec.Parse<Event>(data, nameof(Event)),
        _ => throw UnknownContentType(contentType),
    };

    private static byte[] Encode(IMessage message, AgentContentType contentType) => contentType switch
    {
        AgentContentType.Protobuf => EncodeBinary(message),
        AgentContentType.Json => JsonCodec.Format(message),
        _ => throw UnknownContentType(contentType),
    };

    // The same bytes as IMessage.ToByteArray, written through a span: no CodedOutputStream per
    // message and no zeroing of an array that is overwritten anyway.
    private static byte[] EncodeBinary(IMessage message)
    {
        byte[] bytes = GC.AllocateUninitializedArray<byte>(message.CalculateSize());
        message.WriteTo(bytes.AsSpan());
        return bytes;
    }

    private static T ParseBinary<T>(MessageParser<T> parser, ReadOnlySpan<byte> data, string typeName)
        where T : IMessage<T>
    {
        try
        {
            return parser.ParseFrom(data);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw DecodeFailed(AgentContentType.Protobuf, typeName, data.Length, ex);
        }
    }

    private static InvalidDataException DecodeFailed(AgentContentType contentType, string typeName, int length, Exception inner) =>
        new(string.Create(
            CultureInfo.InvariantCulture,
            $"Cannot decode a {length}-byte {MediaType(contentType)} body as mesos.v1.executor.{typeName}: {inner.Message}"),
            inner);

    private static ArgumentOutOfRangeException UnknownContentType(AgentContentType contentType) =>
        new(nameof(contentType), contentType, "Unknown agent content type.");

    // Holds the JSON formatter and parser. A nested type so they are created only when the JSON
    // path first runs: the protobuf path never initializes them nor the descriptors they use.
    private static class JsonCodec
    {
        private static readonly JsonFormatter s_formatter =
            new(JsonFormatter.Settings.Default.WithPreserveProtoFieldNames(true));

        private static readonly JsonParser s_parser =
            new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

        private static ReadOnlySpan<byte> Utf8ByteOrderMark => [0xEF, 0xBB, 0xBF];

        // Mesos requires UTF-8 for JSON strings; reject malformed input rather than replace it.
        private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static byte[] Format(IMessage message) => s_strictUtf8.GetBytes(s_formatter.Format(message));

        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static T Parse<T>(ReadOnlySpan<byte> data, string typeName)
            where T : IMessage<T>, new()
        {
            // Tolerate a UTF-8 byte order mark, which the JSON parser would reject as a token.
            if (data.StartsWith(Utf8ByteOrderMark))
            {
                data = data[Utf8ByteOrderMark.Length..];
            }

            try
            {
                return s_parser.Parse<T>(s_strictUtf8.GetString(data));
            }
            catch (Exception ex) when (ex is InvalidProtocolBufferException or InvalidJsonException or DecoderFallbackException or FormatException)
            {
                throw DecodeFailed(AgentContentType.Json, typeName, data.Length, ex);
            }
        }
    }
}
