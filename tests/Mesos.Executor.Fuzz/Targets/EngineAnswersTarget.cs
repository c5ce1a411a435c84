using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using Mesos.Executor.Docker.Internal;
using Mesos.Executor.Docker.Internal.Engine;

namespace Mesos.Executor.Fuzz.Targets;

/// <summary>
/// The Engine API client's reading of the engine's JSON answers: the first byte picks inspect
/// (<see cref="ContainerInspection.Parse"/> and <see cref="ContainerInspection.ToDetails"/>),
/// wait, exec inspect, create, an error body (<see cref="DockerEngine.ErrorMessage"/>) or the pull
/// progress stream; the rest is the body.
/// </summary>
public sealed class EngineAnswersTarget : FuzzTarget
{
    /// <inheritdoc />
    public override string Name => "engine-json";

    /// <inheritdoc />
    public override string Description => "Engine API answers: inspect, wait, exec, create, errors, pull stream";

    /// <inheritdoc />
    public override void Run(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        ReadOnlySpan<byte> body = data[1..];
        switch (data[0] % 6)
        {
            case 0:
                _ = ContainerInspection.Parse(body).ToDetails(body);
                break;
            case 1:
                _ = EngineAnswers.Wait(body);
                break;
            case 2:
                _ = EngineAnswers.ExecInspect(body);
                break;
            case 3:
                _ = EngineAnswers.CreateContainer(body);
                break;
            case 4:
                _ = DockerEngine.ErrorMessage(body.ToArray());
                break;
            default:
                // As DockerEngine.PullImageAsync reads it: top-level values one after the other.
                using (var stream = new MemoryStream(body.ToArray(), writable: false))
                {
                    var enumerator = JsonSerializer.DeserializeAsyncEnumerable(stream, EngineJsonContext.Default.JSONMessage, topLevelValues: true).GetAsyncEnumerator();
                    try
                    {
                        while (enumerator.MoveNextAsync().AsTask().GetAwaiter().GetResult())
                        {
                            _ = enumerator.Current?.Error?.Message;
                        }
                    }
                    finally
                    {
                        enumerator.DisposeAsync().AsTask().GetAwaiter().GetResult();
                    }
                }

                break;
        }
    }

    /// <summary>The Engine API client's documented failure for a malformed answer: <see cref="JsonException"/> (which the containerizer turns into a task failure).</summary>
    public override bool IsExpected(Exception exception) => exception is JsonException;

    /// <inheritdoc />
    public override IEnumerable<(string Name, byte[] Data)> Seeds()
    {
        // Bodies of ContainerInspectionTests and EngineWireFormatTests.
        (string Name, int Selector, string Body)[] bodies =
        [
            ("inspect", 0, """
                {"Id":"0123456789abcdef0123","Name":"/mesos-1",
                 "State":{"Status":"running","Running":true,"Paused":false,"Restarting":false,"OOMKilled":false,"Pid":4242,"ExitCode":0,"Error":"","StartedAt":"2024-05-01T10:00:00Z"},
                 "Config":{"Tty":false,"StopSignal":"SIGQUIT"},
                 "HostConfig":{"NetworkMode":"bridge"},
                 "NetworkSettings":{"Ports":{"80/tcp":[{"HostIp":"0.0.0.0","HostPort":"31000"},{"HostIp":"::","HostPort":"31000"}],"53/udp":null},
                   "Networks":{"bridge":{"IPAddress":"172.17.0.2","Gateway":"172.17.0.1","GlobalIPv6Address":"fd00::2","IPv6Gateway":"fd00::1"}}}}
                """),
            ("inspect-exited", 0, """{"Id":"abc","State":{"Running":false,"ExitCode":137,"OOMKilled":true,"Error":"oom"},"HostConfig":{"NetworkMode":"host"}}"""),
            ("wait", 1, """{"StatusCode":137,"Error":{"Message":"killed"}}"""),
            ("exec-inspect", 2, """{"Running":false,"ExitCode":0,"Pid":77}"""),
            ("create", 3, """{"Id":"0123456789abcdef","Warnings":["no swap"]}"""),
            ("error", 4, """{"message":"No such container: abc"}"""),
            ("error-text", 4, "page not found\n"),
            ("pull", 5, """{"status":"Pulling from library/busybox","id":"1"}{"status":"Downloading","id":"abc"}{"errorDetail":{"message":"denied"},"error":"denied"}"""),
        ];
        foreach (var (name, selector, body) in bodies)
        {
            yield return (name, [(byte)selector, .. Encoding.UTF8.GetBytes(body)]);
        }
    }
}
