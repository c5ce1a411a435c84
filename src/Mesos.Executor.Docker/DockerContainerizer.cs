using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
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
using Mesos.Executor.Docker.Internal;
using Mesos.Executor.Docker.Internal.Engine;
using Mesos.Executor.Docker.Internal.Registry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ContainerSpec = Mesos.Executor.Core.ContainerSpec;

namespace Mesos.Executor.Docker;

/// <summary>
/// Runs tasks as Docker containers through the Docker Engine API, with the semantics of Mesos's own
/// Docker executor (src/docker/executor.cpp and <c>Docker::RunOptions::create</c>): the same
/// command, environment, sandbox mount, volumes, networks, port mappings, DNS defaults, resource
/// limits and <c>docker run</c> parameters. The container's stdout and stderr go to the executor's
/// own stdout and stderr (<see cref="DockerContainerizerOptions.StandardOutput"/>,
/// <see cref="DockerContainerizerOptions.StandardError"/>) while it runs, as <c>docker run</c>'s do.
/// </summary>
/// <remarks>
/// <para>
/// Every failure surfaces as <see cref="ContainerizerException"/> whose message names the
/// operation, the container or image and the engine's own explanation; engine types never
/// leave this class. Cancellation surfaces as <see cref="OperationCanceledException"/>.
/// </para>
/// <para>
/// Disposing releases the connections and stops streaming output; it does not stop or remove
/// containers (the executor does that with <see cref="StopAsync"/> and <see cref="RemoveAsync"/>).
/// </para>
/// </remarks>
public sealed class DockerContainerizer : IContainerizer, IAsyncDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxReconnectDelay = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LogDrainTimeout = TimeSpan.FromSeconds(5);

    private readonly DockerContainerizerOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly DockerEngine _engine;
    private readonly RegistryCredentialResolver _credentials;
    private readonly ConcurrentDictionary<string, TrackedContainer> _containers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly Lock _namesLock = new();
    private readonly Lazy<long?> _hostMemory = new(() => HostMemory.TotalBytes());
    private readonly CancellationTokenSource _disposing = new();
    private readonly Stream _stdout;
    private readonly Stream _stderr;
    private readonly List<Stream> _ownedStreams = [];
    private int _derivedNames;
    private int _disposed;

    /// <summary>Creates the containerizer; it connects to the engine on first use.</summary>
    /// <param name="options">The options; validated here.</param>
    /// <param name="loggerFactory">Where to log, or <see langword="null"/> for nowhere.</param>
    /// <param name="timeProvider">The clock for grace periods, timeouts and reconnection backoff; <see langword="null"/> for the system clock.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ExecutorConfigurationException">The options are invalid.</exception>
    public DockerContainerizer(DockerContainerizerOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<DockerContainerizer>();
        _timeProvider = timeProvider ?? TimeProvider.System;
        _engine = new DockerEngine(options.ResolveEndpoint(), options.ApiVersion, _logger);
        _stdout = OutputStream(options.StandardOutput, Console.OpenStandardOutput);
        _stderr = OutputStream(options.StandardError, Console.OpenStandardError);
        _credentials = new RegistryCredentialResolver(options.DockerConfigPath, _logger);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Maps the task (see the package README for every field), makes sure the image is present
    /// (pulling it per <see cref="DockerContainerizerOptions.Pull"/>, <c>force_pull_image</c> or the
    /// <c>pull</c> parameter) and creates the container.
    /// </remarks>
    public async Task<string> CreateAsync(ContainerSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        string taskId = spec.Task.TaskId?.Value ?? string.Empty;
        string name = AllocateName(spec, taskId);
        try
        {
            return await CreateAsync(spec, taskId, name, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // No container has the name: the next task may have it.
            lock (_namesLock)
            {
                _names.Remove(name);
            }

            throw;
        }
    }

    private async Task<string> CreateAsync(ContainerSpec spec, string taskId, string name, CancellationToken cancellationToken)
    {
        string? sandbox = spec.SandboxDirectory ?? _options.SandboxDirectory;
        var mapped = ContainerMapping.Map(spec, new MappingSettings
        {
            ContainerName = name,
            SandboxDirectory = sandbox,
            MappedDirectory = _options.MappedDirectory,
            TaskEnvironment = _options.TaskEnvironment,
            DefaultContainerDns = _options.DefaultContainerDns,
            CgroupsEnableCfs = _options.CgroupsEnableCfs,
            Pull = _options.Pull,
            ImagePulledByAgent = _options.ImagePulledByAgent,
            ExtraLabels = _options.ExtraLabels,
            HostMemoryBytes = _hostMemory.Value,
            UseCommandUser = _options.UseCommandUser,
            DisableSwap = _options.DisableSwap,
        });

        bool forcePullLeftToAgent = _options.ImagePulledByAgent && spec.Task.Container?.Docker?.ForcePullImage == true;
        await EnsureImageAsync(mapped.Image, mapped.Pull, sandbox, forcePullLeftToAgent, cancellationToken).ConfigureAwait(false);
        CreateMissingSandboxSources(mapped.Parameters.HostConfig, sandbox);

        var response = await CallAsync(
            $"creating container '{name}' for task '{taskId}' from image '{mapped.Image}'",
            shortCall: true,
            async token =>
            {
                try
                {
                    return await _engine.CreateContainerAsync(mapped.Parameters, token).ConfigureAwait(false);
                }
                catch (DockerRequestException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
                {
                    throw new ContainerizerException(
                        $"creating container '{name}' failed: image '{mapped.Image}' is not present: {ex.Message}");
                }
                catch (DockerRequestException ex) when (ex.StatusCode == HttpStatusCode.Conflict)
                {
                    throw new ContainerizerException(
                        $"creating container '{name}' failed: the name is in use by another container: {ex.Message}");
                }
            },
            cancellationToken).ConfigureAwait(false);

        _containers[response.ID] = new TrackedContainer(name, sandbox, mapped.Parameters.Tty);
        foreach (string warning in response.Warnings ?? [])
        {
            Log.ContainerCreateWarning(_logger, Log.ShortId(response.ID), warning);
        }

        Log.ContainerCreated(_logger, Log.ShortId(response.ID), name, taskId, mapped.Image);
        return response.ID;
    }

    /// <summary>
    /// The stream a container output goes to, synchronized: several containers' pumps (and, when
    /// the caller passes the same stream to its logger, the executor's log lines) write to it.
    /// </summary>
    private Stream OutputStream(Stream? configured, Func<Stream> openDefault)
    {
        if (configured != null)
        {
            return Stream.Synchronized(configured);
        }

        Stream opened = openDefault();
        _ownedStreams.Add(opened);
        return Stream.Synchronized(opened);
    }

    /// <summary>
    /// Bind mounts in <c>HostConfig.Mounts</c> (sources with ':') need an existing source, while
    /// <c>docker run -v</c>, which Mesos uses, creates a missing one: do that for sources inside the
    /// sandbox (volumes with relative host paths), as the engine would.
    /// </summary>
    private static void CreateMissingSandboxSources(HostConfig? host, string? sandbox)
    {
        if (host?.Mounts is null || sandbox is null)
        {
            return;
        }

        string root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(sandbox)) + "/";
        foreach (Mount mount in host.Mounts)
        {
            if (mount.Type != "bind" || mount.Source is not { } source)
            {
                continue;
            }

            string full = Path.GetFullPath(source);
            if (full.StartsWith(root, StringComparison.Ordinal) && !Path.Exists(full))
            {
                try
                {
                    Directory.CreateDirectory(full);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    throw new ContainerizerException($"creating the volume source '{full}' in the sandbox failed: {ex.Message}", ex);
                }
            }
        }
    }

    /// <inheritdoc/>
    /// <remarks>Also starts forwarding the container's stdout and stderr to <see cref="DockerContainerizerOptions.StandardOutput"/> and <see cref="DockerContainerizerOptions.StandardError"/>.</remarks>
    public async Task StartAsync(string containerId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(containerId);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        await CallAsync(
            $"starting container {Log.ShortId(containerId)}",
            shortCall: true,
            async token =>
            {
                try
                {
                    await _engine.StartContainerAsync(containerId, token).ConfigureAwait(false);
                    return true;
                }
                catch (DockerRequestException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
                {
                    throw new ContainerizerException($"starting container {Log.ShortId(containerId)} failed: no such container");
                }
            },
            cancellationToken).ConfigureAwait(false);

        if (_containers.TryGetValue(containerId, out var tracked))
        {
            lock (tracked)
            {
                tracked.Pump ??= ContainerLogPump.Start(_engine, containerId, _stdout, _stderr, tracked.Tty, _timeProvider, _options.DaemonReconnectTimeout, _logger);
            }
        }

        Log.ContainerStarted(_logger, Log.ShortId(containerId));
    }

    /// <inheritdoc/>
    /// <remarks>
    /// When the connection to the engine breaks (the daemon restarts), keeps reconnecting with
    /// backoff for up to <see cref="DockerContainerizerOptions.DaemonReconnectTimeout"/> and then
    /// reports the container's real state: it waits on while the container still runs, and returns
    /// its true exit status once it ended (a daemon without live-restore stops its containers).
    /// </remarks>
    public async Task<ContainerExit> WaitAsync(string containerId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(containerId);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token);
        CancellationToken token = linked.Token;
        long? brokenAt = null;
        TimeSpan delay = PollInterval;
        while (true)
        {
            try
            {
                ContainerWaitResponse response;
                try
                {
                    response = await _engine.WaitContainerAsync(containerId, token).ConfigureAwait(false);
                }
                catch (DockerRequestException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
                {
                    throw new ContainerizerException($"waiting for container {Log.ShortId(containerId)} failed: no such container");
                }

                var state = await InspectStateWithinAsync(containerId, token).ConfigureAwait(false);
                if (state is { IsAlive: true })
                {
                    // The wait ended while the container still runs: the engine went away mid-call.
                    await Task.Delay(PollInterval, _timeProvider, token).ConfigureAwait(false);
                    continue;
                }

                var exit = new ContainerExit(
                    (int)response.StatusCode,
                    state?.OomKilled ?? false,
                    response.Error?.Message is { Length: > 0 } error ? error : state?.Error);
                Log.ContainerExited(_logger, Log.ShortId(containerId), exit.ExitCode, exit.OomKilled);
                return exit;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (OperationCanceledException) when (_disposing.IsCancellationRequested)
            {
                throw new ObjectDisposedException(nameof(DockerContainerizer));
            }
            catch (Exception ex) when (DockerFailures.IsTransient(ex))
            {
                if (brokenAt is null)
                {
                    brokenAt = _timeProvider.GetTimestamp();
                    Log.ConnectionLost(_logger, Log.ShortId(containerId), ex.Message, _options.DaemonReconnectTimeout);
                }
                else if (_timeProvider.GetElapsedTime(brokenAt.Value) > _options.DaemonReconnectTimeout)
                {
                    throw new ContainerizerException(
                        $"waiting for container {Log.ShortId(containerId)} failed: no answer from the Docker engine at {_engine.Endpoint} for {_options.DaemonReconnectTimeout}; the container's fate is unknown: {ex.Message}",
                        ex is DockerRequestException ? null : ex);
                }
            }
            catch (Exception ex) when (ex is not ContainerizerException)
            {
                throw Translate(ex, $"waiting for container {Log.ShortId(containerId)}");
            }

            // Reconnect: the daemon may be restarting. Look at the container before waiting again.
            await Task.Delay(delay, _timeProvider, token).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxReconnectDelay.Ticks));
            try
            {
                var state = await InspectStateWithinAsync(containerId, token).ConfigureAwait(false);
                if (state is null)
                {
                    throw new ContainerizerException($"waiting for container {Log.ShortId(containerId)} failed: the container disappeared while the engine was away");
                }

                if (!state.IsAlive && state.StartedAt is not (null or "0001-01-01T00:00:00Z"))
                {
                    var exit = new ContainerExit(state.ExitCode, state.OomKilled, state.Error);
                    Log.ContainerExited(_logger, Log.ShortId(containerId), exit.ExitCode, exit.OomKilled);
                    return exit;
                }

                Log.ConnectionRestored(_logger, Log.ShortId(containerId));
                brokenAt = null;
                delay = PollInterval;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex) when (DockerFailures.IsTransient(ex))
            {
                // Still away; the next round checks the deadline.
            }
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Sends the container's stop signal (the image's or the <c>stop-signal</c> parameter's, else
    /// SIGTERM) itself and times the grace period with the injected clock, so sub-second periods
    /// are honoured (the engine's own stop timeout counts whole seconds). A zero grace period sends
    /// SIGKILL at once.
    /// </remarks>
    public async Task StopAsync(string containerId, TimeSpan gracePeriod, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(containerId);
        ArgumentOutOfRangeException.ThrowIfLessThan(gracePeriod, TimeSpan.Zero);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        string what = $"stopping container {Log.ShortId(containerId)}";
        var state = await CallAsync(what, shortCall: true, token => InspectStateAsync(containerId, token), cancellationToken).ConfigureAwait(false);
        if (state is null || !state.IsAlive)
        {
            Log.ContainerNotRunning(_logger, Log.ShortId(containerId));
            return;
        }

        if (gracePeriod > TimeSpan.Zero)
        {
            string signal = state.StopSignal ?? "SIGTERM";
            Log.ContainerStopping(_logger, Log.ShortId(containerId), signal, gracePeriod);
            if (!await KillAsync(containerId, signal, what, cancellationToken).ConfigureAwait(false)
                || await WaitForExitAsync(containerId, gracePeriod, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            Log.ContainerGraceExpired(_logger, Log.ShortId(containerId), gracePeriod);
        }
        else
        {
            Log.ContainerStopping(_logger, Log.ShortId(containerId), "SIGKILL", gracePeriod);
        }

        if (await KillAsync(containerId, "SIGKILL", what, cancellationToken).ConfigureAwait(false)
            && !await WaitForExitAsync(containerId, _options.ShortCallTimeout, cancellationToken).ConfigureAwait(false))
        {
            throw new ContainerizerException($"{what} failed: it still runs {_options.ShortCallTimeout} after SIGKILL");
        }
    }

    /// <inheritdoc/>
    /// <remarks>Waits briefly for the last output to reach the sandbox files, then force-removes the container with its anonymous volumes.</remarks>
    public async Task RemoveAsync(string containerId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(containerId);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (_containers.TryGetValue(containerId, out var tracked) && tracked.Pump is { Completion.IsCompleted: false } pump)
        {
            // The output of a stopped container is complete once its stream ends; a running one is
            // about to be killed, and waiting for it would only delay the removal.
            var state = await CallAsync(
                $"removing container {Log.ShortId(containerId)}",
                shortCall: true,
                token => InspectStateAsync(containerId, token),
                cancellationToken).ConfigureAwait(false);
            if (state is not { IsAlive: true })
            {
                await pump.DrainAsync(LogDrainTimeout, cancellationToken).ConfigureAwait(false);
            }
        }

        bool removed = await CallAsync(
            $"removing container {Log.ShortId(containerId)}",
            shortCall: true,
            async token =>
            {
                try
                {
                    await _engine.RemoveContainerAsync(containerId, token).ConfigureAwait(false);
                    return true;
                }
                catch (DockerRequestException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
                {
                    return false;
                }
                catch (DockerRequestException ex) when (ex.StatusCode == HttpStatusCode.Conflict
                    && ex.Message.Contains("already in progress", StringComparison.OrdinalIgnoreCase))
                {
                    return false;
                }
            },
            cancellationToken).ConfigureAwait(false);

        if (_containers.TryRemove(containerId, out tracked) && tracked.Pump is { } remaining)
        {
            await remaining.DisposeAsync().ConfigureAwait(false);
        }

        if (removed)
        {
            Log.ContainerRemoved(_logger, Log.ShortId(containerId));
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Runs the command attached (its output is discarded) and reads its exit code. On timeout or
    /// cancellation the command's process and its children are killed (SIGKILL to the host pid
    /// the engine reports, so the executor must see the host's processes).
    /// </remarks>
    public async Task<ExecResult> ExecAsync(string containerId, ExecRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(containerId);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfZero(request.Arguments.Count, nameof(request));
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        string what = $"running a command in container {Log.ShortId(containerId)}";
        string execId = await CallAsync(
            what,
            shortCall: true,
            async token =>
            {
                try
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

                    return await _engine.CreateExecAsync(containerId, parameters, token).ConfigureAwait(false);
                }
                catch (DockerRequestException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
                {
                    throw new ContainerizerException($"{what} failed: no such container");
                }
            },
            cancellationToken).ConfigureAwait(false);

        var attached = await CallAsync(
            what,
            shortCall: true,
            token => _engine.StartExecAsync(execId, token),
            cancellationToken).ConfigureAwait(false);

        bool timedOut = false;
        using (attached)
        {
            using var drain = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token);
            Task output = DiscardAsync(attached, drain.Token);
            try
            {
                if (request.Timeout is { } timeout && timeout > TimeSpan.Zero)
                {
                    await output.WaitAsync(timeout, _timeProvider, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await output.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            catch (TimeoutException)
            {
                timedOut = true;
                await KillExecAsync(containerId, execId, request.Timeout!.Value).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await KillExecAsync(containerId, execId, null).ConfigureAwait(false);
                throw;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw Translate(ex, what);
            }
            finally
            {
                await drain.CancelAsync().ConfigureAwait(false);
                try
                {
                    await output.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }
                finally
                {
                    attached.Dispose();
                }
            }
        }

        if (timedOut)
        {
            return new ExecResult(-1, TimedOut: true);
        }

        // The stream can close a moment before the engine records the exit code.
        long started = _timeProvider.GetTimestamp();
        while (true)
        {
            var inspect = await CallAsync(
                what,
                shortCall: true,
                token => _engine.InspectExecAsync(execId, token),
                cancellationToken).ConfigureAwait(false);
            if (!inspect.Running && inspect.ExitCode is { } exitCode)
            {
                return new ExecResult((int)exitCode);
            }

            if (_timeProvider.GetElapsedTime(started) > _options.ShortCallTimeout)
            {
                throw new ContainerizerException($"{what} failed: the engine reports no exit code for the finished command");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10), _timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// <see cref="ContainerDetails.RawData"/> is the engine's inspect JSON in the shape
    /// <c>docker inspect</c> prints (a one-element array), as Mesos's Docker executor sends it in
    /// TASK_RUNNING's <c>data</c>.
    /// </remarks>
    public async Task<ContainerDetails> InspectAsync(string containerId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(containerId);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        string what = $"inspecting container {Log.ShortId(containerId)}";
        byte[] json = await CallAsync(
            what,
            shortCall: true,
            async token => await _engine.InspectContainerJsonAsync(containerId, token).ConfigureAwait(false)
                ?? throw new ContainerizerException($"{what} failed: no such container"),
            cancellationToken).ConfigureAwait(false);
        try
        {
            return ContainerInspection.Parse(json).ToDetails(json);
        }
        catch (JsonException ex)
        {
            throw new ContainerizerException($"{what} failed: the engine's answer is not an inspect object: {ex.Message}", ex);
        }
    }

    /// <summary>Stops streaming output and closes the connections; containers keep running. Idempotent.</summary>
    /// <returns>A task that completes when everything is released.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _disposing.CancelAsync().ConfigureAwait(false);
        foreach (var tracked in _containers.Values)
        {
            if (tracked.Pump is { } pump)
            {
                await pump.DisposeAsync().ConfigureAwait(false);
            }
        }

        _containers.Clear();
        _engine.Dispose();
        foreach (Stream stream in _ownedStreams)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }

        // _disposing is not disposed: calls still in flight may read its token.
    }

    /// <summary>
    /// The container's name: the spec's; else <c>--container</c> for the first task and names the
    /// agent still recognises as the executor's container for later ones; else a fresh
    /// <c>mesos-&lt;uuid&gt;</c>.
    /// </summary>
    private string AllocateName(ContainerSpec spec, string taskId)
    {
        lock (_namesLock)
        {
            string name;
            if (spec.ContainerName is { Length: > 0 } requested)
            {
                name = requested;
            }
            else if (_options.ContainerName is { } configured)
            {
                if (_names.Contains(configured))
                {
                    name = DerivedName(configured, ++_derivedNames);
                    Log.ContainerNameTaken(_logger, configured, taskId, name);
                }
                else
                {
                    name = configured;
                }
            }
            else
            {
                name = "mesos-" + Guid.NewGuid().ToString("D");
            }

            _names.Add(name);
            return name;
        }
    }

    /// <summary>
    /// A name for the <paramref name="index"/>-th extra task of an executor whose first container is
    /// <paramref name="name"/>. For <c>mesos-&lt;ContainerID&gt;</c> it is
    /// <c>mesos-&lt;index&gt;.&lt;ContainerID&gt;.task</c>: the agent's recovery parses
    /// <c>mesos-&lt;a&gt;.&lt;ContainerID&gt;.&lt;b&gt;</c> as belonging to that container, so it does not kill it
    /// as an orphan. Other names get <c>-&lt;index&gt;</c>.
    /// </summary>
    internal static string DerivedName(string name, int index)
    {
        const string Prefix = "mesos-";
        if (name.StartsWith(Prefix, StringComparison.Ordinal) && !name.Contains('.', StringComparison.Ordinal))
        {
            return $"{Prefix}{index}.{name[Prefix.Length..]}.task";
        }

        return $"{name}-{index}";
    }

    private async Task EnsureImageAsync(string image, PullPolicy pull, string? sandbox, bool forcePullLeftToAgent, CancellationToken cancellationToken)
    {
        if (pull != PullPolicy.Always)
        {
            bool present = await CallAsync(
                $"looking up image '{image}'",
                shortCall: true,
                token => _engine.ImageExistsAsync(image, token),
                cancellationToken).ConfigureAwait(false);
            if (present)
            {
                if (forcePullLeftToAgent)
                {
                    Log.ImagePullLeftToAgent(_logger, image);
                }

                return;
            }

            if (pull == PullPolicy.Never)
            {
                throw new ContainerizerException($"image '{image}' is not present and the pull policy is Never");
            }
        }

        string reference = ImageReference.WithDefaultTag(image);
        PullCredentials credentials;
        try
        {
            credentials = _credentials.Resolve(reference, sandbox);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            throw new ContainerizerException($"pulling image '{image}' failed: registry credentials: {ex.Message}");
        }

        if (credentials.Credential != null)
        {
            Log.ImagePullCredentials(_logger, reference, credentials.Key!, credentials.Source!);
        }

        Log.ImagePulling(_logger, reference);
        long started = _timeProvider.GetTimestamp();
        var progress = new PullProgress(_logger, reference);
        try
        {
            await CallAsync(
                $"pulling image '{image}'",
                shortCall: false,
                async token =>
                {
                    await _engine.PullImageAsync(reference, credentials.Credential?.ToHeaderValue(), progress, token).ConfigureAwait(false);
                    return true;
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (ContainerizerException ex)
        {
            throw new ContainerizerException(credentials.Explain(ex.Message), ex.InnerException);
        }

        if (progress.Error is { } error)
        {
            throw new ContainerizerException(credentials.Explain($"pulling image '{image}' failed: {error}"));
        }

        Log.ImagePulled(_logger, reference, _timeProvider.GetElapsedTime(started));
    }

    /// <summary>Sends <paramref name="signal"/>; <see langword="false"/> when the container no longer runs or exists.</summary>
    private Task<bool> KillAsync(string containerId, string signal, string what, CancellationToken cancellationToken) =>
        CallAsync(
            what,
            shortCall: true,
            async token =>
            {
                try
                {
                    await _engine.KillContainerAsync(containerId, signal, token).ConfigureAwait(false);
                    return true;
                }
                catch (DockerRequestException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
                {
                    return false;
                }
                catch (DockerRequestException ex) when (ex.StatusCode == HttpStatusCode.Conflict)
                {
                    // "Container ... is not running".
                    return false;
                }
            },
            cancellationToken);

    /// <summary>Waits up to <paramref name="timeout"/> for the container to exit; <see langword="false"/> when it still runs.</summary>
    private async Task<bool> WaitForExitAsync(string containerId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token, _disposing.Token);
        try
        {
            try
            {
                await _engine.WaitContainerAsync(containerId, linked.Token).ConfigureAwait(false);
                return true;
            }
            catch (DockerRequestException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
            {
                return true;
            }
            catch (Exception ex) when (DockerFailures.IsTransient(ex))
            {
                // The wait call broke; watch the state instead until the time is up.
                while (true)
                {
                    try
                    {
                        var state = await InspectStateAsync(containerId, linked.Token).ConfigureAwait(false);
                        if (state is null || !state.IsAlive)
                        {
                            return true;
                        }
                    }
                    catch (Exception inner) when (DockerFailures.IsTransient(inner))
                    {
                    }

                    await Task.Delay(PollInterval, _timeProvider, linked.Token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested)
        {
            return false;
        }
        catch (OperationCanceledException) when (_disposing.IsCancellationRequested)
        {
            throw new ObjectDisposedException(nameof(DockerContainerizer));
        }
        catch (Exception ex) when (ex is not ContainerizerException)
        {
            throw Translate(ex, $"waiting for container {Log.ShortId(containerId)} to stop");
        }
    }

    /// <summary>The container's state from the raw inspect JSON, or <see langword="null"/> when it does not exist.</summary>
    private async Task<ContainerInspection?> InspectStateAsync(string containerId, CancellationToken cancellationToken)
    {
        byte[]? json = await _engine.InspectContainerJsonAsync(containerId, cancellationToken).ConfigureAwait(false);
        return json is null ? null : ContainerInspection.Parse(json);
    }

    /// <summary>
    /// <see cref="InspectStateAsync"/> within <see cref="DockerContainerizerOptions.ShortCallTimeout"/>;
    /// a hung engine becomes a (transient) <see cref="TimeoutException"/>.
    /// </summary>
    private async Task<ContainerInspection?> InspectStateWithinAsync(string containerId, CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(_options.ShortCallTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            return await InspectStateAsync(containerId, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"the Docker engine did not answer within {_options.ShortCallTimeout}", ex);
        }
    }

    /// <summary>Kills a command started with <see cref="ExecAsync"/> (and its children) by its host pid.</summary>
    private async Task KillExecAsync(string containerId, string execId, TimeSpan? timeout)
    {
        long pid = 0;
        try
        {
            using var timer = new CancellationTokenSource(_options.ShortCallTimeout, _timeProvider);
            var inspect = await _engine.InspectExecAsync(execId, timer.Token).ConfigureAwait(false);
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

    /// <summary>
    /// Runs one engine call with a linked cancellation (and the short-call time limit), translating
    /// every failure into <see cref="ContainerizerException"/> at this boundary.
    /// </summary>
    private async Task<T> CallAsync<T>(string what, bool shortCall, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        using var timer = shortCall ? new CancellationTokenSource(_options.ShortCallTimeout, _timeProvider) : null;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token, timer?.Token ?? CancellationToken.None);
        try
        {
            return await call(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException ex) when (timer?.IsCancellationRequested == true)
        {
            throw new ContainerizerException($"{what} failed: the Docker engine at {_engine.Endpoint} did not answer within {_options.ShortCallTimeout}", ex);
        }
        catch (OperationCanceledException) when (_disposing.IsCancellationRequested)
        {
            throw new ObjectDisposedException(nameof(DockerContainerizer));
        }
        catch (Exception ex) when (ex is not ContainerizerException and not OperationCanceledException)
        {
            throw Translate(ex, what);
        }
    }

    /// <summary>The boundary: the engine's error answers become messages (never inner exceptions); BCL causes are kept.</summary>
    private ContainerizerException Translate(Exception exception, string what) => exception switch
    {
        DockerRequestException request => new ContainerizerException(
            $"{what} failed: {request.Message} (HTTP {(int)request.StatusCode})"),
        HttpRequestException or SocketException or IOException => new ContainerizerException(
            $"{what} failed: cannot talk to the Docker engine at {_engine.Endpoint}: {exception.Message}", exception),
        JsonException => new ContainerizerException(
            $"{what} failed: unexpected answer from the Docker engine: {exception.Message}", exception),
        _ => new ContainerizerException($"{what} failed: {exception.Message}", exception),
    };
}
