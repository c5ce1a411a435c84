using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.Executor.Reference;
using Mesos.Executor.Reference.CommandLine;
using Mesos.Executor.Reference.Configuration;
using Mesos.Executor.Reference.Logging;
using Mesos.Executor.Testing;
using Mesos.V1;
using TaskStatus = Mesos.V1.TaskStatus;
using Mesos.V1.Executor;
using Microsoft.Extensions.Logging;

namespace Mesos.Executor.Demo;

/// <summary>
/// <c>mesos-executor-demo demo</c>: starts a fake Mesos agent in this process, runs the executor against
/// it with the real Docker engine, launches one task with an HTTP health check, prints every status
/// update as the agent receives it, kills the task after <c>--duration</c> seconds (or on Ctrl-C),
/// and exits 0 once the terminal update was acknowledged and the executor exited cleanly.
/// </summary>
internal static class DemoCommand
{
    private static readonly IReadOnlyList<FlagDefinition> Definitions =
    [
        new("image", FlagKind.Value, $"Docker image (default {DemoTask.DefaultImage})."),
        new("cmd", FlagKind.Value, "Shell command of the task (default: busybox httpd on the health-check port)."),
        new("health-http", FlagKind.Value, $"Port of the HTTP health check inside the container (default {DemoTask.DefaultPort}; 0 for none)."),
        new("duration", FlagKind.Value, "Seconds the task runs before it is killed (default 6)."),
        new("verbose", FlagKind.Boolean, "Show the executor's own log lines (stderr)."),
        new("config", FlagKind.Value, "Configuration file, as for the executor."),
        new("help", FlagKind.Boolean, "Print this help."),
    ];

    /// <summary>Runs the demo.</summary>
    /// <param name="args">The demo's arguments.</param>
    /// <param name="output">Where the status lines go.</param>
    /// <returns>0 on success.</returns>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output)
    {
        FlagParseResult parsed = FlagParser.Parse(args, Definitions);
        if (parsed.GetBoolean("help") == true)
        {
            output.WriteLine("Usage: mesos-executor-demo demo [--image IMAGE] [--cmd COMMAND] [--health-http PORT] [--duration SECONDS] [--verbose] [--config PATH]");
            foreach (FlagDefinition d in Definitions)
            {
                output.WriteLine($"  --{d.Name,-12} {d.Help}");
            }

            return 0;
        }

        foreach (string warning in parsed.Warnings)
        {
            output.WriteLine("demo: " + warning);
        }

        string image = parsed.Get("image") ?? DemoTask.DefaultImage;
        if (!int.TryParse(parsed.Get("health-http") ?? DemoTask.DefaultPort.ToString(CultureInfo.InvariantCulture), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > 65535)
        {
            parsed.Errors.Add("--health-http must be a port number (0 for no health check)");
        }

        if (!double.TryParse(parsed.Get("duration") ?? "6", NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double seconds) || seconds <= 0)
        {
            parsed.Errors.Add("--duration must be a positive number of seconds");
        }

        string command = parsed.Get("cmd") ?? DemoTask.DefaultCommand(port > 0 ? port : DemoTask.DefaultPort);
        if (parsed.Errors.Count > 0)
        {
            foreach (string error in parsed.Errors)
            {
                await Console.Error.WriteLineAsync("demo: " + error);
            }

            return ExecutorExitCodes.ConfigurationError;
        }

        ExecutorSettings settings;
        try
        {
            var executorArgs = new List<string>();
            if (parsed.Get("config") is { } config)
            {
                executorArgs.Add("--config=" + config);
            }

            settings = ConfigLoader.Load(ExecutorFlags.Parse(executorArgs), ConfigSources.FromProcess());
        }
        catch (ExecutorConfigurationException ex)
        {
            await Console.Error.WriteLineAsync("demo: " + ex.Message);
            return ExecutorExitCodes.ConfigurationError;
        }

        Uri endpoint = settings.DockerEndpoint ?? Mesos.Executor.Docker.DockerContainerizerOptions.DefaultEndpoint;
        if (endpoint.Scheme == "unix" && !File.Exists(endpoint.AbsolutePath))
        {
            await Console.Error.WriteLineAsync($"demo: no Docker engine socket at {endpoint.AbsolutePath}; start one with: bash build/ensure-docker.sh");
            return 1;
        }

        using var killNow = new CancellationTokenSource();
        using var shutdownNow = new CancellationTokenSource();
        using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            // First Ctrl-C kills the task early; a second one shuts the executor down.
            context.Cancel = true;
            if (killNow.IsCancellationRequested)
            {
                shutdownNow.Cancel();
            }
            else
            {
                killNow.Cancel();
            }
        });

