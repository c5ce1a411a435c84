using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace Mesos.Executor.Docker.Internal;

/// <summary>
/// Streams a container's stdout and stderr to the executor's own stdout and stderr as they are
/// produced, like Mesos's Docker executor (whose <c>docker run</c> inherits them): they belong to
/// the agent's container logger (sandbox files, <c>mesos-logrotate-logger</c>, journald), so the
/// sandbox's log files are never opened here. Follows <c>GET /containers/{id}/logs</c> until the
/// container ends; when the engine goes away (daemon restart) it reconnects and resumes after the
/// last message it wrote, using the log timestamps.
/// </summary>
/// <remarks>
/// Each message the engine sends is written whole, with one <see cref="Stream.Write(ReadOnlySpan{byte})"/>
/// and a flush; the streams serialize those calls (<see cref="Stream.Synchronized"/>) so the output
/// of several containers and the executor's own log lines on the same stream never interleave
/// within a message.
/// </remarks>
internal sealed class ContainerLogPump : IAsyncDisposable
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(5);

    private readonly DockerEngine _engine;
    private readonly string _containerId;
    private readonly Stream _stdout;
    private readonly Stream _stderr;
    private readonly bool _tty;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _reconnectTimeout;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task _completion = Task.CompletedTask;
    private int _disposed;

    private ContainerLogPump(DockerEngine engine, string containerId, Stream stdout, Stream stderr, bool tty, TimeProvider timeProvider, TimeSpan reconnectTimeout, ILogger logger)
    {
        _engine = engine;
        _containerId = containerId;
        _stdout = stdout;
        _stderr = stderr;
        _tty = tty;
        _timeProvider = timeProvider;
        _reconnectTimeout = reconnectTimeout;
        _logger = logger;
    }

    /// <summary>Ends when the container ended and its output is written, or the pump was stopped.</summary>
    public Task Completion => _completion;

    /// <summary>
    /// Starts following the container's output into <paramref name="stdout"/> and
    /// <paramref name="stderr"/> (synchronized streams, not disposed here).
    /// </summary>
    public static ContainerLogPump Start(DockerEngine engine, string containerId, Stream stdout, Stream stderr, bool tty, TimeProvider timeProvider, TimeSpan reconnectTimeout, ILogger logger)
    {
        var pump = new ContainerLogPump(engine, containerId, stdout, stderr, tty, timeProvider, reconnectTimeout, logger);
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
        try
        {
            await PumpAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (OutputWriteException ex)
        {
            // The logger behind the executor's stdout/stderr is gone (closed pipe, full disk).
            Log.OutputWriteFailed(_logger, Log.ShortId(_containerId), ex.Message);
        }
    }

    private async Task PumpAsync(CancellationToken cancellationToken)
    {
        var stdoutLine = new PartialLineJoiner();
        var stderrLine = new PartialLineJoiner();
        try
        {
            await PumpAsync(stdoutLine, stderrLine, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // What the container left mid-line when its output ended: written now, not lost (a
            // stopped pump writes nothing more).
            if (!cancellationToken.IsCancellationRequested)
            {
                Write(_stdout, stdoutLine.Flush().Span);
                Write(_stderr, stderrLine.Flush().Span);
            }
        }
    }

    private async Task PumpAsync(PartialLineJoiner stdoutLine, PartialLineJoiner stderrLine, CancellationToken cancellationToken)
    {
        // Per stream: the engine timestamps stdout and stderr in separate copiers, so only each
        // stream's own messages are in time order.
        var stdoutPosition = new LogResumePosition();
        var stderrPosition = new LogResumePosition();
        string? ttySince = null;
        bool catchingUp = false;
        long? brokenAt = null;
        TimeSpan retry = FirstRetry;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                string? since = _tty ? ttySince : Earliest(stdoutPosition.Last, stderrPosition.Last)?.ToSince();
                stdoutPosition.Resume();
                stderrPosition.Resume();
                using var response = await _engine.FollowLogsAsync(_containerId, timestamps: !_tty, since, cancellationToken, follow: !catchingUp).ConfigureAwait(false);
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
                    if (frame.Timestamp is { } timestamp
                        && !(frame.Stream == LogStream.Stderr ? stderrPosition : stdoutPosition).Accept(timestamp))
                    {
                        continue;
                    }

                    // A line's pieces may span connections: its rest comes after a resume.
                    bool stderr = frame.Stream == LogStream.Stderr;
                    ReadOnlyMemory<byte> data = _tty ? frame.Payload : (stderr ? stderrLine : stdoutLine).Add(frame.Payload);
                    if (!data.IsEmpty)
                    {
                        Write(stderr ? _stderr : _stdout, data.Span);
                    }
                }

                if (catchingUp)
                {
                    return;
                }

                // The stream ends when the container stops, or early when the engine goes away.
                byte[]? json = await _engine.InspectContainerJsonAsync(_containerId, cancellationToken).ConfigureAwait(false);
                if (json is null || !ContainerInspection.Parse(json).IsAlive)
                {
                    // Podman's followed stream can end when the container does, before its last
                    // messages were sent: one more read of what is logged since the last message
                    // written (repeats skipped) catches up.
                    if (json is null || !_engine.IsPodman || _tty)
                    {
                        return;
                    }

                    catchingUp = true;
                    continue;
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
            catch (Exception ex) when (DockerFailures.IsTransient(ex) && ex is not OutputWriteException)
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

    private static void Write(Stream output, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        try
        {
            output.Write(data);
            output.Flush();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or NotSupportedException)
        {
            throw new OutputWriteException(ex.Message, ex);
        }
    }

    /// <summary>Writing to the executor's stdout or stderr failed (not the engine connection).</summary>
    private sealed class OutputWriteException : IOException
    {
        public OutputWriteException()
        {
        }

        public OutputWriteException(string message)
            : base(message)
        {
        }

        public OutputWriteException(string message, Exception innerException)
            : base(message, innerException)
        {
        }
    }
}
