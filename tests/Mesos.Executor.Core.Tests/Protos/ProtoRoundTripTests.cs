using System.Collections.Generic;
using System.IO;
using System.Linq;
using Google.Protobuf;
using Mesos.V1;
using Mesos.V1.Executor;
using NUnit.Framework;

namespace Mesos.Executor.Core.Tests.Protos;

[TestFixture]
public sealed class ProtoRoundTripTests
{
    public static IEnumerable<TestCaseData> Events() =>
        ProtoSamples.AllEvents().Select(e => new TestCaseData(e.Event).SetArgDisplayNames(e.Name));

    public static IEnumerable<TestCaseData> Calls() =>
        ProtoSamples.AllCalls().Select(c => new TestCaseData(c.Call).SetArgDisplayNames(c.Name));

    [TestCaseSource(nameof(Events))]
    public void Event_SerializeThenParse_IsEqualAndReserializesIdentically(Event original)
    {
        byte[] bytes = original.ToByteArray();

        Event parsed = Event.Parser.ParseFrom(bytes);

        Assert.That(parsed, Is.EqualTo(original));
        Assert.That(parsed.ToByteArray(), Is.EqualTo(bytes));
        Assert.That(parsed.HasType, Is.True);
    }

    [TestCaseSource(nameof(Calls))]
    public void Call_SerializeThenParse_IsEqualAndReserializesIdentically(Call original)
    {
        byte[] bytes = original.ToByteArray();

        Call parsed = Call.Parser.ParseFrom(bytes);

        Assert.That(parsed, Is.EqualTo(original));
        Assert.That(parsed.ToByteArray(), Is.EqualTo(bytes));
    }

    [Test]
    public void Event_EveryEventType_HasASample()
    {
        var sampled = ProtoSamples.AllEvents().Select(e => e.Event.Type).ToHashSet();
        var defined = System.Enum.GetValues<Event.Types.Type>().Where(t => t != Event.Types.Type.Unknown);

        Assert.That(sampled, Is.EquivalentTo(defined));
    }

    [Test]
    public void Call_EveryCallType_HasASample()
    {
        var sampled = ProtoSamples.AllCalls().Select(c => c.Call.Type).ToHashSet();
        var defined = System.Enum.GetValues<Call.Types.Type>().Where(t => t != Call.Types.Type.Unknown);

        Assert.That(sampled, Is.EquivalentTo(defined));
    }

    [Test]
    public void Launch_RichTaskInfo_KeepsEveryDetail()
    {
        Event parsed = Event.Parser.ParseFrom(ProtoSamples.AllEvents().Single(e => e.Name == "LAUNCH").Event.ToByteArray());

        TaskInfo task = parsed.Launch.Task;
        Assert.That(task.Container.Docker.PortMappings.Select(p => (p.HostPort, p.ContainerPort, p.Protocol)), Is.EqualTo(new[] { (31080u, 8080u, "tcp"), (31081u, 53u, "udp") }));
        Assert.That(task.Container.Docker.Parameters.Select(p => $"{p.Key}={p.Value}"), Is.EqualTo(new[] { "label=tier=web", "ulimit=nofile=1024:2048" }));
        Assert.That(task.Container.Docker.Network, Is.EqualTo(ContainerInfo.Types.DockerInfo.Types.Network.Bridge));
        Assert.That(task.Container.Volumes.Select(v => v.Mode), Is.EqualTo(new[] { Volume.Types.Mode.Rw, Volume.Types.Mode.Ro, Volume.Types.Mode.Rw }));
        Assert.That(task.Container.Volumes[2].Source.DockerVolume.Name, Is.EqualTo("cache"));
        Assert.That(task.HealthCheck.Http.Statuses, Is.EqualTo(new uint[] { 200, 204 }));
        Assert.That(task.HealthCheck.ConsecutiveFailures, Is.EqualTo(4));
        Assert.That(task.Check.Tcp.Port, Is.EqualTo(8080));
        Assert.That(task.KillPolicy.GracePeriod.Nanoseconds, Is.EqualTo(7_000_000_000L));
        Assert.That(task.Labels.Labels_.Select(l => l.Key), Is.EqualTo(new[] { "app", "version" }));
        Assert.That(task.Limits["cpus"].Value, Is.EqualTo(1.0));
        Assert.That(task.Command.Environment.Variables[0].Value, Is.EqualTo("production"));
    }

