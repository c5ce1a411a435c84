using System;
using System.Linq;
using System.Text;
using System.Text.Json;
using Mesos.Executor.Core.Agent;
using Mesos.V1;
using Mesos.V1.Executor;
using NUnit.Framework;

namespace Mesos.Executor.Core.Tests.Protos;

/// <summary>
/// The JSON content type must look like Mesos's own JSON (docs/executor-http-api.md): proto field
/// names, enums as names, bytes in base64; and JSON shaped like the examples in that document
/// must decode. The example bodies below are our own, with the same structure and field names.
/// </summary>
[TestFixture]
public sealed class MesosJsonTests
{
    [Test]
    public void EncodeCall_Update_UsesProtoFieldNamesEnumNamesAndBase64()
    {
        Call call = ProtoSamples.AllCalls().Single(c => c.Name == "UPDATE").Call;

        string json = Encoding.UTF8.GetString(MesosCodec.EncodeCall(call, AgentContentType.Json));

        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement root = document.RootElement;
        Assert.That(root.GetProperty("type").GetString(), Is.EqualTo("UPDATE"));
        Assert.That(root.GetProperty("executor_id").GetProperty("value").GetString(), Is.EqualTo(ProtoSamples.ExecutorIdValue));
        Assert.That(root.GetProperty("framework_id").GetProperty("value").GetString(), Is.EqualTo(ProtoSamples.FrameworkIdValue));
        JsonElement status = root.GetProperty("update").GetProperty("status");
        Assert.That(status.GetProperty("state").GetString(), Is.EqualTo("TASK_RUNNING"));
        Assert.That(status.GetProperty("source").GetString(), Is.EqualTo("SOURCE_EXECUTOR"));
        Assert.That(status.GetProperty("reason").GetString(), Is.EqualTo("REASON_TASK_HEALTH_CHECK_STATUS_UPDATED"));
        Assert.That(status.GetProperty("uuid").GetString(), Is.EqualTo(Convert.ToBase64String(ProtoSamples.UuidBytes)));
        Assert.That(status.GetProperty("task_id").GetProperty("value").GetString(), Is.EqualTo(ProtoSamples.TaskIdValue));
        Assert.That(status.GetProperty("healthy").GetBoolean(), Is.True);
        Assert.That(status.GetProperty("timestamp").GetDouble(), Is.EqualTo(1_718_000_000.25));
        JsonElement containerStatus = status.GetProperty("container_status");
        Assert.That(containerStatus.GetProperty("executor_pid").GetUInt32(), Is.EqualTo(4242));
        JsonElement address = containerStatus.GetProperty("network_infos")[0].GetProperty("ip_addresses")[1];
        Assert.That(address.GetProperty("protocol").GetString(), Is.EqualTo("IPv6"));
        Assert.That(address.GetProperty("ip_address").GetString(), Is.EqualTo("fd00::2"));
        Assert.That(status.GetProperty("check_status").GetProperty("http").GetProperty("status_code").GetUInt32(), Is.EqualTo(200));

        Assert.That(json, Does.Not.Contain("executorId").And.Not.Contain("taskId").And.Not.Contain("ipAddresses"));
    }

    [Test]
    public void EncodeCall_UnsetFields_AreOmitted()
    {
        var call = new Call { Type = Call.Types.Type.Heartbeat, ExecutorId = ProtoSamples.ExecutorId, FrameworkId = ProtoSamples.FrameworkId };

        using JsonDocument document = JsonDocument.Parse(MesosCodec.EncodeCall(call, AgentContentType.Json));

        Assert.That(
            document.RootElement.EnumerateObject().Select(p => p.Name),
            Is.EquivalentTo(new[] { "type", "executor_id", "framework_id" }));
    }