        return await RunDemoAsync(settings, image, command, port, TimeSpan.FromSeconds(seconds), parsed.GetBoolean("verbose") == true, output, killNow.Token, shutdownNow.Token);
    }

    private static async Task<int> RunDemoAsync(
        ExecutorSettings settings, string image, string command, int healthPort, TimeSpan duration, bool verbose, TextWriter output,
        CancellationToken killNow, CancellationToken shutdownNow)
    {
        TimeProvider time = TimeProvider.System;
        long started = time.GetTimestamp();
        string runId = Guid.NewGuid().ToString("N")[..8];
        DirectoryInfo sandbox = Directory.CreateTempSubdirectory("mesos-executor-demo-");
        await using FakeAgent agent = await FakeAgent.StartAsync(new FakeAgentOptions
        {
            FrameworkCapabilities = [FrameworkInfo.Types.Capability.Types.Type.TaskKillingState],
        });
        IReadOnlyDictionary<string, string> variables = agent.CreateExecutorEnvironment(new FakeExecutorEnvironmentOptions
        {
            Directory = sandbox.FullName,
            Sandbox = sandbox.FullName,
        });
        ExecutorEnvironment environment = ExecutorEnvironment.Parse(name => variables.TryGetValue(name, out string? value) ? value : null);

        // The demo always cleans up after itself: its container is removed and labelled.
        var hooks = new List<string>(settings.EnabledHooks);
        if (!hooks.Contains("remove-container"))
        {
            hooks.Add("remove-container");
        }

        var labels = new Dictionary<string, string>(settings.ExtraLabels) { ["mesos-executor-demo"] = runId };
        settings = settings with
        {
            EnabledHooks = hooks,
            ExtraLabels = labels,
            SandboxDirectory = sandbox.FullName,
            ContainerName = "mesos-executor-demo-" + runId,
            LogLevel = verbose ? LogLevel.Information : LogLevel.Warning,
        };

        output.WriteLine($"demo: fake agent on {agent.Endpoint}, sandbox {sandbox.FullName}");
        output.WriteLine($"demo: task runs `{command}` in {image}" + (healthPort > 0 ? $", HTTP health check on port {healthPort} every 1s" : string.Empty));
        using var openedStderr = Console.OpenStandardError();
        Stream stderr = Stream.Synchronized(openedStderr);
        using var loggerFactory = new LineLoggerFactory(stderr, settings.LogLevel, settings.LogFormat);
        MesosExecutor executor;
        try
        {
            executor = await ExecutorHost.ComposeAsync(settings, environment, loggerFactory, loggerFactory.CreateLogger("Mesos.Executor.Demo"), stderr);
        }
        catch (ExecutorConfigurationException ex)
        {
            await Console.Error.WriteLineAsync("demo: " + ex.Message);
            return ExecutorExitCodes.ConfigurationError;
        }

        int exitCode;
        await using (executor)
        {
            Task<int> run = executor.RunAsync(shutdownNow);
            using var timeout = new CancellationTokenSource(duration + TimeSpan.FromSeconds(90), time);
            try
            {
                await agent.WaitForSubscribeAsync(1, timeout.Token);
                output.WriteLine(DemoLine(time, started, "executor subscribed"));

                TaskInfo task = DemoTask.Create("demo-task-" + runId, agent.Options.AgentId, image, command, healthPort);
                await agent.SendLaunchAsync(task, timeout.Token);
                output.WriteLine(DemoLine(time, started, $"LAUNCH {task.TaskId.Value}"));

                TaskStatus terminal = await FollowAsync(agent, task, duration, killNow, output, time, started, timeout.Token);
                exitCode = await run.WaitAsync(timeout.Token);
                bool acknowledged = agent.PendingAcknowledgements.Count == 0;
                output.WriteLine(DemoLine(time, started, $"executor exited with code {exitCode}; terminal update {DemoTask.MesosName(terminal.State.ToString())} {(acknowledged ? "acknowledged" : "NOT acknowledged")}"));
                if (!acknowledged && exitCode == 0)
                {
                    exitCode = 1;
                }
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                output.WriteLine(DemoLine(time, started, "demo timed out; shutting the executor down"));
                exitCode = 1;
            }
            catch (InvalidOperationException ex)
            {
                // The executor went away (the subscription closed) before the demo ended.
                output.WriteLine(DemoLine(time, started, "demo failed: " + ex.Message));
                exitCode = 1;
            }
        }

        try
        {
            sandbox.Delete(recursive: true);
        }
        catch (IOException)
        {
            // Files written by root inside the container may stay behind; they are in /tmp.
        }
        catch (UnauthorizedAccessException)
        {
        }

        return exitCode;
    }

    private static async Task<TaskStatus> FollowAsync(
        FakeAgent agent, TaskInfo task, TimeSpan duration, CancellationToken killNow, TextWriter output, TimeProvider time, long started,
        CancellationToken cancellationToken)
    {
        var seen = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        Task? killTimer = null;
        bool killSent = false;
        Task<RecordedRequest>? next = null;
        Task killSignal = Task.Delay(Timeout.InfiniteTimeSpan, killNow);
        while (true)
        {
            next ??= agent.WaitForCallAsync(
                r => r.IsAccepted && r.Call?.Type == Call.Types.Type.Update && !seen.ContainsKey(DemoTask.Key(r.Call.Update.Status.Uuid)),
                cancellationToken);
            var waits = new List<Task> { next };
            if (killTimer != null && !killSent)
            {
                waits.Add(killTimer);
            }

            if (!killSent)
            {
                waits.Add(killSignal);
            }

            Task done = await Task.WhenAny(waits);
            if (done == next)
            {
                TaskStatus status = (await next).Call!.Update.Status;
                next = null;
                seen[DemoTask.Key(status.Uuid)] = true;
                output.WriteLine(DemoLine(time, started, DemoTask.Describe(status, time.GetElapsedTime(started)), raw: true));
                if (status.State == TaskState.TaskRunning && killTimer == null)
                {
                    killTimer = Task.Delay(duration, time, cancellationToken);
                }

                if (DemoTask.IsTerminal(status.State))
                {
                    return status;
                }

                continue;
            }

            if (!killSent)
            {
                killSent = true;
                output.WriteLine(DemoLine(time, started, killNow.IsCancellationRequested ? "Ctrl-C: KILL" : $"KILL after {duration.TotalSeconds:0.#}s"));
                await agent.SendKillAsync(task.TaskId, cancellationToken: cancellationToken);
            }
        }
    }

    private static string DemoLine(TimeProvider time, long started, string text, bool raw = false) =>
        raw ? text : string.Create(CultureInfo.InvariantCulture, $"[{time.GetElapsedTime(started).TotalSeconds,6:F2}s] {text}");
}