    [Test]
    public void Update_FullTaskStatus_KeepsContainerStatusAndCheckStatus()
    {
        Call parsed = Call.Parser.ParseFrom(ProtoSamples.AllCalls().Single(c => c.Name == "UPDATE").Call.ToByteArray());

        Mesos.V1.TaskStatus status = parsed.Update.Status;
        Assert.That(status.State, Is.EqualTo(TaskState.TaskRunning));
        Assert.That(status.Source, Is.EqualTo(Mesos.V1.TaskStatus.Types.Source.Executor));
        Assert.That(status.Uuid.ToByteArray(), Is.EqualTo(ProtoSamples.UuidBytes));
        Assert.That(status.ContainerStatus.NetworkInfos[0].IpAddresses.Select(a => a.IpAddress), Is.EqualTo(new[] { "172.17.0.2", "fd00::2" }));
        Assert.That(status.ContainerStatus.ContainerId.Parent.Value, Is.EqualTo("a1b2c3d4-parent"));
        Assert.That(status.CheckStatus.Http.StatusCode, Is.EqualTo(200));
        Assert.That(status.HasHealthy && status.Healthy, Is.True);
    }

    [Test]
    public void Parse_UnknownTopLevelField_SurvivesReserialization()
    {
        byte[] known = ProtoSamples.AllEvents().Single(e => e.Name == "KILL").Event.ToByteArray();
        byte[] unknown = Concat(Varint(fieldNumber: 99, value: 12345), LengthDelimited(fieldNumber: 100, "from a newer agent"u8.ToArray()));
        byte[] bytes = [.. known, .. unknown];

        Event parsed = Event.Parser.ParseFrom(bytes);
        byte[] reserialized = parsed.ToByteArray();

        Assert.That(parsed.Kill.TaskId.Value, Is.EqualTo(ProtoSamples.TaskIdValue));
        Assert.That(reserialized, Is.EqualTo(bytes));
        Assert.That(Event.Parser.ParseFrom(reserialized), Is.EqualTo(parsed));
    }

    [Test]
    public void Parse_UnknownFieldInNestedMessage_SurvivesReserialization()
    {
        // TaskStatus with an unknown field 77, inside Call.Update (field 1), inside Call (field 5).
        byte[] status = [.. ProtoSamples.RunningStatus().ToByteArray(), .. Varint(fieldNumber: 77, value: 1)];
        byte[] update = LengthDelimited(fieldNumber: 1, status);
        var header = new Call
        {
            Type = Call.Types.Type.Update,
            ExecutorId = ProtoSamples.ExecutorId,
            FrameworkId = ProtoSamples.FrameworkId,
        };
        byte[] bytes = [.. header.ToByteArray(), .. LengthDelimited(fieldNumber: 5, update)];

        Call parsed = Call.Parser.ParseFrom(bytes);

        Assert.That(parsed.Update.Status.State, Is.EqualTo(TaskState.TaskRunning));
        Assert.That(parsed.ToByteArray(), Is.EqualTo(bytes));
        Assert.That(parsed.Update.Status, Is.Not.EqualTo(ProtoSamples.RunningStatus()), "the unknown field takes part in equality");
    }

    [Test]
    public void Parse_UnknownEnumNumber_IsKeptAsItsNumber()
    {
        // Event.type = 42: a type this version does not know must not fail parsing.
        byte[] bytes = Varint(fieldNumber: 1, value: 42);

        Event parsed = Event.Parser.ParseFrom(bytes);

        Assert.That(parsed.HasType, Is.True);
        Assert.That((int)parsed.Type, Is.EqualTo(42));
        Assert.That(parsed.ToByteArray(), Is.EqualTo(bytes));
    }