    [Test]
    public void EncodeEvent_Launch_UsesSnakeCaseThroughoutTheTaskInfo()
    {
        Event launch = ProtoSamples.AllEvents().Single(e => e.Name == "LAUNCH").Event;

        using JsonDocument document = JsonDocument.Parse(MesosCodec.EncodeEvent(launch, AgentContentType.Json));

        JsonElement task = document.RootElement.GetProperty("launch").GetProperty("task");
        JsonElement docker = task.GetProperty("container").GetProperty("docker");
        Assert.That(docker.GetProperty("network").GetString(), Is.EqualTo("BRIDGE"));
        Assert.That(docker.GetProperty("force_pull_image").GetBoolean(), Is.True);
        Assert.That(docker.GetProperty("port_mappings")[0].GetProperty("host_port").GetUInt32(), Is.EqualTo(31080));
        Assert.That(docker.GetProperty("port_mappings")[0].GetProperty("container_port").GetUInt32(), Is.EqualTo(8080));
        Assert.That(task.GetProperty("health_check").GetProperty("consecutive_failures").GetUInt32(), Is.EqualTo(4));
        Assert.That(task.GetProperty("health_check").GetProperty("grace_period_seconds").GetDouble(), Is.EqualTo(30.0));
        Assert.That(task.GetProperty("container").GetProperty("volumes")[1].GetProperty("mode").GetString(), Is.EqualTo("RO"));

        // 64-bit integers are JSON strings (proto3 JSON mapping); Mesos 1.6+ parses strings for numeric fields.
        JsonElement nanoseconds = task.GetProperty("kill_policy").GetProperty("grace_period").GetProperty("nanoseconds");
        Assert.That(nanoseconds.ValueKind, Is.EqualTo(JsonValueKind.String));
        Assert.That(nanoseconds.GetString(), Is.EqualTo("7000000000"));
    }

    [Test]
    public void DecodeEvent_Int64AsJsonNumber_IsAccepted()
    {
        // Mesos itself writes 64-bit integers as JSON numbers.
        const string json = """{"type":"KILL","kill":{"task_id":{"value":"t1"},"kill_policy":{"grace_period":{"nanoseconds":3000000000}}}}""";

        Event parsed = MesosCodec.DecodeEvent(Encoding.UTF8.GetBytes(json), AgentContentType.Json);

        Assert.That(parsed.Kill.KillPolicy.GracePeriod.Nanoseconds, Is.EqualTo(3_000_000_000L));
    }

    [Test]
    public void DecodeEvent_UnknownFieldsAndUnknownEnumName_AreIgnored()
    {
        const string json = """{"type":"SOME_FUTURE_EVENT","future_field":{"a":[1,2,3]},"error":{"message":"m","extra":true}}""";

        Event parsed = MesosCodec.DecodeEvent(Encoding.UTF8.GetBytes(json), AgentContentType.Json);

        Assert.That(parsed.HasType, Is.False);
        Assert.That(parsed.Type, Is.EqualTo(Event.Types.Type.Unknown));
        Assert.That(parsed.Error.Message, Is.EqualTo("m"));
    }

    [Test]
    public void DecodeEvent_MesosStyleDefaultsWritten_AreReadAsPresent()
    {
        // Mesos's JSON writer also emits unset optional fields that have a default (e.g. "port": 5051).
        const string json = """{"type":"SUBSCRIBED","subscribed":{"executor_info":{"executor_id":{"value":"e"}},"framework_info":{"user":"u","name":"n","failover_timeout":0.0,"checkpoint":false,"role":"*"},"agent_info":{"hostname":"h","port":5051}}}""";

        Event parsed = MesosCodec.DecodeEvent(Encoding.UTF8.GetBytes(json), AgentContentType.Json);

        Assert.That(parsed.Subscribed.AgentInfo.Port, Is.EqualTo(5051));
        Assert.That(parsed.Subscribed.FrameworkInfo.HasCheckpoint, Is.True);
        Assert.That(parsed.Subscribed.FrameworkInfo.Checkpoint, Is.False);
    }

    // ---- The examples of docs/executor-http-api.md, rewritten with our own values. ----
    // None is skipped: the document's status uuid is valid base64 (of a 37-byte text, not a
    // 16-byte UUID, so an agent would refuse that UPDATE), which the codec decodes like any bytes.

