#nullable disable warnings

using System;
using System.Diagnostics;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.Executor.Docker.Tests.Support;
using Mesos.Executor.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using NUnit.Framework;

namespace Mesos.Executor.Docker.Tests;

/// <summary>
/// The Docker daemon restarts while a task runs. The engine here runs without live-restore, so
/// the restart ends the container; the containerizer must report the container's real exit status
/// (not a failure caused by the broken connection) and keep its output complete and unduplicated.
/// Restarting the shared engine disturbs every other Docker test: fixtures of this assembly run one
/// at a time, this one always brings the engine back, and the Test target runs this category in a
/// pass of its own after all others, since other test projects using the engine must not run at
/// the same time. (NUnit 5's DependsOnFixture cannot name the parametrized Docker fixture.)
/// Docker only: it restarts dockerd (its pid file, its process); Podman's service has no daemon
/// holding the containers (conmon does), so there is no counterpart to restart.
/// </summary>
[TestFixture]
[Category("DockerRestart")]
[NonParallelizable]
public sealed class DockerDaemonRestartTests
{
    private const string PidFile = "/var/run/docker.pid";

    [OneTimeSetUp]
    public async Task OneTimeSetUp()
    {
        await DockerTestEnvironment.RequireEngineAsync();
        if (!File.Exists(PidFile) || Environment.UserName != "root")
        {
            const string Problem = "restarting the Docker daemon needs root and " + PidFile;
            if (DockerTestEnvironment.IsCI)
            {
                Assert.Fail(Problem);
            }

            Assert.Ignore(Problem);
        }
    }

    [OneTimeTearDown]
    public async Task OneTimeTearDown()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await EnsureEngineAsync(timeout.Token);
        await DockerTestCleanup.CleanupAsync(timeout.Token);
        DockerTestCleanup.DeleteSandboxes();
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task Wait_DaemonRestartsGracefully_ReportsTheContainersRealExit(CancellationToken cancellationToken)
    {
        // Without live-restore a stopping daemon stops its containers: SIGTERM, which the task traps.
        await RunThroughRestartAsync("TERM", cancellationToken);
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task Wait_DaemonCrashesAndRestarts_ReconnectsAndReportsTheContainersRealExit(CancellationToken cancellationToken)
    {
        // The connection breaks mid-wait; the restarted daemon (without live-restore) stops the
        // leftover container with SIGTERM, which the task traps.
        var logs = await RunThroughRestartAsync("KILL", cancellationToken);

        Assert.That(logs.Select(r => r.Id.Name), Does.Contain("DockerConnectionLost"));
    }

    private static async Task<IReadOnlyList<FakeLogRecord>> RunThroughRestartAsync(string signal, CancellationToken cancellationToken)
    {
        const int expectedExit = 7;
        using var logProvider = new FakeLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(logProvider).SetMinimumLevel(LogLevel.Debug));
        var output = new CapturedOutput();
        await using var containerizer = new DockerContainerizer(DockerContainerizerTests.Options(DockerTestEnvironment.Docker, standardOutput: output), loggerFactory);
        string sandbox = DockerTestCleanup.NewSandbox();
        var task = TestTasks.Task("trap 'echo stopping; exit 7' TERM; echo ready; while :; do sleep 0.1; done");
        string id = await containerizer.CreateAsync(TestTasks.Spec(task, sandbox), cancellationToken);
        await containerizer.StartAsync(id, cancellationToken);
        await output.WaitForAsync(t => t.Contains("ready\n", StringComparison.Ordinal), cancellationToken);
        Task<ContainerExit> wait = containerizer.WaitAsync(id, cancellationToken);

        await StopDaemonAsync(signal, cancellationToken);
        Assert.That(wait.IsCompleted && wait.IsFaulted, Is.False, "the wait must not fail while the daemon is away");
        await EnsureEngineAsync(cancellationToken);
        var exit = await wait;
        var details = await containerizer.InspectAsync(id, cancellationToken);
        await containerizer.RemoveAsync(id, cancellationToken);
        string stdout = output.Text;

        Assert.Multiple(() =>
        {
            Assert.That(exit.ExitCode, Is.EqualTo(expectedExit));
            Assert.That(details.Pid, Is.Zero, "the container ended");
            Assert.That(stdout.Split('\n').Count(l => l == "ready"), Is.EqualTo(1), "output written once across the reconnection: " + stdout);
            Assert.That(stdout, Does.EndWith("stopping\n"), "output of the stopping container is complete");
        });
        return logProvider.Collector.GetSnapshot();
    }

    private static async Task StopDaemonAsync(string signal, CancellationToken cancellationToken)
    {
        int pid = int.Parse((await File.ReadAllTextAsync(PidFile, cancellationToken)).Trim(), CultureInfo.InvariantCulture);
        await RunAsync("kill", ["-" + signal, pid.ToString(CultureInfo.InvariantCulture)], cancellationToken);
        while (Directory.Exists($"/proc/{pid}"))
        {
            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>Starts the engine as build/ensure-docker.sh does (in its own session, so it outlives the test host).</summary>
    private static async Task EnsureEngineAsync(CancellationToken cancellationToken)
    {
        string script = FindScript();
        await RunAsync("setsid", ["-w", "bash", script], cancellationToken);
    }

    private static string FindScript()
    {
        for (var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); directory != null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "build", "ensure-docker.sh");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("build/ensure-docker.sh not found above the test directory");
    }

    private static async Task RunAsync(string program, string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        Task<string> stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            Assert.Fail($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await stdout}{await stderr}");
        }
    }
}
