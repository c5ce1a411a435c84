using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.Executor.Testing;
using Mesos.Executor.TestSupport;
using Mesos.V1;
using NUnit.Framework;
using TaskState = Mesos.V1.TaskState;

namespace Mesos.Executor.Integration.Tests.Reference;

/// <summary>
/// The <c>exec</c> hook in the published executor, across a whole task life: a script appends
/// each call's phase and stdin to a file.
/// </summary>
public sealed partial class ReferenceExecutorEndToEndTests
{
    private static readonly string[] AllExecPhases = ["pre-create", "pre-run", "post-run", "ready", "health-changed", "draining", "pre-stop", "post-stop"];

    /// <summary>Writes the script that appends "phase json" lines to its first argument; it exits with $2 (default 0).</summary>
    private string ExecHookScript(string name, string body)
    {
        string path = Path.Combine(_directory.FullName, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    private static string ExecSection(IEnumerable<(string Phase, string Command)> phases) =>
        "  exec:\n" + string.Concat(phases.Select(p => $"    {p.Phase}: {{ command: {p.Command}, timeout: 2secs }}\n"));

    private static TaskInfo HttpTask(string id, string agentId, string command, string? healthPath)
    {
        var task = new TaskInfo
        {
            Name = id,
            TaskId = new TaskID { Value = id },
            AgentId = new AgentID { Value = agentId },
            Command = new CommandInfo { Shell = true, Value = command },
            Container = new ContainerInfo
            {
                Type = ContainerInfo.Types.Type.Docker,
                Docker = new ContainerInfo.Types.DockerInfo { Image = DockerTestEnvironment.TestImage, Network = ContainerInfo.Types.DockerInfo.Types.Network.Bridge },
            },
            KillPolicy = new KillPolicy { GracePeriod = new DurationInfo { Nanoseconds = 5_000_000_000 } },
            Labels = new Labels(),
        };
        task.Labels.Labels_.Add(new Label { Key = "service", Value = "web" });
        if (healthPath != null)
        {
            task.HealthCheck = new HealthCheck
            {
                Type = HealthCheck.Types.Type.Http,
                Http = new HealthCheck.Types.HTTPCheckInfo { Port = 8080, Path = healthPath },
                DelaySeconds = 0,
                IntervalSeconds = 0.5,
                TimeoutSeconds = 1,
                GracePeriodSeconds = 30,
                ConsecutiveFailures = 1000,
            };
        }

        return task;
    }

    private static async Task<List<(string Phase, JsonElement Document)>> WaitForCallsAsync(string file, Func<List<(string Phase, JsonElement Document)>, bool> done, CancellationToken cancellationToken)
    {
        while (true)
        {
            var calls = new List<(string, JsonElement)>();
            if (File.Exists(file))
            {
                foreach (string line in await File.ReadAllLinesAsync(file, cancellationToken))
                {
                    int space = line.IndexOf(' ', StringComparison.Ordinal);
                    if (space > 0 && line.EndsWith('}'))
                    {
                        calls.Add((line[..space], JsonDocument.Parse(line[(space + 1)..]).RootElement.Clone()));
                    }
                }
            }

            if (done(calls))
            {
                return calls;
            }

            // Real processes and a real health check: polled.
            await Task.Delay(100, cancellationToken);
        }
    }

    [Test]
    [Category("Docker")]
    [CancelAfter(180_000)]
    public async Task ExecHook_WholeTaskLife_CalledInOrderWithTheTaskAndTheMoment(CancellationToken cancellationToken)
    {
        await DockerTestEnvironment.RequireEngineAsync(cancellationToken);
        await using FakeAgent agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);
        string calls = Path.Combine(_directory.FullName, "calls.txt");
        string script = ExecHookScript("record.sh", "{ printf '%s ' \"$MESOS_HOOK_PHASE\"; tr -d '\\n'; echo; } >> \"$1\"");
        string config = TestConfig("timeouts:\n  drain_delay: 1secs");
        config = WriteConfig(File.ReadAllText(config).Replace(
            "  enabled: [remove-container]\n",
            "  enabled: [remove-container, exec]\n" + ExecSection(AllExecPhases.Select(p => (p, $"[{script}, {calls}]"))),
            StringComparison.Ordinal));
        string www = Path.Combine(Sandbox, "www");
        Directory.CreateDirectory(www);
        string health = Path.Combine(www, "health");
        await File.WriteAllTextAsync(health, "ok", cancellationToken);
        await using ExecutorProcess executor = Start(AgentFlags("--config=" + config), Environment(agent, Sandbox));
        await agent.WaitForSubscribeAsync(1, cancellationToken);
        TaskInfo task = HttpTask("exec-" + DockerTestEnvironment.RunId, agent.Options.AgentId, "httpd -f -p 8080 -h /mnt/mesos/sandbox/www", "/health");

        await agent.SendLaunchAsync(task, cancellationToken);
        await agent.WaitForStatusAsync(task.TaskId.Value, TaskState.TaskRunning, cancellationToken);
        await WaitForCallsAsync(calls, c => c.Any(x => x.Phase == "ready"), cancellationToken);
        File.Delete(health);
        await WaitForCallsAsync(calls, c => c.Any(x => x.Phase == "health-changed" && x.Document.GetProperty("healthy").ValueKind == JsonValueKind.False), cancellationToken);
        await File.WriteAllTextAsync(health, "ok", cancellationToken);
        await WaitForCallsAsync(calls, c => c.Count(x => x.Phase == "health-changed") >= 3, cancellationToken);
        await agent.SendKillAsync(task.TaskId, cancellationToken: cancellationToken);
        await agent.WaitForStatusAsync(task.TaskId.Value, TaskState.TaskKilled, cancellationToken);
        List<(string Phase, JsonElement Document)> life = await WaitForCallsAsync(calls, c => c.Any(x => x.Phase == "post-stop"), cancellationToken);
        int exitCode = await executor.WaitForExitAsync(cancellationToken);

        JsonElement ready = life.Single(c => c.Phase == "ready").Document;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(ExecutorExitCodes.Success), executor.Log);
            Assert.That(life.Select(c => c.Phase), Is.EqualTo(new[]
            {
                "pre-create", "pre-run", "post-run", "ready", "health-changed", "health-changed", "health-changed", "draining", "pre-stop", "post-stop",
            }), executor.Log);
            Assert.That(life.Where(c => c.Phase == "health-changed").Select(c => c.Document.GetProperty("healthy").GetBoolean()), Is.EqualTo(new[] { true, false, true }));
            Assert.That(ready.GetProperty("task_id").GetString(), Is.EqualTo(task.TaskId.Value));
            Assert.That(ready.GetProperty("state").GetString(), Is.EqualTo("TASK_RUNNING"));
            Assert.That(ready.GetProperty("healthy").GetBoolean(), Is.True);
            Assert.That(ready.GetProperty("container_ips").GetArrayLength(), Is.GreaterThan(0));
            Assert.That(ready.GetProperty("labels")[0].GetProperty("value").GetString(), Is.EqualTo("web"));
            Assert.That(ready.GetProperty("container_id").GetString(), Is.Not.Empty);
            Assert.That(life[0].Document.GetProperty("state").GetString(), Is.EqualTo("TASK_STARTING"));
            Assert.That(life[^1].Document.GetProperty("state").GetString(), Is.EqualTo("TASK_KILLED"));
            Assert.That(executor.Log, Does.Contain("Draining task " + task.TaskId.Value));
        }
    }

    [Test]
    [Category("Docker")]
    [CancelAfter(180_000)]
    public async Task ExecHook_FailingReadyAndHangingDraining_TaskGoesOnAndTheCommandIsKilledAtItsTimeout(CancellationToken cancellationToken)
    {
        await DockerTestEnvironment.RequireEngineAsync(cancellationToken);
        await using FakeAgent agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);
        string marker = Path.Combine(_directory.FullName, "hung.txt");
        string failing = ExecHookScript("fail.sh", "echo registry unreachable >&2; exit 7");
        string hanging = ExecHookScript("hang.sh", "echo started >> \"$1\"; exec /bin/sleep 600");
        string config = TestConfig();
        config = WriteConfig(File.ReadAllText(config).Replace(
            "  enabled: [remove-container]\n",
            "  enabled: [remove-container, exec]\n" + ExecSection([("ready", $"[{failing}]"), ("draining", $"[{hanging}, {marker}]")]),
            StringComparison.Ordinal));
        await using ExecutorProcess executor = Start(AgentFlags("--config=" + config), Environment(agent, Sandbox));
        await agent.WaitForSubscribeAsync(1, cancellationToken);
        TaskInfo task = HttpTask("exec-fail-" + DockerTestEnvironment.RunId, agent.Options.AgentId, "trap 'exit 0' TERM; while true; do sleep 0.2; done", healthPath: null);

        await agent.SendLaunchAsync(task, cancellationToken);
        await agent.WaitForStatusAsync(task.TaskId.Value, TaskState.TaskRunning, cancellationToken);
        await agent.SendKillAsync(task.TaskId, cancellationToken: cancellationToken);
        Mesos.V1.TaskStatus killed = await agent.WaitForStatusAsync(task.TaskId.Value, TaskState.TaskKilled, cancellationToken);
        int exitCode = await executor.WaitForExitAsync(cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(ExecutorExitCodes.Success), executor.Log);
            Assert.That(killed.State, Is.EqualTo(TaskState.TaskKilled), "a failing ready command does not fail the task");
            Assert.That(agent.StatusUpdates.Any(s => s.State == TaskState.TaskFailed), Is.False);
            Assert.That(executor.Log, Does.Contain("exit status 7").And.Contain("registry unreachable"));
            Assert.That(executor.Log, Does.Contain("killed after its timeout of 2secs"));
            Assert.That(File.ReadAllText(marker), Does.Contain("started"));
        }
    }
}