    [Test]
    public void DecodeCall_DocSubscribeExample_Parses()
    {
        // Like the document, an unacknowledged update carries a "framework_id" that Call.Update does
        // not have: it must be ignored, not fatal.
        const string json = """
            {
              "type": "SUBSCRIBE",
              "executor_id": { "value": "exec-1" },
              "framework_id": { "value": "fw-1" },
              "subscribe": {
                "unacknowledged_tasks": [
                  {
                    "name": "list-tmp",
                    "task_id": { "value": "task-1" },
                    "agent_id": { "value": "agent-1" },
                    "command": { "value": "ls", "arguments": [ "-l", "\/tmp" ] }
                  }
                ],
                "unacknowledged_updates": [
                  {
                    "framework_id": { "value": "fw-1" },
                    "status": {
                      "source": "SOURCE_EXECUTOR",
                      "task_id": { "value": "task-1" },
                      "state": "TASK_RUNNING",
                      "uuid": "dGFzay0xLXVwZGF0ZS11dWlkLW5vdC0xNi1ieXRlcwo="
                    }
                  }
                ]
              }
            }
            """;

        Call call = MesosCodec.DecodeCall(Encoding.UTF8.GetBytes(json), AgentContentType.Json);

        Assert.That(call.Type, Is.EqualTo(Call.Types.Type.Subscribe));
        Assert.That(call.ExecutorId.Value, Is.EqualTo("exec-1"));
        Assert.That(call.FrameworkId.Value, Is.EqualTo("fw-1"));
        TaskInfo task = call.Subscribe.UnacknowledgedTasks.Single();
        Assert.That(task.Name, Is.EqualTo("list-tmp"));
        Assert.That(task.AgentId.Value, Is.EqualTo("agent-1"));
        Assert.That(task.Command.Value, Is.EqualTo("ls"));
        Assert.That(task.Command.Arguments, Is.EqualTo(new[] { "-l", "/tmp" }));
        Mesos.V1.TaskStatus status = call.Subscribe.UnacknowledgedUpdates.Single().Status;
        Assert.That(status.Source, Is.EqualTo(Mesos.V1.TaskStatus.Types.Source.Executor));
        Assert.That(status.State, Is.EqualTo(TaskState.TaskRunning));
        Assert.That(status.Uuid.ToStringUtf8(), Is.EqualTo("task-1-update-uuid-not-16-bytes\n"));
    }

    [Test]
    public void DecodeEvent_DocSubscribedExample_Parses()
    {
        // The document's example also has "agent_id" beside agent_info and "host" instead of
        // "hostname": fields this schema does not have, so they are ignored.
        const string json = """
            {
              "type": "SUBSCRIBED",
              "subscribed": {
                "executor_info": {
                  "executor_id": { "value": "exec-1" },
                  "command": { "value": "\/opt\/bin\/my-executor" },
                  "framework_id": { "value": "fw-1" }
                },
                "framework_info": { "user": "alice", "name": "batch_framework" },
                "agent_id": { "value": "agent-1" },
                "agent_info": { "host": "agent.example", "port": 5051 }
              }
            }
            """;

        Event parsed = MesosCodec.DecodeEvent(Encoding.UTF8.GetBytes(json), AgentContentType.Json);

        Assert.That(parsed.Type, Is.EqualTo(Event.Types.Type.Subscribed));
        Assert.That(parsed.Subscribed.ExecutorInfo.ExecutorId.Value, Is.EqualTo("exec-1"));
        Assert.That(parsed.Subscribed.ExecutorInfo.Command.Value, Is.EqualTo("/opt/bin/my-executor"));
        Assert.That(parsed.Subscribed.ExecutorInfo.FrameworkId.Value, Is.EqualTo("fw-1"));
        Assert.That(parsed.Subscribed.FrameworkInfo.User, Is.EqualTo("alice"));
        Assert.That(parsed.Subscribed.FrameworkInfo.Name, Is.EqualTo("batch_framework"));
        Assert.That(parsed.Subscribed.AgentInfo.Port, Is.EqualTo(5051));
        Assert.That(parsed.Subscribed.AgentInfo.HasHostname, Is.False);
    }

    [Test]
    public void DecodeCall_DocUpdateExample_Parses()
    {
        const string json = """
            {
              "executor_id": { "value": "exec-1" },
              "framework_id": { "value": "fw-2-0000" },
              "type": "UPDATE",
              "update": {
                "status": {
                  "executor_id": { "value": "exec-1" },
                  "source": "SOURCE_EXECUTOR",
                  "state": "TASK_RUNNING",
                  "task_id": { "value": "task-2" },
                  "uuid": "C0wNnm6kTlWbHC58jzodVQ=="
                }
              }
            }
            """;

        Call call = MesosCodec.DecodeCall(Encoding.UTF8.GetBytes(json), AgentContentType.Json);

        Assert.That(call.Type, Is.EqualTo(Call.Types.Type.Update));
        Assert.That(call.Update.Status.ExecutorId.Value, Is.EqualTo("exec-1"));
        Assert.That(call.Update.Status.TaskId.Value, Is.EqualTo("task-2"));
        Assert.That(call.Update.Status.Uuid.Length, Is.EqualTo(16));
        Assert.That(call.Update.Status.Uuid.ToBase64(), Is.EqualTo("C0wNnm6kTlWbHC58jzodVQ=="));
    }

