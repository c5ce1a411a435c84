using System;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Mesos.V1;
using Microsoft.Extensions.Logging;

namespace Mesos.Executor.Core.Checks;

/// <summary>
/// Runs a task's health check and generalized check and decides when to notify the executor
/// loop, with the semantics of Mesos's checker library (src/checks/health_checker.cpp,
/// checker.cpp, checker_process.cpp). It only decides WHEN and WHAT to notify; the loop turns
/// notifications into status updates and kills the task.
/// </summary>
/// <remarks>
/// <para>
/// Both checks: the first probe <c>delay_seconds</c> after <see cref="Start"/>, each next one
/// <c>interval_seconds</c> after the previous one completed; <c>timeout_seconds</c> bounds a probe
/// (0 = none). All timing goes through the <see cref="TimeProvider"/>.
/// </para>
/// <para>
/// Health check: while no probe has passed yet and no more than <c>grace_period_seconds</c> have
/// passed since <see cref="Start"/>, failures are ignored; after the first pass grace never applies
/// again. <see cref="HealthNotification"/> with healthy=true on the first pass and on the first
/// pass after failures; with healthy=false on every counted failure (a timeout is one), with
/// <c>KillTask</c> at <c>consecutive_failures</c>, after which the health check stops.
/// </para>
/// <para>
/// Check: a <see cref="CheckStatusNotification"/> only when the <see cref="CheckStatusInfo"/>
/// differs from the previous one (initially the empty status); a timeout or an error gives the
/// empty status of the check's type. No interpretation, grace or kill.
/// </para>
/// </remarks>
internal sealed class TaskCheckRunner : IAsyncDisposable
{
    /// <summary>How long past its timeout a probe that ignores it is abandoned.</summary>
    private static readonly TimeSpan ProbeBackstop = TimeSpan.FromSeconds(1);

    /// <summary>The longest single timer (Task.Delay's limit is about 49.7 days).</summary>
    private static readonly TimeSpan MaxTimer = TimeSpan.FromDays(24);

    private readonly TaskID _taskId;
    private readonly IHealthCheck _probe;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Func<CheckNotification, CancellationToken, ValueTask> _notify;
    private readonly HealthSettings? _health;
    private readonly CheckSettings? _check;
    private readonly CancellationTokenSource _stopping = new();
    private long _startTimestamp;
    private Task? _healthLoop;
    private Task? _checkLoop;
    private int _state; // 0 new, 1 started, 2 disposed
    private TaskCompletionSource? _disposal;

    /// <summary>Prepares the checks of <paramref name="task"/>; nothing runs until <see cref="Start"/>.</summary>
    /// <param name="task">The task; its <c>health_check</c> and <c>check</c> must be valid (<see cref="CheckValidation"/>).</param>
    /// <param name="container">The task's running container.</param>
    /// <param name="containerizer">Runs command probes.</param>
    /// <param name="probe">Performs one probe.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">Where check events go.</param>
    /// <param name="notify">Receives notifications, one at a time per check.</param>
    /// <exception cref="ArgumentException">The task's checks are invalid.</exception>
    public TaskCheckRunner(
        TaskInfo task,
        ContainerDetails container,
        IContainerizer containerizer,
        IHealthCheck probe,
        TimeProvider timeProvider,
        ILogger logger,
        Func<CheckNotification, CancellationToken, ValueTask> notify)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(containerizer);
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(notify);
        string? error = CheckValidation.Validate(task);
        if (error != null)
        {
            throw new ArgumentException(error, nameof(task));
        }

        _taskId = task.TaskId?.Clone() ?? new TaskID();
        _probe = probe;
        _timeProvider = timeProvider;
        _logger = logger;
        _notify = notify;
        if (task.HealthCheck is { } healthCheck)
        {
            _health = HealthSettings.From(healthCheck, container, containerizer);
        }

