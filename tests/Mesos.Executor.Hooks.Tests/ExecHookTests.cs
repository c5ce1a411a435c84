using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Runtime.Versioning;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.Executor.Hooks.Tests.Support;
using Mesos.Executor.Testing;
using Mesos.V1;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using NUnit.Framework;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Executor.Hooks.Tests;

/// <summary>The <c>exec</c> hook against real child processes (small scripts in a temporary directory).</summary>
[TestFixture]
[SupportedOSPlatform("linux")]
public sealed class ExecHookTests
{
    private string _dir = string.Empty;

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("exec-hook-").FullName;
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private string Script(string name, string body)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    /// <summary>A script that saves its stdin to $1 and its environment to $2.</summary>
    private string Recorder() => Script("record.sh", "cat > \"$1\"\nenv > \"$2\"");

    private static ExecHook Hook(HookPhase phase, ExecHookCommand command, int maxOutputBytes = ExecHookOptions.DefaultMaxOutputBytes) =>
        new(new ExecHookOptions { Commands = new Dictionary<HookPhase, ExecHookCommand> { [phase] = command }, MaxOutputBytes = maxOutputBytes });

    private static HookContext Context(FakeLogger? logger = null)
    {
        TaskInfo task = TestTasks.Task("web-1", ("team", "blue"), ("team", "green"));
        HookContext context = HookTestHarness.CreateContext(
            task,
            sandboxDirectory: "/var/lib/mesos/sandbox",
            container: new ContainerDetails
            {
                Id = "c0ffee",
                Name = "mesos-web-1",
                IPAddresses = [IPAddress.Parse("172.17.0.5")],
                PublishedPorts = [new PublishedPort { HostPort = 31000, ContainerPort = 80, Protocol = "tcp" }],
            },
            logger: logger);
        context.Spec.Environment["TASK_SECRET"] = "do-not-pass";
        return new HookContext(context.Spec, context.Containerizer, context.Logger)
        {
            ContainerId = context.ContainerId,
            Container = context.Container,
            Status = new TaskStatus { TaskId = task.TaskId.Clone(), State = TaskState.TaskRunning },
            Healthy = false,
        };
    }

    private static IEnumerable<HookPhase> AllPhases() => Enum.GetValues<HookPhase>();

