using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Mesos.Executor.Integration.Tests.Reference;

/// <summary>
/// The reference executor binary as a separate process, started the way a Mesos agent starts it.
/// By default the build output copied beside the tests (<c>dotnet mesos-executor.dll</c>); set
/// <c>MESOS_EXECUTOR_TEST_BINARY</c> to test another build, e.g. the NativeAOT one in
/// <c>artifacts/executor/mesos-executor</c>.
/// </summary>
internal sealed class ExecutorProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly ExecutorOutputFiles? _files;

    private ExecutorProcess(Process process, ExecutorOutputFiles? files)
    {
        _process = process;
        _files = files;
    }

    /// <summary>
    /// The executor under test: <c>MESOS_EXECUTOR_TEST_BINARY</c> when set; else the NativeAOT
    /// build in <c>artifacts/executor/mesos-executor</c> when it is newer than the build output
    /// (so a stale publish is never tested); else the build output beside the tests, run with dotnet.
    /// </summary>
    public static string Binary { get; } = FindBinary();

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>What the executor wrote to stderr so far (its log, and its tasks' stderr).</summary>
    public IReadOnlyCollection<string> StandardError => _files is { } files ? ReadLines(files.StandardError) : _stderr;

    /// <summary>What the executor wrote to stdout so far (its tasks' stdout).</summary>
    public IReadOnlyCollection<string> StandardOutput => _files is { } files ? ReadLines(files.StandardOutput) : _stdout;

    /// <summary>Everything on stderr, for assertion messages.</summary>
    public string Log => string.Join(Environment.NewLine, StandardError);

    /// <summary>Starts the executor.</summary>
    /// <param name="arguments">Its command line.</param>
    /// <param name="environment">Variables added to (or, when null, removed from) the inherited environment.</param>
    /// <param name="files">
    /// When given, stdout and stderr are these files opened with <c>O_APPEND</c> (the agent's
    /// default container logger) instead of pipes read by the test.
    /// </param>
    /// <returns>The running process.</returns>
    public static ExecutorProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, ExecutorOutputFiles? files = null)
    {
        var start = new ProcessStartInfo
        {
            UseShellExecute = false,
            RedirectStandardError = files == null,
            RedirectStandardOutput = files == null,
            RedirectStandardInput = true,
        };
        string binary = Binary;
        if (files != null)
        {
            // The shell only opens the files (">>" is O_APPEND) and execs the executor: its paths
            // and the executor's arguments are positional parameters, never part of the script.
            start.FileName = "/bin/sh";
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("out=$1; err=$2; shift 2; exec \"$@\" >>\"$out\" 2>>\"$err\"");
            start.ArgumentList.Add("sh");
            start.ArgumentList.Add(files.StandardOutput);
            start.ArgumentList.Add(files.StandardError);
            if (binary.EndsWith(".dll", StringComparison.Ordinal))
            {
                start.ArgumentList.Add("dotnet");
            }

            start.ArgumentList.Add(binary);
        }
        else if (binary.EndsWith(".dll", StringComparison.Ordinal))
        {
            start.FileName = "dotnet";
            start.ArgumentList.Add(binary);
        }
        else
        {
            start.FileName = binary;
        }

        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // A clean slate: no MESOS_* or configuration variables leak in from the test runner.
        foreach (string name in new List<string>(start.Environment.Keys))
        {
            if (name.StartsWith("MESOS_", StringComparison.Ordinal) || name == "DOCKER_HOST")
            {
                start.Environment.Remove(name);
            }
        }

        foreach (KeyValuePair<string, string?> variable in environment)
        {
            if (variable.Value == null)
            {
                start.Environment.Remove(variable.Key);
            }
            else
            {
                start.Environment[variable.Key] = variable.Value;
            }
        }

        var process = new Process { StartInfo = start };
        var executor = new ExecutorProcess(process, files);
        if (files != null)
        {
            process.Start();
            executor._stderrClosed.SetResult();
            executor._stdoutClosed.SetResult();
            return executor;
        }

        process.ErrorDataReceived += (_, e) => Collect(executor._stderr, executor._stderrClosed, e.Data);
        process.OutputDataReceived += (_, e) => Collect(executor._stdout, executor._stdoutClosed, e.Data);
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return executor;
    }

    /// <summary>Waits for the process to exit and for its output to be read.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The exit code.</returns>
    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken);
        await Task.WhenAll(_stderrClosed.Task, _stdoutClosed.Task).WaitAsync(cancellationToken);
        return _process.ExitCode;
    }

    /// <summary>Sends a signal with <c>kill</c> (no shell involved).</summary>
    /// <param name="signal">The signal name, e.g. TERM.</param>
    /// <param name="cancellationToken">Cancels the wait for <c>kill</c>.</param>
    /// <returns>A task that completes when the signal was sent.</returns>
    public async Task SignalAsync(string signal, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("kill") { UseShellExecute = false };
        start.ArgumentList.Add("-" + signal);
        start.ArgumentList.Add(_process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using Process kill = Process.Start(start)!;
        await kill.WaitForExitAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }

    private static string FindBinary()
    {
        string? configured = Environment.GetEnvironmentVariable("MESOS_EXECUTOR_TEST_BINARY");
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }

        string dll = Path.Combine(AppContext.BaseDirectory, "mesos-executor.dll");
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory != null; directory = directory.Parent)
        {
            string aot = Path.Combine(directory.FullName, "artifacts", "executor", "mesos-executor");
            if (File.Exists(Path.Combine(directory.FullName, "Mesos.Executor.slnx")))
            {
                return File.Exists(aot) && File.GetLastWriteTimeUtc(aot) >= File.GetLastWriteTimeUtc(dll) ? aot : dll;
            }
        }

        return dll;
    }

    private static string[] ReadLines(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        string text = File.ReadAllText(path);
        return text.Split('\n')[..^(text.EndsWith('\n') || text.Length == 0 ? 1 : 0)];
    }

    private static void Collect(ConcurrentQueue<string> lines, TaskCompletionSource closed, string? line)
    {
        if (line == null)
        {
            closed.TrySetResult();
        }
        else
        {
            lines.Enqueue(line);
        }
    }
}
