using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Testing;
using Mesos.V1;
using Mesos.V1.Executor;

namespace Mesos.Executor.Demo.Footprint;

/// <summary>
/// One executor process under measurement, with the agent it talks to (its own
/// <see cref="FakeAgent"/>: a Mesos agent serves all its executors on one port, but what each
/// executor does is the same), its sandbox and its cgroup. It is started the way a Mesos agent
/// starts the Docker executor: the agent's environment and flags, one container name per executor.
/// </summary>
internal sealed class MeasuredExecutor : IAsyncDisposable
{
    /// <summary>
    /// Writes the shell's own pid into each file up to <c>--</c>, then execs the rest: the process
    /// is in its cgroup before the executor's first instruction. Arguments come as argv, never in
    /// the script's text; a file that cannot be written stops the start (exit 126).
    /// </summary>
    public const string EnterCgroupScript =
        "for f; do case $f in --) break;; esac; echo $$ > \"$f\" || exit 126; shift; done; shift; exec \"$@\"";

    private readonly DirectoryInfo _sandbox;
    private readonly ConcurrentQueue<string> _log = new();
    private readonly bool _underTime;
    private Process? _process;
    private Task<RecordedRequest>? _subscribe;
    private long? _cpuAtSubscribe;
    private DateTimeOffset _startedAt;
    private int _pid;

    private MeasuredExecutor(FakeAgent agent, ExecutorCgroup? cgroup, string containerName, bool underTime)
    {
        Agent = agent;
        Cgroup = cgroup;
        ContainerName = containerName;
        _underTime = underTime;
        _sandbox = Directory.CreateTempSubdirectory("mesos-executor-footprint-");
    }

    /// <summary>The agent this executor talks to.</summary>
    public FakeAgent Agent { get; }

    /// <summary>The executor's cgroup, or <see langword="null"/> without cgroup v1.</summary>
    public ExecutorCgroup? Cgroup { get; }

    /// <summary>The name of the first task's container (the <c>--container</c> flag).</summary>
    public string ContainerName { get; }

    /// <summary>The started process (<c>/usr/bin/time</c> when run under it).</summary>
    public Process Process => _process!;

    /// <summary>The executor's pid (under <c>/usr/bin/time</c>, its child); 0 until it exists.</summary>
    public int Pid
    {
        get
        {
            if (_pid == 0)
            {
                _pid = _underTime ? ProcessStats.FirstChild(Process.Id) : Process.Id;
            }

            return _pid;
        }
    }

    /// <summary>Starts an executor with its own agent, sandbox and (when there are cgroups) its own cgroup.</summary>
    /// <param name="settings">The run's settings.</param>
    /// <param name="limits">Whether its cgroup gets the CPU quota and the memory limit.</param>
    /// <param name="timeOutput">Run it under <c>/usr/bin/time -v</c>, writing the report here.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running executor; dispose it to kill what is left and remove its cgroup.</returns>
    public static async Task<MeasuredExecutor> StartAsync(FootprintSettings settings, bool limits, string? timeOutput = null, CancellationToken cancellationToken = default)
    {
        string name = settings.NextName();
        ExecutorCgroup? cgroup = settings.Cgroups == null ? null : ExecutorCgroup.Create(settings.Cgroups, name, limits);
        FakeAgent agent;
        try
        {
            agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);
        }
        catch
        {
            if (cgroup != null)
            {
                await cgroup.RemoveAsync();
            }

            throw;
        }

        var executor = new MeasuredExecutor(agent, cgroup, $"mesos-footprint-{name}-{Guid.NewGuid().ToString("N")[..6]}", timeOutput != null);

