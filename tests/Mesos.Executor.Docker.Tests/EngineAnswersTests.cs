using System;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Mesos.Executor.Docker.Internal;
using Mesos.Executor.Docker.Internal.Engine;
using NUnit.Framework;

namespace Mesos.Executor.Docker.Tests;

[TestFixture]
public sealed class EngineAnswersTests
{
    [Test]
    public void CreateContainer_IdAndWarnings_AreRead()
    {
        CreateContainerResponse answer = EngineAnswers.CreateContainer(Bytes("""{"Id":"abc123","Warnings":["low memory"],"Other":{"x":[1]}}"""));

        Assert.Multiple(() =>
        {
            Assert.That(answer.ID, Is.EqualTo("abc123"));
            Assert.That(answer.Warnings, Is.EqualTo(new[] { "low memory" }));
        });
    }

    [Test]
    public void CreateContainer_NullWarnings_AreNone() =>
        Assert.That(EngineAnswers.CreateContainer(Bytes("""{"Id":"a","Warnings":null}""")).Warnings, Is.Null);

    [Test]
    public void Wait_StatusAndError_AreRead()
    {
        ContainerWaitResponse answer = EngineAnswers.Wait(Bytes("""{"StatusCode":137,"Error":{"Message":"oom"}}"""));

        Assert.Multiple(() =>
        {
            Assert.That(answer.StatusCode, Is.EqualTo(137));
            Assert.That(answer.Error?.Message, Is.EqualTo("oom"));
        });
    }

    [Test]
    public void Wait_WithoutError_HasNone() =>
        Assert.That(EngineAnswers.Wait(Bytes("""{"StatusCode":0,"Error":null}""")).Error, Is.Null);

    [Test]
    public void ExecInspect_FieldsAreRead()
    {
        ContainerExecInspectResponse running = EngineAnswers.ExecInspect(Bytes("""{"Running":true,"ExitCode":null,"Pid":42}"""));
        ContainerExecInspectResponse done = EngineAnswers.ExecInspect(Bytes("""{"Running":false,"ExitCode":3,"Pid":0}"""));

        Assert.Multiple(() =>
        {
            Assert.That(running.Running, Is.True);
            Assert.That(running.ExitCode, Is.Null);
            Assert.That(running.Pid, Is.EqualTo(42));
            Assert.That(done.Running, Is.False);
            Assert.That(done.ExitCode, Is.EqualTo(3));
        });
    }

    [Test]
    public void ExecCreate_IdIsRead() =>
        Assert.That(EngineAnswers.ExecCreate(Bytes("""{"Id":"e1"}""")).ID, Is.EqualTo("e1"));

    [TestCase("create", "null")]
    [TestCase("wait", "[]")]
    [TestCase("exec-inspect", "\"Id\"")]
    [TestCase("create", "{\"Id\":1}")]
    [TestCase("exec-create", "{\"Id\":true}")]
    [TestCase("wait", "{\"StatusCode\":\"0\"}")]
    [TestCase("wait", "{\"StatusCode\":1.5}")]
    [TestCase("wait", "{\"Error\":\"oom\"}")]
    [TestCase("exec-inspect", "{\"Running\":\"yes\"}")]
    [TestCase("create", "{\"Warnings\":[1]}")]
    [TestCase("create", "{\"Id\":\"\\ud800\"}")]
    [TestCase("create", "{\"Id\":")]
    [TestCase("wait", "")]
    public void Malformed_IsAJsonException(string answer, string body)
    {
        EngineAnswerReader<object> read = answer switch
        {
            "create" => json => EngineAnswers.CreateContainer(json),
            "wait" => json => EngineAnswers.Wait(json),
            "exec-create" => json => EngineAnswers.ExecCreate(json),
            _ => json => EngineAnswers.ExecInspect(json),
        };

        Assert.That(() => read(Bytes(body)), Throws.InstanceOf<JsonException>());
    }

    [Test]
    public void InvalidUtf8_IsAJsonException() =>
        Assert.That(() => EngineAnswers.CreateContainer([.. "{\"Id\":\""u8, 0xff, 0xfe, .. "\"}"u8]), Throws.InstanceOf<JsonException>());

    [Test]
    public async Task RequestBody_GeneratedWriter_MatchesTheSerializer()
    {
        var parameters = new CreateContainerParameters
        {
            Image = "busybox",
            Cmd = ["sh", "-c", "sleep 1"],
            Labels = new System.Collections.Generic.Dictionary<string, string> { ["a"] = "b" },
            StopTimeout = TimeSpan.FromSeconds(7),
            HostConfig = new HostConfig { Memory = 1 << 20, NetworkMode = "bridge" },
        };

        string written = await DockerEngine.Json(parameters, EngineRequestJsonContext.Write).ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(written, Is.EqualTo(JsonSerializer.Serialize(parameters, EngineRequestJsonContext.Default.CreateContainerParameters)));
            Assert.That(written, Does.Contain("\"StopTimeout\":7").And.Not.Contain("null"));
        });
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