        if (task.Check is { } check)
        {
            _check = CheckSettings.From(check, container, containerizer);
        }
    }

    /// <summary>Whether <paramref name="task"/> has a health check or a check.</summary>
    /// <param name="task">The task.</param>
    /// <returns><see langword="true"/> when a runner has something to do.</returns>
    public static bool HasChecks(TaskInfo task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return task.HealthCheck != null || task.Check != null;
    }

    /// <summary>
    /// Starts the health-check and check loops. Each runs synchronously up to its first wait, so
    /// with a zero delay the first probe has started when this returns.
    /// </summary>
    /// <exception cref="InvalidOperationException">Already started.</exception>
    /// <exception cref="ObjectDisposedException">Disposed.</exception>
    public void Start()
    {
        int previous = Interlocked.CompareExchange(ref _state, 1, 0);
        ObjectDisposedException.ThrowIf(previous == 2, this);
        if (previous == 1)
        {
            throw new InvalidOperationException("The checks are already running.");
        }

        _startTimestamp = _timeProvider.GetTimestamp();
        Log.CheckRunnerStarted(_logger, _taskId.Value, _health?.TypeName ?? "none", _check?.TypeName ?? "none");
        var token = _stopping.Token;
        if (_health != null)
        {
            _healthLoop = RunHealthCheckAsync(_health, token);
        }

        if (_check != null)
        {
            _checkLoop = RunCheckAsync(_check, token);
        }
    }

    /// <summary>Stops the checks (cancelling probes in flight, which kills running check commands) and waits for the loops. Idempotent.</summary>
    /// <returns>A task that completes when the loops have ended.</returns>
    public ValueTask DisposeAsync()
    {
        var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var existing = Interlocked.CompareExchange(ref _disposal, created, null);
        if (existing != null)
        {
            return new ValueTask(existing.Task);
        }

        Volatile.Write(ref _state, 2);
        return new ValueTask(DisposeCoreAsync(created));
    }

    private async Task DisposeCoreAsync(TaskCompletionSource done)
    {
        try
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
            foreach (var loop in new[] { _healthLoop, _checkLoop })
            {
                if (loop != null)
                {
                    // The loops end on cancellation and never throw.
                    await loop.ConfigureAwait(false);
                }
            }

            _stopping.Dispose();
            Log.CheckRunnerStopped(_logger, _taskId.Value);
        }
        finally
        {
            done.TrySetResult();
        }
    }

    private async Task RunHealthCheckAsync(HealthSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            await DelayAsync(settings.Delay, yieldWhenZero: false, cancellationToken).ConfigureAwait(false);
            bool initializing = true;
            int failures = 0;
            while (true)
            {
                var result = await ProbeOnceAsync(settings.Request, settings.TypeName, cancellationToken).ConfigureAwait(false);
                if (result.Succeeded)
                {
                    // Notify on the first success and on the first success after failures.
                    if (initializing || failures > 0)
                    {
                        initializing = false;
                        failures = 0;
                        Log.HealthCheckHealthy(_logger, _taskId.Value, settings.TypeName);
                        await NotifyAsync(new HealthNotification(_taskId, Healthy: true, ConsecutiveFailures: 0, KillTask: false, Message: null), cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        Log.HealthCheckPassed(_logger, _taskId.Value, settings.TypeName);
                    }
                }
                else
                {
                    string reason = result.Message ?? (result.TimedOut ? "timed out" : "failed");
                    if (initializing && settings.GracePeriod > TimeSpan.Zero && _timeProvider.GetElapsedTime(_startTimestamp) <= settings.GracePeriod)
                    {
                        Log.HealthCheckFailureInGracePeriod(_logger, _taskId.Value, settings.TypeName, reason);
                    }
                    else
                    {
                        failures++;
                        bool kill = failures >= settings.ConsecutiveFailures;
                        Log.HealthCheckFailed(_logger, _taskId.Value, settings.TypeName, failures, reason);
                        string message = $"{settings.TypeName} health check failed {failures} times consecutively: {reason}";
                        await NotifyAsync(new HealthNotification(_taskId, Healthy: false, failures, kill, message), cancellationToken).ConfigureAwait(false);
                        if (kill)
                        {
                            Log.HealthCheckKillingTask(_logger, _taskId.Value, failures);
                            return;
                        }
                    }
                }

                await DelayAsync(settings.Interval, yieldWhenZero: true, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task RunCheckAsync(CheckSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            await DelayAsync(settings.Delay, yieldWhenZero: false, cancellationToken).ConfigureAwait(false);
            var empty = CheckStatuses.Empty(settings.Type);
            var previous = empty;
            while (true)
            {
                var result = await ProbeOnceAsync(settings.Request, settings.TypeName, cancellationToken).ConfigureAwait(false);
                var status = CheckStatuses.FromProbe(settings.Type, result);
                if (!CheckStatuses.AreEqual(status, previous))
                {
                    previous = status;
                    Log.CheckStatusChanged(_logger, _taskId.Value, settings.TypeName, CheckStatuses.Describe(status));
                    await NotifyAsync(new CheckStatusNotification(_taskId, status.Clone()), cancellationToken).ConfigureAwait(false);
                }

                if (CheckStatuses.AreEqual(status, empty))
                {
                    Log.CheckNotAvailable(_logger, _taskId.Value, settings.TypeName, result.Message ?? "timed out");
                }

                await DelayAsync(settings.Interval, yieldWhenZero: true, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Runs one probe; never throws except when <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <remarks>
    /// Internal rather than private for the benchmarks (benchmarks/Mesos.Executor.Benchmarks/CheckBenchmarks.cs):
    /// one probe as the check loops run it. A pooled <see cref="ValueTask{TResult}"/>: await it once.
    /// </remarks>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    internal async ValueTask<ProbeResult> ProbeOnceAsync(ProbeRequest request, string typeName, CancellationToken cancellationToken)
    {
        using var probeCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task<ProbeResult> probe;
        try
        {
            probe = _probe.ProbeAsync(request, probeCancellation.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.CheckProbeThrew(_logger, ex, _taskId.Value, typeName);
            return new ProbeResult { Succeeded = false, Message = ex.Message };
        }

        try
        {
            // The probe honours its timeout; this backstop only catches one that does not.
            var backstop = request.Timeout + ProbeBackstop;
            return request.Timeout > TimeSpan.Zero && backstop <= MaxTimer
                ? await probe.WaitAsync(backstop, _timeProvider, cancellationToken).ConfigureAwait(false)
                : await probe.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Synchronously: the outcome must be decided before the next timer of the loop is set.
#pragma warning disable CA1849 // CancelAsync would hop threads
            probeCancellation.Cancel();
#pragma warning restore CA1849
            Observe(probe);
            return new ProbeResult { Succeeded = false, TimedOut = true, Message = $"timed out after {request.Timeout.TotalSeconds}s" };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The linked source may not have heard yet (or ever, once disposed): tell the probe now.
#pragma warning disable CA1849 // CancelAsync would hop threads
            probeCancellation.Cancel();
#pragma warning restore CA1849
            Observe(probe);
            throw;
        }
        catch (Exception ex)
        {
            Log.CheckProbeThrew(_logger, ex, _taskId.Value, typeName);
            return new ProbeResult { Succeeded = false, Message = ex.Message };
        }
    }

    private async ValueTask NotifyAsync(CheckNotification notification, CancellationToken cancellationToken)
    {
        try
        {
            await _notify(notification, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.CheckNotifyFailed(_logger, ex, _taskId.Value);
        }
    }

    private async Task DelayAsync(TimeSpan delay, bool yieldWhenZero, CancellationToken cancellationToken)
    {
        if (delay <= TimeSpan.Zero)
        {
            if (yieldWhenZero)
            {
                // A zero interval must not turn into a synchronous loop.
                await Task.CompletedTask.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
            }

            cancellationToken.ThrowIfCancellationRequested();
            return;
        }

        while (delay > TimeSpan.Zero)
        {
            var step = delay < MaxTimer ? delay : MaxTimer;
            await Task.Delay(step, _timeProvider, cancellationToken).ConfigureAwait(false);
            delay -= step;
        }
    }

    private static void Observe(Task task) =>
        _ = task.ContinueWith(
            static t => _ = t.Exception,
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

    private static TimeSpan Seconds(double seconds) => TimeSpan.FromSeconds(seconds);

    private static string KindName(ProbeKind kind) => kind switch
    {
        ProbeKind.Command => "COMMAND",
        ProbeKind.Http => "HTTP",
        ProbeKind.Https => "HTTPS",
        ProbeKind.Tcp => "TCP",
        _ => "UNKNOWN",
    };

    private sealed record HealthSettings(
        ProbeRequest Request,
        string TypeName,
        TimeSpan Delay,
        TimeSpan Interval,
        TimeSpan GracePeriod,
        int ConsecutiveFailures)
    {
        public static HealthSettings From(HealthCheck check, ContainerDetails container, IContainerizer containerizer)
        {
            var request = check.Type switch
            {
                HealthCheck.Types.Type.Command => new ProbeRequest
                {
                    Kind = ProbeKind.Command,
                    Container = container,
                    Containerizer = containerizer,
                    Command = check.Command.Clone(),
                    Timeout = Seconds(check.TimeoutSeconds),
                },
                HealthCheck.Types.Type.Http => new ProbeRequest
                {
                    Kind = check.Http.HasScheme && check.Http.Scheme == "https" ? ProbeKind.Https : ProbeKind.Http,
                    Container = container,
                    Containerizer = containerizer,
                    Port = (int)check.Http.Port,
                    Path = string.IsNullOrEmpty(check.Http.Path) ? "/" : check.Http.Path,
                    IPv6 = check.Http.Protocol == NetworkInfo.Types.Protocol.Ipv6,
                    Timeout = Seconds(check.TimeoutSeconds),
                },
                _ => new ProbeRequest
                {
                    Kind = ProbeKind.Tcp,
                    Container = container,
                    Containerizer = containerizer,
                    Port = (int)check.Tcp.Port,
                    IPv6 = check.Tcp.Protocol == NetworkInfo.Types.Protocol.Ipv6,
                    Timeout = Seconds(check.TimeoutSeconds),
                },
            };
            return new HealthSettings(
                request,
                KindName(request.Kind),
                Seconds(check.DelaySeconds),
                Seconds(check.IntervalSeconds),
                Seconds(check.GracePeriodSeconds),
                (int)Math.Min(check.ConsecutiveFailures, int.MaxValue));
        }
    }

    private sealed record CheckSettings(
        ProbeRequest Request,
        CheckInfo.Types.Type Type,
        string TypeName,
        TimeSpan Delay,
        TimeSpan Interval)
    {
        public static CheckSettings From(CheckInfo check, ContainerDetails container, IContainerizer containerizer)
        {
            // Generalized HTTP checks are plain http on IPv4 (CheckInfo.Http has neither scheme nor protocol).
            var request = check.Type switch
            {
                CheckInfo.Types.Type.Command => new ProbeRequest
                {
                    Kind = ProbeKind.Command,
                    Container = container,
                    Containerizer = containerizer,
                    Command = check.Command.Command_.Clone(),
                    Timeout = Seconds(check.TimeoutSeconds),
                },
                CheckInfo.Types.Type.Http => new ProbeRequest
                {
                    Kind = ProbeKind.Http,
                    Container = container,
                    Containerizer = containerizer,
                    Port = (int)check.Http.Port,
                    Path = string.IsNullOrEmpty(check.Http.Path) ? "/" : check.Http.Path,
                    Timeout = Seconds(check.TimeoutSeconds),
                },
                _ => new ProbeRequest
                {
                    Kind = ProbeKind.Tcp,
                    Container = container,
                    Containerizer = containerizer,
                    Port = (int)check.Tcp.Port,
                    Timeout = Seconds(check.TimeoutSeconds),
                },
            };
            return new CheckSettings(request, check.Type, KindName(request.Kind), Seconds(check.DelaySeconds), Seconds(check.IntervalSeconds));
        }
    }
}