    [Test]
    public void Presence_UnsetOptionalField_HasIsFalseEvenWhenValueIsDefault()
    {
        var status = new Mesos.V1.TaskStatus();

        Assert.That(status.HasHealthy, Is.False);
        Assert.That(status.Healthy, Is.False);
        Assert.That(status.HasState, Is.False);
        Assert.That(status.State, Is.EqualTo(TaskState.TaskStarting), "the default of a proto2 enum is its first value");
        Assert.That(status.HasUuid, Is.False);
        Assert.That(status.HasSource, Is.False);

        status.Healthy = false;
        status.State = TaskState.TaskStarting;

        Assert.That(status.HasHealthy, Is.True);
        Assert.That(status.HasState, Is.True);

        Mesos.V1.TaskStatus parsed = Mesos.V1.TaskStatus.Parser.ParseFrom(status.ToByteArray());
        Assert.That(parsed.HasHealthy, Is.True, "an explicitly set default survives the wire");
        Assert.That(parsed.Healthy, Is.False);
        Assert.That(parsed.HasState, Is.True);

        parsed.ClearHealthy();
        Assert.That(parsed.HasHealthy, Is.False);
    }

    [Test]
    public void Presence_HealthCheckDefaults_ApplyWhenUnsetAndAreNotPresent()
    {
        HealthCheck parsed = HealthCheck.Parser.ParseFrom(new HealthCheck { Type = HealthCheck.Types.Type.Tcp }.ToByteArray());

        Assert.That(parsed.HasDelaySeconds, Is.False);
        Assert.That(parsed.DelaySeconds, Is.EqualTo(15.0));
        Assert.That(parsed.IntervalSeconds, Is.EqualTo(10.0));
        Assert.That(parsed.TimeoutSeconds, Is.EqualTo(20.0));
        Assert.That(parsed.ConsecutiveFailures, Is.EqualTo(3));
        Assert.That(parsed.GracePeriodSeconds, Is.EqualTo(10.0));
        Assert.That(parsed.HasConsecutiveFailures || parsed.HasGracePeriodSeconds || parsed.HasIntervalSeconds || parsed.HasTimeoutSeconds, Is.False);

        parsed.DelaySeconds = 0;
        Assert.That(parsed.HasDelaySeconds, Is.True);
        Assert.That(HealthCheck.Parser.ParseFrom(parsed.ToByteArray()).DelaySeconds, Is.EqualTo(0.0), "an explicit 0 is not replaced by the default");
    }

    [Test]
    public void Presence_OtherMesosDefaults_ApplyWhenUnset()
    {
        Assert.That(new CheckInfo().DelaySeconds, Is.EqualTo(15.0));
        Assert.That(new CheckInfo().IntervalSeconds, Is.EqualTo(10.0));
        Assert.That(new CheckInfo().TimeoutSeconds, Is.EqualTo(20.0));
        Assert.That(new CommandInfo().Shell, Is.True);
        Assert.That(new CommandInfo().HasShell, Is.False);
        Assert.That(new ContainerInfo.Types.DockerInfo().Network, Is.EqualTo(ContainerInfo.Types.DockerInfo.Types.Network.Host));
        Assert.That(new AgentInfo().Port, Is.EqualTo(5051));
        Assert.That(new NetworkInfo.Types.IPAddress().Protocol, Is.EqualTo(NetworkInfo.Types.Protocol.Ipv4));
    }

    private static byte[] Varint(int fieldNumber, ulong value) => Write(output =>
    {
        output.WriteTag(fieldNumber, WireFormat.WireType.Varint);
        output.WriteUInt64(value);
    });

    private static byte[] LengthDelimited(int fieldNumber, byte[] payload) => Write(output =>
    {
        output.WriteTag(fieldNumber, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(payload));
    });

    private static byte[] Write(System.Action<CodedOutputStream> write)
    {
        using var memory = new MemoryStream();
        using (var output = new CodedOutputStream(memory, leaveOpen: true))
        {
            write(output);
        }

        return memory.ToArray();
    }

    private static byte[] Concat(byte[] first, byte[] second) => [.. first, .. second];
}