        try
        {
            // Armed before the process starts: the agent runs the predicate under its lock as it
            // records the call, before it answers, so the CPU is read when SUBSCRIBE arrives.
            executor._subscribe = agent.WaitForCallAsync(executor.OnRequest, cancellationToken);
            executor._startedAt = TimeProvider.System.GetUtcNow();
            executor._process = executor.Start(settings, timeOutput);
            return executor;
        }
        catch
        {
            await executor.DisposeAsync();
            throw;
        }
    }

    /// <summary>All CPU the executor has used so far, in nanoseconds (its cgroup's, or /proc's 10 ms ticks without one).</summary>
    /// <returns>The CPU time.</returns>
    public long CpuNanoseconds() => Cgroup?.CpuNanoseconds() ?? (long)((ProcessStats.CpuTime(Pid) ?? TimeSpan.Zero).TotalMicroseconds * 1000);

    /// <summary>Waits for the SUBSCRIBE call and for the agent to have taken it on.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>Wall time from process start to SUBSCRIBE and the executor's CPU when it arrived.</returns>
    public async Task<(TimeSpan Wall, long CpuNanoseconds)> WaitForSubscribeAsync(CancellationToken cancellationToken)
    {
        RecordedRequest subscribe = await _subscribe!.WaitAsync(cancellationToken);
        _ = await Agent.WaitForSubscribeAsync(1, cancellationToken);
        return (subscribe.Timestamp - _startedAt, _cpuAtSubscribe ?? CpuNanoseconds());
    }

    /// <summary>Sends LAUNCH and waits for the TASK_RUNNING update.</summary>
    /// <param name="task">The task.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The time from sending LAUNCH to the agent receiving TASK_RUNNING.</returns>
    public async Task<TimeSpan> LaunchAsync(TaskInfo task, CancellationToken cancellationToken)
    {
        string id = task.TaskId.Value;
        Task<RecordedRequest> running = Agent.WaitForCallAsync(
            r => r.Call?.Type == Call.Types.Type.Update && r.Call.Update.Status.State == TaskState.TaskRunning && r.Call.Update.Status.TaskId.Value == id,
            cancellationToken);
        DateTimeOffset sent = TimeProvider.System.GetUtcNow();
        await Agent.SendLaunchAsync(task, cancellationToken);
        RecordedRequest update = await running;
        return update.Timestamp - sent;
    }

    /// <summary>Kills the task (if any), sends SHUTDOWN if the executor has not ended by itself, and waits for it to exit.</summary>
    /// <param name="taskId">The task to kill first, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the process has exited.</returns>
    public async Task StopAsync(TaskID? taskId, CancellationToken cancellationToken)
    {
        if (taskId != null)
        {
            await Agent.SendKillAsync(taskId, cancellationToken: cancellationToken);
            _ = await Agent.WaitForStatusAsync(taskId.Value, TaskState.TaskKilled, cancellationToken);
        }

        if (!Process.HasExited && Agent.IsSubscribed)
        {
            try
            {
                await Agent.SendShutdownAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException)
            {
                // It closed its stream on its way out: the Docker executor ends after its task.
            }
        }

        await Process.WaitForExitAsync(cancellationToken);
    }

    /// <summary>Writes the executor's last lines of output on stderr.</summary>
    /// <param name="why">What happened.</param>
    public void DumpLog(string why)
    {
        Console.Error.WriteLine($"footprint: {why}; the last lines of executor {ContainerName}:");
        foreach (string line in _log)
        {
            Console.Error.WriteLine("  " + line);
        }
    }

    /// <summary>Kills the process if it still runs, removes its cgroup and sandbox and stops its agent.</summary>
    /// <returns>A task that completes when done.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_process != null)
        {
            if (!_process.HasExited)
            {
                try
                {
                    _process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                }

                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(timeout.Token);
            }

            _process.Dispose();
        }

        if (Cgroup != null)
        {
            await Cgroup.RemoveAsync();
        }

        await Agent.DisposeAsync();
        try
        {
            _sandbox.Delete(recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }

    private bool OnRequest(RecordedRequest request)
    {
        if (request.Call?.Type != Call.Types.Type.Subscribe)
        {
            return false;
        }

        _cpuAtSubscribe ??= CpuNanoseconds();
        return true;
    }

    private Process Start(FootprintSettings settings, string? timeOutput)
    {
        var start = new ProcessStartInfo { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        var command = new List<string>();
        if (timeOutput != null)
        {
            // /usr/bin/time outside the cgroup wrapper, which execs the executor in its place: time
            // reports the executor, and the cgroup holds the executor alone.
            command.AddRange(["/usr/bin/time", "-v", "-o", timeOutput]);
        }

        if (Cgroup != null)
        {
            command.AddRange(["/bin/sh", "-c", EnterCgroupScript, "sh"]);
            command.AddRange(Cgroup.ProcsFiles);
            command.Add("--");
        }

        if (settings.Executor.EndsWith(".dll", StringComparison.Ordinal))
        {
            command.Add("dotnet");
        }

        command.Add(settings.Executor);

        // The flags a Mesos agent passes to its Docker executor.
        command.AddRange(
        [
            "--container=" + ContainerName,
            "--docker=docker", "--docker_socket=/var/run/docker.sock", "--sandbox_directory=" + _sandbox.FullName,
            "--mapped_directory=/mnt/mesos/sandbox", "--stop_timeout=0ns", "--launcher_dir=/usr/libexec/mesos",
            "--cgroups_enable_cfs=false", "--logging_level=INFO", "--logbufsecs=0", "--quiet=false",
            "--initialize_driver_logging=true",
        ]);
        command.Add("--config=" + HarnessConfig(settings.Config, _sandbox.FullName));

        start.FileName = command[0];
        foreach (string argument in command[1..])
        {
            start.ArgumentList.Add(argument);
        }

        foreach (KeyValuePair<string, string> variable in Agent.CreateExecutorEnvironment(new FakeExecutorEnvironmentOptions { Directory = _sandbox.FullName, Sandbox = _sandbox.FullName }))
        {
            start.Environment[variable.Key] = variable.Value;
        }

        start.Environment["MESOS_EXECUTOR_HOOKS__ENABLED"] = "remove-container";
        start.Environment["MESOS_EXECUTOR_DOCKER__EXTRA_LABELS"] = DockerCli.Label + "=" + settings.RunId;
        var process = new Process { StartInfo = start };
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        _ = process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return process;
    }

    /// <summary>
    /// The measured configuration plus the harness's opt-in to environment configuration (all
    /// keys): the harness labels and removes its containers through MESOS_EXECUTOR_* variables,
    /// and so can whoever runs measure.sh (e.g. MESOS_EXECUTOR_MEMORY__RELEASE_FILE_PAGES=false).
    /// </summary>
    private static string HarnessConfig(string? config, string sandbox)
    {
        const string OptIn = "environment_overrides: [all]";
        string text = config != null ? File.ReadAllText(config) : string.Empty;
        string[] lines = text.Split('\n');
        bool replaced = false;
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith("environment_overrides:", StringComparison.Ordinal))
            {
                lines[i] = OptIn;
                replaced = true;
            }
        }

        // In the sandbox, which is deleted after the run.
        string path = Path.Combine(sandbox, ".footprint-config.yaml");
        File.WriteAllText(path, string.Join('\n', lines) + (replaced ? string.Empty : "\n" + OptIn + "\n"));
        return path;
    }

    private void Keep(string? line)
    {
        if (line == null)
        {
            return;
        }

        _log.Enqueue(line);
        while (_log.Count > 50)
        {
            _ = _log.TryDequeue(out _);
        }
    }
}
