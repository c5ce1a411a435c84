using System;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.Executor.Docker.Internal.Engine;
using Microsoft.Extensions.Logging;

namespace Mesos.Executor.Docker.Internal;

/// <summary>
/// Runs a command in a running container (command checks and hooks): attached, its output
/// discarded, then its exit code read. On timeout or cancellation the command's process and its
/// children are killed by the host pid the engine reports (the engine has no call to kill an exec),
/// so the executor must see the host's processes.
/// </summary>
internal sealed class ContainerExec
{
    private static readonly TimeSpan ExitCodePollInterval = TimeSpan.FromMilliseconds(10);

    private readonly EngineCalls _calls;
    private readonly ILogger _logger;

    public ContainerExec(EngineCalls calls, ILogger logger)
    {
        _calls = calls;
        _logger = logger;
    }

    /// <exception cref="ContainerizerException">The container does not exist or the engine failed.</exception>
    public async Task<ExecResult> RunAsync(string containerId, ExecRequest request, CancellationToken cancellationToken)
    {
        string what = $"running a command in container {Log.ShortId(containerId)}";
        string execId = await _calls.RunAsync(
            what,
            shortCall: true,
            async token =>
            {
                try
                {
                    return await _calls.Engine.CreateExecAsync(containerId, Parameters(request), token).ConfigureAwait(false);
                }
                catch (DockerRequestException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
                {
                    throw new ContainerizerException($"{what} failed: no such container");
                }
            },
            cancellationToken).ConfigureAwait(false);

        var attached = await _calls.RunAsync(
            what,
            shortCall: true,
            token => _calls.Engine.StartExecAsync(execId, token),
            cancellationToken).ConfigureAwait(false);

        if (!await RunToEndAsync(containerId, execId, attached, request.Timeout, what, cancellationToken).ConfigureAwait(false))
        {
            return new ExecResult { ExitCode = -1, TimedOut = true };
        }

        // The stream can close a moment before the engine records the exit code.
        long started = _calls.TimeProvider.GetTimestamp();
        while (true)
        {
            var inspect = await _calls.RunAsync(
                what,
                shortCall: true,
                token => _calls.Engine.InspectExecAsync(execId, token),
                cancellationToken).ConfigureAwait(false);
            if (!inspect.Running && inspect.ExitCode is { } exitCode)
            {
                return new ExecResult { ExitCode = (int)exitCode };
            }

            if (_calls.TimeProvider.GetElapsedTime(started) > _calls.ShortCallTimeout)
            {
                throw new ContainerizerException($"{what} failed: the engine reports no exit code for the finished command");
            }

            await Task.Delay(ExitCodePollInterval, _calls.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The engine's exec parameters for <paramref name="request"/>, attached to stdout and stderr.</summary>
    internal static ContainerExecCreateParameters Parameters(ExecRequest request)
    {
        var parameters = new ContainerExecCreateParameters
        {
            Cmd = request.Arguments.ToList(),
            User = request.User ?? string.Empty,
            AttachStdout = true,
            AttachStderr = true,
        };
        if (request.Environment is { } environment)
        {
            parameters.Env = environment.Select(e => e.Key + "=" + e.Value).ToList();
        }

        return parameters;
    }

    /// <summary>Reads the attached output to its end; <see langword="false"/> when <paramref name="timeout"/> passed first (the command is killed).</summary>
    private async Task<bool> RunToEndAsync(
        string containerId, string execId, HttpResponseMessage attached, TimeSpan? timeout, string what, CancellationToken cancellationToken)
    {
        using (attached)
        {
            using var drain = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _calls.Disposing);
            Task output = DiscardAsync(attached, drain.Token);
            try
            {
                if (timeout is { } limit && limit > TimeSpan.Zero)
                {
                    await output.WaitAsync(limit, _calls.TimeProvider, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await output.WaitAsync(cancellationToken).ConfigureAwait(false);
                }

                return true;
            }
            catch (TimeoutException)
            {
                await KillAsync(containerId, execId, timeout!.Value).ConfigureAwait(false);
                return false;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await KillAsync(containerId, execId, null).ConfigureAwait(false);
                throw;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw _calls.Translate(ex, what);
            }
            finally
            {
                await drain.CancelAsync().ConfigureAwait(false);
                await output.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>Kills a started command (and its children) by its host pid; failures are logged.</summary>
    private async Task KillAsync(string containerId, string execId, TimeSpan? timeout)
    {
        long pid = 0;
        try
        {
            using var timer = new CancellationTokenSource(_calls.ShortCallTimeout, _calls.TimeProvider);
            var inspect = await _calls.Engine.InspectExecAsync(execId, timer.Token).ConfigureAwait(false);
            if (!inspect.Running || inspect.Pid <= 0)
            {
                return;
            }

            pid = inspect.Pid;
            if (timeout is { } t)
            {
                Log.ExecTimedOut(_logger, Log.ShortId(containerId), t, pid);
            }

            using var process = Process.GetProcessById((int)pid);
            process.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or Win32Exception or NotSupportedException
            or OperationCanceledException or HttpRequestException or IOException or SocketException or DockerRequestException or JsonException)
        {
            Log.ExecKillFailed(_logger, Log.ShortId(containerId), pid, ex.Message);
        }
    }

    /// <summary>Reads an attached exec's output to its end, discarding it.</summary>
    private static async Task DiscardAsync(HttpResponseMessage attached, CancellationToken cancellationToken)
    {
        using Stream output = await attached.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await output.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
    }
}