    [Test]
    public void DecodeCall_DocMessageExample_Parses()
    {
        // The document puts "data" at the top level; executor.proto has it in "message", as here.
        const string json = """
            {
              "executor_id": { "value": "exec-1" },
              "framework_id": { "value": "fw-2-0000" },
              "type": "MESSAGE",
              "message": { "data": "aGVsbG8gc2NoZWR1bGVy" }
            }
            """;

        Call call = MesosCodec.DecodeCall(Encoding.UTF8.GetBytes(json), AgentContentType.Json);

        Assert.That(call.Type, Is.EqualTo(Call.Types.Type.Message));
        Assert.That(call.Message.Data.ToStringUtf8(), Is.EqualTo("hello scheduler"));
    }

    [Test]
    public void DecodeEvent_DocLaunchExample_Parses()
    {
        // The document's example carries a "framework_info" inside "launch" that Event.Launch lacks.
        const string json = """
            {
              "type": "LAUNCH",
              "launch": {
                "framework_info": { "id": { "value": "fw-1" }, "user": "alice", "name": "batch_framework" },
                "task": {
                  "name": "sleeper",
                  "task_id": { "value": "task-3" },
                  "agent_id": { "value": "agent-1" },
                  "command": { "value": "sleep", "arguments": [ "60" ] }
                }
              }
            }
            """;

        Event parsed = MesosCodec.DecodeEvent(Encoding.UTF8.GetBytes(json), AgentContentType.Json);

        Assert.That(parsed.Type, Is.EqualTo(Event.Types.Type.Launch));
        Assert.That(parsed.Launch.Task.Name, Is.EqualTo("sleeper"));
        Assert.That(parsed.Launch.Task.TaskId.Value, Is.EqualTo("task-3"));
        Assert.That(parsed.Launch.Task.Command.Arguments, Is.EqualTo(new[] { "60" }));
    }

    [Test]
    public void DecodeEvent_DocKillExample_Parses()
    {
        const string json = """{ "type" : "KILL", "kill" : { "task_id" : {"value" : "task-3"} } }""";

        Event parsed = MesosCodec.DecodeEvent(Encoding.UTF8.GetBytes(json), AgentContentType.Json);

        Assert.That(parsed.Type, Is.EqualTo(Event.Types.Type.Kill));
        Assert.That(parsed.Kill.TaskId.Value, Is.EqualTo("task-3"));
        Assert.That(parsed.Kill.KillPolicy, Is.Null);
    }

    [Test]
    public void DecodeEvent_DocAcknowledgedExample_Parses()
    {
        const string json = """
            { "type" : "ACKNOWLEDGED",
              "acknowledged" : { "task_id" : {"value" : "task-2"}, "uuid" : "C0wNnm6kTlWbHC58jzodVQ==" } }
            """;

        Event parsed = MesosCodec.DecodeEvent(Encoding.UTF8.GetBytes(json), AgentContentType.Json);

        Assert.That(parsed.Type, Is.EqualTo(Event.Types.Type.Acknowledged));
        Assert.That(parsed.Acknowledged.TaskId.Value, Is.EqualTo("task-2"));
        Assert.That(parsed.Acknowledged.Uuid.ToByteArray(), Is.EqualTo(Convert.FromBase64String("C0wNnm6kTlWbHC58jzodVQ==")));
    }

    [Test]
    public void DecodeEvent_DocMessageExample_Parses()
    {
        const string json = """{ "type" : "MESSAGE", "message" : { "data" : "c29tZSBieXRlcw==" } }""";

        Event parsed = MesosCodec.DecodeEvent(Encoding.UTF8.GetBytes(json), AgentContentType.Json);

        Assert.That(parsed.Type, Is.EqualTo(Event.Types.Type.Message));
        Assert.That(parsed.Message.Data.ToStringUtf8(), Is.EqualTo("some bytes"));
    }

    [Test]
    public void DecodeEvent_DocShutdownExample_Parses()
    {
        Event parsed = MesosCodec.DecodeEvent("""{ "type" : "SHUTDOWN" }"""u8, AgentContentType.Json);

        Assert.That(parsed.Type, Is.EqualTo(Event.Types.Type.Shutdown));
    }

    [Test]
    public void DecodeEvent_DocErrorExample_Parses()
    {
        Event parsed = MesosCodec.DecodeEvent("""{ "type" : "ERROR", "error" : { "message" : "Cannot continue" } }"""u8, AgentContentType.Json);

        Assert.That(parsed.Type, Is.EqualTo(Event.Types.Type.Error));
        Assert.That(parsed.Error.Message, Is.EqualTo("Cannot continue"));
    }
}
