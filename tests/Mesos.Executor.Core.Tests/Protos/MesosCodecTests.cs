using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Google.Protobuf;
using Mesos.Executor.Core.Agent;
using Mesos.V1.Executor;
using NUnit.Framework;

namespace Mesos.Executor.Core.Tests.Protos;

[TestFixture]
public sealed class MesosCodecTests
{
    private static readonly AgentContentType[] s_contentTypes = [AgentContentType.Protobuf, AgentContentType.Json];

    public static IEnumerable<TestCaseData> EventsByContentType() =>
        from contentType in s_contentTypes
        from sample in ProtoSamples.AllEvents()
        select new TestCaseData(sample.Event, contentType).SetArgDisplayNames(sample.Name, contentType.ToString());

    public static IEnumerable<TestCaseData> CallsByContentType() =>
        from contentType in s_contentTypes
        from sample in ProtoSamples.AllCalls()
        select new TestCaseData(sample.Call, contentType).SetArgDisplayNames(sample.Name, contentType.ToString());

    [TestCase(AgentContentType.Protobuf, "application/x-protobuf")]
    [TestCase(AgentContentType.Json, "application/json")]
    public void MediaType_ContentType_IsExactMediaType(AgentContentType contentType, string expected)
    {
        Assert.That(MesosCodec.MediaType(contentType), Is.EqualTo(expected));
    }

    [Test]
    public void MediaType_UndefinedValue_Throws()
    {
        Assert.That(() => MesosCodec.MediaType((AgentContentType)7), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => MesosCodec.EncodeCall(new Call(), (AgentContentType)7), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => MesosCodec.DecodeEvent([8, 1], (AgentContentType)7), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void AgentContentType_Default_IsProtobuf()
    {
        Assert.That(default(AgentContentType), Is.EqualTo(AgentContentType.Protobuf));
    }

    [TestCaseSource(nameof(EventsByContentType))]
    public void EncodeEvent_ThenDecode_RoundTrips(Event original, AgentContentType contentType)
    {
        byte[] encoded = MesosCodec.EncodeEvent(original, contentType);

        Event decoded = MesosCodec.DecodeEvent(encoded, contentType);

        Assert.That(decoded, Is.EqualTo(original));
    }

    [TestCaseSource(nameof(CallsByContentType))]
    public void EncodeCall_ThenDecode_RoundTrips(Call original, AgentContentType contentType)
    {
        byte[] encoded = MesosCodec.EncodeCall(original, contentType);

        Call decoded = MesosCodec.DecodeCall(encoded, contentType);

        Assert.That(decoded, Is.EqualTo(original));
    }

    [Test]
    public void EncodeCall_Protobuf_IsTheBinaryEncoding()
    {
        Call call = ProtoSamples.AllCalls().First().Call;

        Assert.That(MesosCodec.EncodeCall(call, AgentContentType.Protobuf), Is.EqualTo(call.ToByteArray()));
    }

    [Test]
    public void Encode_Null_Throws()
    {
        Assert.That(() => MesosCodec.EncodeCall(null!, AgentContentType.Protobuf), Throws.ArgumentNullException);
        Assert.That(() => MesosCodec.EncodeEvent(null!, AgentContentType.Json), Throws.ArgumentNullException);
    }

    [TestCase(new byte[] { 0x0a, 0x05, 0x01 }, TestName = "DecodeEvent_TruncatedProtobuf_ThrowsInvalidData")]
    [TestCase(new byte[] { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }, TestName = "DecodeEvent_MalformedVarintProtobuf_ThrowsInvalidData")]
    [TestCase(new byte[] { 0x0f }, TestName = "DecodeEvent_InvalidWireTypeProtobuf_ThrowsInvalidData")]
    public void DecodeEvent_GarbageProtobuf_ThrowsInvalidDataWithParserCause(byte[] garbage)
    {
        InvalidDataException? ex = Assert.Throws<InvalidDataException>(() => MesosCodec.DecodeEvent(garbage, AgentContentType.Protobuf));

        Assert.That(ex!.InnerException, Is.InstanceOf<InvalidProtocolBufferException>());
        Assert.That(ex.Message, Does.StartWith($"Cannot decode a {garbage.Length}-byte application/x-protobuf body as mesos.v1.executor.Event: "));
    }

    [Test]
    public void DecodeCall_GarbageProtobuf_ThrowsInvalidDataNamingCall()
    {
        InvalidDataException? ex = Assert.Throws<InvalidDataException>(() => MesosCodec.DecodeCall([0x12, 0x7f], AgentContentType.Protobuf));

        Assert.That(ex!.Message, Does.Contain("mesos.v1.executor.Call"));
        Assert.That(ex.InnerException, Is.InstanceOf<InvalidProtocolBufferException>());
    }

    [TestCase("not json at all", TestName = "DecodeEvent_NotJson_ThrowsInvalidData")]
    [TestCase("{\"type\":", TestName = "DecodeEvent_TruncatedJson_ThrowsInvalidData")]
    [TestCase("[1,2,3]", TestName = "DecodeEvent_JsonArray_ThrowsInvalidData")]
    [TestCase("{\"type\":42.5}", TestName = "DecodeEvent_WrongJsonType_ThrowsInvalidData")]
    [TestCase("{\"message\":{\"data\":\"***\"}}", TestName = "DecodeEvent_InvalidBase64_ThrowsInvalidData")]
    [TestCase("", TestName = "DecodeEvent_EmptyJson_ThrowsInvalidData")]
    public void DecodeEvent_GarbageJson_ThrowsInvalidDataWithParserCause(string garbage)
    {
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(garbage);

        InvalidDataException? ex = Assert.Throws<InvalidDataException>(() => MesosCodec.DecodeEvent(bytes, AgentContentType.Json));

        Assert.That(ex!.Message, Does.StartWith($"Cannot decode a {bytes.Length}-byte application/json body as mesos.v1.executor.Event: "));
        Assert.That(ex.InnerException, Is.Not.Null);
    }

    [Test]
    public void DecodeEvent_InvalidUtf8Json_ThrowsInvalidData()
    {
        byte[] bytes = [.. "{\"type\":\"ERROR\",\"error\":{\"message\":\""u8, 0xc3, 0x28, .. "\"}}"u8];

        InvalidDataException? ex = Assert.Throws<InvalidDataException>(() => MesosCodec.DecodeEvent(bytes, AgentContentType.Json));

        Assert.That(ex!.InnerException, Is.InstanceOf<System.Text.DecoderFallbackException>());
    }

    [Test]
    public void DecodeEvent_JsonWithByteOrderMark_Parses()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. "{\"type\":\"SHUTDOWN\"}"u8];

        Assert.That(MesosCodec.DecodeEvent(bytes, AgentContentType.Json).Type, Is.EqualTo(Event.Types.Type.Shutdown));
    }

    [Test]
    public void DecodeEvent_EmptyProtobuf_IsAnEmptyEvent()
    {
        // An empty protobuf body is a valid (all-unset) message; the state machine ignores its UNKNOWN type.
        Event decoded = MesosCodec.DecodeEvent([], AgentContentType.Protobuf);

        Assert.That(decoded.HasType, Is.False);
    }
}
