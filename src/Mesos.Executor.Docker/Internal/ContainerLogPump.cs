using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace Mesos.Executor.Docker.Internal;

/// <summary>
/// Streams a container's stdout and stderr into the sandbox's <c>stdout</c> and <c>stderr</c>
/// files as they are produced, like Mesos's Docker executor (whose <c>docker run</c> shares the
/// executor's output files). Follows <c>GET /containers/{id}/logs</c> until the container ends;
/// when the engine goes away (daemon restart) it reconnects and resumes after the last message
/// it wrote, using the log timestamps.
/// </summary>
internal sealed class ContainerLogPump : IAsyncDisposable
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(5);

    private readonly DockerEngine _engine;
    private readonly string _containerId;
    private readonly string _sandboxDirectory;
    private readonly bool _tty;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _reconnectTimeout;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task _completion = Task.CompletedTask;
    private int _disposed;

    private ContainerLogPump(DockerEngine engine, string containerId, string sandboxDirectory, bool tty, TimeProvider timeProvider, TimeSpan reconnectTimeout, ILogger logger)
    {
        _engine = engine;
        _containerId = containerId;
        _sandboxDirectory = sandboxDirectory;
        _tty = tty;
        _timeProvider = timeProvider;
        _reconnectTimeout = reconnectTimeout;
        _logger = logger;
    }

    /// <summary>Ends when the container ended and its output is written, or the pump was stopped.</summary>
    public Task Completion => _completion;

    public static ContainerLogPump Start(DockerEngine engine, string containerId, string sandboxDirectory, bool tty, TimeProvider timeProvider, TimeSpan reconnectTimeout, ILogger logger)
    {
        var pump = new ContainerLogPump(engine, containerId, sandboxDirectory, tty, timeProvider, reconnectTimeout, logger);
        pump._completion = pump.RunAsync(pump._stop.Token);
        return pump;
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the remaining output, then stops the pump.</summary>
    public async Task DrainAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!_completion.IsCompleted)
        {
            try
            {
                await _completion.WaitAsync(timeout, _timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
        }

        await DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            await _completion.ConfigureAwait(false);
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _completion.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        AppendOnlyFile? stdout = null;
        AppendOnlyFile? stderr = null;
        try
        {
            stdout = AppendOnlyFile.Open(Path.Combine(_sandboxDirectory, "stdout"));
            stderr = AppendOnlyFile.Open(Path.Combine(_sandboxDirectory, "stderr"));
            await PumpAsync(stdout, stderr, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (IOException ex) when (ex is not EndOfStreamException)
        {
            Log.LogFileWriteFailed(_logger, Log.ShortId(_containerId), _sandboxDirectory, ex.Message);
        }
        finally
        {
            stdout?.Dispose();
            stderr?.Dispose();
        }
    }

    private async Task PumpAsync(AppendOnlyFile stdout, AppendOnlyFile stderr, CancellationToken cancellationToken)
    {
        // Per stream: the engine timestamps stdout and stderr in separate copiers, so only each
        // stream's own messages are in time order.
        LogTimestamp? lastStdout = null;
        LogTimestamp? lastStderr = null;
        string? ttySince = null;
        long? brokenAt = null;
        TimeSpan retry = FirstRetry;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                string? since = _tty ? ttySince : Earliest(lastStdout, lastStderr)?.ToSince();
                using var response = await _engine.FollowLogsAsync(_containerId, timestamps: !_tty, since, cancellationToken).ConfigureAwait(false);
                if (response is null)
                {
                    return;
                }

                if (brokenAt != null)
                {
                    Log.LogStreamResumed(_logger, Log.ShortId(_containerId));
                    brokenAt = null;
                    retry = FirstRetry;
                }

                await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                var reader = new LogFrameReader(stream, multiplexed: !_tty, timestamps: !_tty);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false) is { } frame)
                {
                    if (frame.Timestamp is { } timestamp)
                    {
                        ref LogTimestamp? last = ref frame.Stream == LogStream.Stderr ? ref lastStderr : ref lastStdout;
                        if (last is { } previous && timestamp <= previous)
                        {
                            continue;
                        }

                        last = timestamp;
                    }

                    Write(frame.Stream == LogStream.Stderr ? stderr : stdout, frame.Payload.Span);
                }

                // The stream ends when the container stops, or early when the engine goes away.
                byte[]? json = await _engine.InspectContainerJsonAsync(_containerId, cancellationToken).ConfigureAwait(false);
                if (json is null || !ContainerInspection.Parse(json).IsAlive)
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (DockerRequestException ex) when (!DockerFailures.IsTransient(ex))
            {
                Log.LogStreamUnavailable(_logger, Log.ShortId(_containerId), ex.Message);
                return;
            }
            catch (Exception ex) when (DockerFailures.IsTransient(ex) && ex is not LogFileException)
            {
                if (brokenAt is null)
                {
                    brokenAt = _timeProvider.GetTimestamp();
                    ttySince = _timeProvider.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
                    Log.LogStreamBroken(_logger, Log.ShortId(_containerId), ex.Message);
                }
                else if (_timeProvider.GetElapsedTime(brokenAt.Value) > _reconnectTimeout)
                {
                    Log.LogStreamAbandoned(_logger, Log.ShortId(_containerId), _reconnectTimeout);
                    return;
                }
            }

            await Task.Delay(retry, _timeProvider, cancellationToken).ConfigureAwait(false);
            retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, MaxRetry.Ticks));
        }
    }

    private static LogTimestamp? Earliest(LogTimestamp? first, LogTimestamp? second) =>
        first is { } a && second is { } b ? (a < b ? a : b) : first ?? second;

    private static void Write(AppendOnlyFile file, ReadOnlySpan<byte> data)
    {
        try
        {
            file.Write(data);
        }
        catch (IOException ex)
        {
            throw new LogFileException(ex.Message, ex);
        }
    }

    /// <summary>Writing a sandbox file failed (not the engine connection).</summary>
    private sealed class LogFileException : IOException
    {
        public LogFileException()
        {
        }

        public LogFileException(string message)
            : base(message)
        {
        }

        public LogFileException(string message, Exception innerException)
            : base(message, innerException)
        {
        }
    }
}
