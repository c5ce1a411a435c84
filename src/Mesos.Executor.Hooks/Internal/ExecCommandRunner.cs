using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Mesos.Executor.Hooks.Internal;

/// <summary>How an <c>exec</c> hook command ended.</summary>
/// <param name="ExitCode">The exit code; <see langword="null"/> when it did not start or was killed at the timeout.</param>
/// <param name="TimedOut">Whether it was killed at the timeout.</param>
/// <param name="StartError">Why it could not be started, if it could not.</param>
/// <param name="Stdout">The start of its stdout.</param>
/// <param name="Stderr">The start of its stderr.</param>
internal sealed record ExecCommandResult(int? ExitCode, bool TimedOut, string? StartError, CapturedOutput Stdout, CapturedOutput Stderr)
{
    public bool Succeeded => ExitCode == 0;
}

/// <summary>The first bytes of a stream and how many more were dropped.</summary>
internal sealed record CapturedOutput(string Text, long DroppedBytes)
{
    public static CapturedOutput Empty { get; } = new(string.Empty, 0);
}

/// <summary>
/// Runs one command for the <c>exec</c> hook: argv with <see cref="ProcessStartInfo.ArgumentList"/>
/// (never a shell), a fixed environment (nothing inherited, so neither the executor's nor the
/// task's variables leak), a JSON document on stdin, bounded capture of stdout and stderr, and the
/// whole process tree killed at the timeout or on cancellation.
/// </summary>
internal static class ExecCommandRunner
{
    /// <summary>The PATH the command gets (the executor's own is not passed on).</summary>
    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>How long to wait for the output pipes to close after the command ended (a child it left behind may hold them).</summary>
    private static readonly TimeSpan OutputDrainTimeout = TimeSpan.FromSeconds(2);

    public static async Task<ExecCommandResult> RunAsync(
        IReadOnlyList<string> command,
        IReadOnlyDictionary<string, string> environment,
        byte[] input,
        TimeSpan timeout,
        int maxOutputBytes,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var startInfo = new ProcessStartInfo(command[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = "/",
        };
        for (int i = 1; i < command.Count; i++)
        {
            startInfo.ArgumentList.Add(command[i]);
        }

        startInfo.Environment.Clear();
        startInfo.Environment["PATH"] = DefaultPath;
        foreach ((string name, string value) in environment)
        {
            startInfo.Environment[name] = value;
        }

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException or IOException)
        {
            return new ExecCommandResult(null, false, ex.Message, CapturedOutput.Empty, CapturedOutput.Empty);
        }

        var stdout = new OutputCapture(maxOutputBytes);
        var stderr = new OutputCapture(maxOutputBytes);
        Task readOut = stdout.ReadAsync(process.StandardOutput.BaseStream);
        Task readErr = stderr.ReadAsync(process.StandardError.BaseStream);
        using var timeoutCts = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeoutCts.Token, cancellationToken);
        Task write = WriteInputAsync(process.StandardInput.BaseStream, input, linked.Token);
        bool timedOut = false;
        try
        {
            await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            KillTree(process);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            timedOut = true;
        }

        await write.ConfigureAwait(false);
        try
        {
            await Task.WhenAll(readOut, readErr).WaitAsync(OutputDrainTimeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A child left behind still holds the pipes: keep what was read.
        }

        return new ExecCommandResult(timedOut ? null : process.ExitCode, timedOut, null, stdout.ToCaptured(), stderr.ToCaptured());
    }

    private static async Task WriteInputAsync(Stream stdin, byte[] input, CancellationToken cancellationToken)
    {
        try
        {
            await stdin.WriteAsync(input, cancellationToken).ConfigureAwait(false);
            await stdin.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The command did not read it all (it exited, or was killed): not an error by itself.
        }
        finally
        {
            try
            {
                stdin.Dispose();
            }
            catch (IOException)
            {
            }
        }
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // Already gone.
        }
    }

    /// <summary>Reads a stream to its end, keeping the first bytes and counting the rest.</summary>
    private sealed class OutputCapture
    {
        private readonly byte[] _kept;
        private int _count;
        private long _dropped;

        public OutputCapture(int max) => _kept = new byte[max];

        public async Task ReadAsync(Stream stream)
        {
            byte[] buffer = new byte[4096];
            try
            {
                int read;
                while ((read = await stream.ReadAsync(buffer).ConfigureAwait(false)) > 0)
                {
                    int take = Math.Min(read, _kept.Length - Volatile.Read(ref _count));
                    Buffer.BlockCopy(buffer, 0, _kept, _count, take);
                    Volatile.Write(ref _count, _count + take);
                    Interlocked.Add(ref _dropped, read - take);
                }
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException)
            {
                // The pipe went away with the process.
            }
        }

        public CapturedOutput ToCaptured() =>
            new(Encoding.UTF8.GetString(_kept, 0, Volatile.Read(ref _count)), Interlocked.Read(ref _dropped));
    }
}
