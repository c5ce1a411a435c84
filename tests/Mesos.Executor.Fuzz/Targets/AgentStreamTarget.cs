using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Google.Protobuf;
using Mesos.Executor.Core;
using Mesos.Executor.Core.Agent;
using Mesos.Executor.Core.RecordIO;
using Mesos.V1;
using Mesos.V1.Executor;

namespace Mesos.Executor.Fuzz.Targets;

/// <summary>
/// The agent's SUBSCRIBE stream: RecordIO framing (<see cref="RecordIOReader"/>) and each record
/// decoded as an event (<see cref="MesosCodec.DecodeEvent"/>). The first byte's low bit picks the
/// content type (0 protobuf, 1 JSON); the rest is the stream.
/// </summary>
public sealed class AgentStreamTarget : FuzzTarget
{
    /// <inheritdoc />
    public override string Name => "agent-stream";

    /// <inheritdoc />
    public override string Description => "RecordIO framing + event decoding (protobuf and JSON)";

    /// <summary>
    /// A record's array is allocated once its header passed the size check, before its bytes arrive
    /// (by design, see <see cref="RecordIOReader"/>): up to the 16 MiB record limit for any input.
    /// </summary>
    public override long AllocationBound(int inputLength) => RecordIOReader.DefaultMaxRecordSize + base.AllocationBound(inputLength);

    /// <inheritdoc />
    public override void Run(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        AgentContentType contentType = (data[0] & 1) == 0 ? AgentContentType.Protobuf : AgentContentType.Json;
        using var stream = new MemoryStream(data[1..].ToArray(), writable: false);
        var reader = new RecordIOReader(stream, leaveOpen: true);
        try
        {
            while (reader.ReadRecordAsync().AsTask().GetAwaiter().GetResult() is { } record)
            {
                Event decoded = MesosCodec.DecodeEvent(record, contentType);
                _ = decoded.CalculateSize();
            }
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <inheritdoc />
    public override bool IsExpected(Exception exception) => exception is RecordIOFormatException or InvalidDataException;

    /// <inheritdoc />
    public override IEnumerable<(string Name, byte[] Data)> Seeds()
    {
        var events = new (string Name, Event Event)[]
        {
            ("subscribed", new Event
            {
                Type = Event.Types.Type.Subscribed,
                Subscribed = new Event.Types.Subscribed
                {
                    ExecutorInfo = Samples.Executor(),
                    FrameworkInfo = Samples.Framework(),
                    AgentInfo = new AgentInfo { Hostname = "agent-1", Id = new AgentID { Value = "agent-1" } },
                    ContainerId = new ContainerID { Value = "c-1" },
                },
            }),
            ("launch", new Event { Type = Event.Types.Type.Launch, Launch = new Event.Types.Launch { Task = Samples.DockerTask() } }),
            ("kill", new Event { Type = Event.Types.Type.Kill, Kill = new Event.Types.Kill { TaskId = new TaskID { Value = "task-1" }, KillPolicy = new KillPolicy { GracePeriod = new DurationInfo { Nanoseconds = 3_000_000_000 } } } }),
            ("acknowledged", new Event { Type = Event.Types.Type.Acknowledged, Acknowledged = new Event.Types.Acknowledged { TaskId = new TaskID { Value = "task-1" }, Uuid = ByteString.CopyFrom(new byte[16]) } }),
            ("message", new Event { Type = Event.Types.Type.Message, Message = new Event.Types.Message { Data = ByteString.CopyFromUtf8("first") } }),
            ("error", new Event { Type = Event.Types.Type.Error, Error = new Event.Types.Error { Message = "something broke" } }),
            ("shutdown", new Event { Type = Event.Types.Type.Shutdown }),
            ("heartbeat", new Event { Type = Event.Types.Type.Heartbeat }),
            ("unknown", new Event { Type = (Event.Types.Type)42 }),
        };
        foreach (var (name, @event) in events)
        {
            yield return ("protobuf-" + name, Frame(0, MesosCodec.EncodeEvent(@event, AgentContentType.Protobuf)));
            yield return ("json-" + name, Frame(1, MesosCodec.EncodeEvent(@event, AgentContentType.Json)));
        }

        // Framing cases of RecordIOReaderTests: two records, a cut-off record, a bad header.
        byte[] heartbeat = MesosCodec.EncodeEvent(new Event { Type = Event.Types.Type.Heartbeat }, AgentContentType.Protobuf);
        yield return ("protobuf-two-records", [.. Frame(0, heartbeat), .. Frame(-1, heartbeat)]);
        yield return ("protobuf-cut-off", [0, .. Encoding.ASCII.GetBytes("10\n"), .. heartbeat]);
        yield return ("json-bad-header", [1, .. Encoding.ASCII.GetBytes("99999999999999\n{}")]);
    }

    // The selector byte (unless negative), the decimal length, a line feed, the record.
    private static byte[] Frame(int selector, byte[] record)
    {
        var output = new List<byte>();
        if (selector >= 0)
        {
            output.Add((byte)selector);
        }

        output.AddRange(Encoding.ASCII.GetBytes(record.Length + "\n"));
        output.AddRange(record);
        return [.. output];
    }
}