    [TestCaseSource(nameof(AllPhases))]
    [CancelAfter(20_000)]
    public async Task EveryPhase_Command_ReadsTheTaskOnStdinWithMesosVariablesOnly(HookPhase phase, CancellationToken cancellationToken)
    {
        string stdin = Path.Combine(_dir, "stdin.json");
        string env = Path.Combine(_dir, "env.txt");
        ExecHook hook = Hook(phase, new ExecHookCommand { Command = [Recorder(), stdin, env] });
        HookContext context = Context();

        await HookTestHarness.RunPhaseAsync(hook, phase, context, cancellationToken);

        using JsonDocument document = JsonDocument.Parse(await File.ReadAllTextAsync(stdin, cancellationToken));
        JsonElement root = document.RootElement;
        string[] variables = await File.ReadAllLinesAsync(env, cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(root.GetProperty("phase").GetString(), Is.EqualTo(ExecHook.PhaseName(phase)));
            Assert.That(root.GetProperty("task_id").GetString(), Is.EqualTo("web-1"));
            Assert.That(root.GetProperty("framework_id").GetString(), Is.EqualTo(HookTestHarness.DefaultFrameworkId));
            Assert.That(root.GetProperty("labels").GetArrayLength(), Is.EqualTo(2));
            Assert.That(root.GetProperty("labels")[1].GetProperty("value").GetString(), Is.EqualTo("green"));
            Assert.That(root.GetProperty("container_id").GetString(), Is.EqualTo("c0ffee"));
            Assert.That(root.GetProperty("container_ips")[0].GetString(), Is.EqualTo("172.17.0.5"));
            Assert.That(root.GetProperty("port_mappings")[0].GetProperty("host_port").GetInt32(), Is.EqualTo(31000));
            Assert.That(root.GetProperty("state").GetString(), Is.EqualTo("TASK_RUNNING"));
            Assert.That(root.GetProperty("healthy").GetBoolean(), Is.False);
            Assert.That(variables, Does.Contain("MESOS_HOOK_PHASE=" + ExecHook.PhaseName(phase)));
            Assert.That(variables, Does.Contain("MESOS_TASK_ID=web-1"));
            Assert.That(variables, Does.Contain("MESOS_CONTAINER_ID=c0ffee"));
            Assert.That(variables, Does.Contain("MESOS_TASK_STATE=TASK_RUNNING"));
            Assert.That(variables.Where(v => v.Contains("do-not-pass", StringComparison.Ordinal)), Is.Empty, "never the task's environment");
            Assert.That(variables.Where(v => v.StartsWith("HOME=", StringComparison.Ordinal)), Is.Empty, "nothing inherited from the executor");
        }
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task HealthChanged_CheckStatus_IsInTheDocument(CancellationToken cancellationToken)
    {
        string stdin = Path.Combine(_dir, "stdin.json");
        ExecHook hook = Hook(HookPhase.HealthChanged, new ExecHookCommand { Command = [Recorder(), stdin, "/dev/null"] });
        HookContext basic = Context();
        var context = new HookContext(basic.Spec, basic.Containerizer, basic.Logger)
        {
            ContainerId = basic.ContainerId,
            Container = basic.Container,
            Status = basic.Status,
            Healthy = basic.Healthy,
            CheckStatus = new CheckStatusInfo { Type = CheckInfo.Types.Type.Http, Http = new CheckStatusInfo.Types.Http { StatusCode = 503 } },
        };

        await HookTestHarness.RunPhaseAsync(hook, HookPhase.HealthChanged, context, cancellationToken);

        using JsonDocument document = JsonDocument.Parse(await File.ReadAllTextAsync(stdin, cancellationToken));
        JsonElement check = document.RootElement.GetProperty("check_status");
        Assert.That(check.GetProperty("type").GetString(), Is.EqualTo("HTTP"));
        Assert.That(check.GetProperty("http_status_code").GetInt32(), Is.EqualTo(503));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task LaunchPhase_FailTaskAndNonZeroExit_ThrowsHookFailed(CancellationToken cancellationToken)
    {
        ExecHook hook = Hook(HookPhase.PreRun, new ExecHookCommand { Command = [Script("fail.sh", "exit 3")], FailTask = true });

        HookFailedException? failure = await Assert.ThrowsAsync<HookFailedException>(() => HookTestHarness.RunPhaseAsync(hook, HookPhase.PreRun, Context(), cancellationToken));

        Assert.That(failure!.Message, Does.Contain("exit status 3"));
        Assert.That(failure.Phase, Is.EqualTo(HookPhase.PreRun));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Ready_NonZeroExit_LoggedAndTheTaskGoesOn(CancellationToken cancellationToken)
    {
        var logger = new FakeLogger();
        ExecHook hook = Hook(HookPhase.Ready, new ExecHookCommand { Command = [Script("fail.sh", "echo nope >&2; exit 1")] });

        await HookTestHarness.RunPhaseAsync(hook, HookPhase.Ready, Context(logger), cancellationToken);

        var records = logger.Collector.GetSnapshot();
        Assert.That(records.Single(r => r.Id.Name == "HookExecFailed").Message, Does.Contain("exit status 1"));
        Assert.That(records.Single(r => r.Id.Name == "HookExecOutput").Message, Does.Contain("stderr: nope"));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task HangingCommand_KilledWithItsChildrenAtTheTimeout(CancellationToken cancellationToken)
    {
        var logger = new FakeLogger();
        string pidFile = Path.Combine(_dir, "child.pid");
        string script = Script("hang.sh", "/bin/sleep 600 &\necho $! > \"$1\"\nwait");
        ExecHook hook = Hook(HookPhase.Draining, new ExecHookCommand { Command = [script, pidFile], Timeout = TimeSpan.FromMilliseconds(500) });

        await HookTestHarness.RunPhaseAsync(hook, HookPhase.Draining, Context(logger), cancellationToken);

        Assert.That(logger.Collector.GetSnapshot().Single(r => r.Id.Name == "HookExecFailed").Message, Does.Contain("killed after its timeout"));
        string pid = (await File.ReadAllTextAsync(pidFile, cancellationToken)).Trim();
        string stat = File.Exists($"/proc/{pid}/stat") ? await File.ReadAllTextAsync($"/proc/{pid}/stat", cancellationToken) : string.Empty;
        Assert.That(stat, Is.Empty.Or.Contains(") Z "), "the command's child was killed too");
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Output_LongerThanTheLimit_TruncatedWithANotice(CancellationToken cancellationToken)
    {
        var logger = new FakeLogger();
        ExecHook hook = Hook(HookPhase.PostStop, new ExecHookCommand { Command = [Script("talk.sh", "head -c 5000 /dev/zero | tr '\\0' 'x'")] }, maxOutputBytes: 100);

        await HookTestHarness.RunPhaseAsync(hook, HookPhase.PostStop, Context(logger), cancellationToken);

        string message = logger.Collector.GetSnapshot().Single(r => r.Id.Name == "HookExecOutput").Message;
        Assert.That(message, Does.Contain(new string('x', 100) + " [truncated: 4900 more bytes]"));
    }

    [Test]
    public async Task MissingProgram_LoggedAsCannotRun()
    {
        var logger = new FakeLogger();
        ExecHook hook = Hook(HookPhase.Ready, new ExecHookCommand { Command = ["/nonexistent/program"] });

        await HookTestHarness.RunPhaseAsync(hook, HookPhase.Ready, Context(logger));

        Assert.That(logger.Collector.GetSnapshot().Single(r => r.Id.Name == "HookExecFailed").Message, Does.Contain("cannot run it"));
    }

    [Test]
    public void Options_Invalid_EveryProblemReported()
    {
        var options = new ExecHookOptions
        {
            Commands = new Dictionary<HookPhase, ExecHookCommand>
            {
                [HookPhase.Ready] = new() { Command = ["/bin/true"], FailTask = true },
                [HookPhase.PreCreate] = new() { Command = ["register.sh"] },
                [HookPhase.Draining] = new() { Command = [], Timeout = TimeSpan.Zero },
            },
        };

        ExecutorConfigurationException? error = Assert.Throws<ExecutorConfigurationException>(() => new ExecHook(options));

        Assert.That(error!.Message, Does.Contain("ready.fail_task").And.Contain("'register.sh' is not an absolute path")
            .And.Contain("draining.command").And.Contain("draining.timeout"));
    }

    [Test]
    public void Catalog_Exec_CreatesTheHook()
    {
        IHook hook = HookCatalog.Create("exec", new HookSettings { Exec = new ExecHookOptions { Priority = 7 } });

        Assert.That(hook, Is.InstanceOf<ExecHook>());
        Assert.That(hook.Priority, Is.EqualTo(7));
    }
}
