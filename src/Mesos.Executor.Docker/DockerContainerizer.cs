using System;
using System.Net;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.Executor.Docker.Internal;
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
/// This type is the façade: each concern has its own type in <c>Internal/</c> (see the package
/// README's map): <c>ContainerNames</c>, <c>ImagePuller</c>, <c>ContainerWaiter</c>
/// (the reconnecting wait), <c>ContainerStopper</c>, <c>ContainerExec</c>,
/// <c>ContainerOutput</c>, <c>SandboxSources</c>, and <c>EngineErrors</c> with
/// <c>EngineCalls</c> at the error boundary.
/// </para>
/// <para>
/// Disposing releases the connections and stops streaming output; it does not stop or remove
/// containers (the executor does that with <see cref="StopAsync"/> and <see cref="RemoveAsync"/>).
/// </para>
/// </remarks>
public sealed class DockerContainerizer : IContainerizer, IContainerExec, IContainerRemover, IAsyncDisposable
{
    private readonly DockerContainerizerOptions _options;
    private readonly ILogger _logger;
    private readonly DockerEngine _engine;
    private readonly CancellationTokenSource _disposing = new();
    private readonly Lazy<long?> _hostMemory = new(() => HostMemory.TotalBytes());
    private readonly EngineCalls _calls;
    private readonly ContainerNames _names;
    private readonly ImagePuller _images;
    private readonly ContainerOutput _output;
    private readonly ContainerWaiter _waiter;
    private readonly ContainerStopper _stopper;
    private readonly ContainerExec _exec;
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
        _engine = new DockerEngine(options.ResolveEndpoint(), options.ApiVersion, _logger);
        _calls = new EngineCalls(_engine, options.ShortCallTimeout, timeProvider ?? TimeProvider.System, _disposing.Token);
        _names = new ContainerNames(options.ContainerName, _logger);
        _images = new ImagePuller(_calls, new RegistryCredentialResolver(options.DockerConfigPath, _logger), _logger);
        _output = new ContainerOutput(_calls, options.StandardOutput, options.StandardError, options.DaemonReconnectTimeout, _logger);
        _waiter = new ContainerWaiter(_calls, options.DaemonReconnectTimeout, _logger);
        _stopper = new ContainerStopper(_calls, _logger);
        _exec = new ContainerExec(_calls, _logger);
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
        string name = _names.Allocate(spec.ContainerName, taskId);
        try
        {
            return await CreateAsync(spec, taskId, name, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _names.Release(name);
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
            DefaultDns = _options.DefaultDns,
            CgroupsEnableCfs = _options.CgroupsEnableCfs,
            Pull = _options.Pull,
            ImagePulledByAgent = _options.ImagePulledByAgent,
            ExtraLabels = _options.ExtraLabels,
            HostMemoryBytes = _hostMemory.Value,
            UseCommandUser = _options.UseCommandUser,
            DisableSwap = _options.DisableSwap,
        });

        bool forcePullLeftToAgent = _options.ImagePulledByAgent && spec.Task.Container?.Docker?.ForcePullImage == true;
        await _images.EnsureAsync(mapped.Image, mapped.Pull, sandbox, forcePullLeftToAgent, cancellationToken).ConfigureAwait(false);
        SandboxSources.CreateMissing(mapped.Parameters.HostConfig, sandbox);

        var response = await _calls.RunAsync(
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

        _output.Track(response.ID, mapped.Parameters.Tty);
        foreach (string warning in response.Warnings ?? [])
        {
            Log.ContainerCreateWarning(_logger, Log.ShortId(response.ID), warning);
        }

        Log.ContainerCreated(_logger, Log.ShortId(response.ID), name, taskId, mapped.Image);
        return response.ID;
    }

    /// <inheritdoc/>
    /// <remarks>Also starts forwarding the container's stdout and stderr to <see cref="DockerContainerizerOptions.StandardOutput"/> and <see cref="DockerContainerizerOptions.StandardError"/>.</remarks>
    public async Task StartAsync(string containerId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(containerId);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        await _calls.RunAsync(
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

        _output.StartForwarding(containerId);
        Log.ContainerStarted(_logger, Log.ShortId(containerId));
    }

    /// <inheritdoc/>
    /// <remarks>
    /// When the connection to the engine breaks (the daemon restarts), keeps reconnecting with
    /// backoff for up to <see cref="DockerContainerizerOptions.DaemonReconnectTimeout"/> and then
    /// reports the container's real state: it waits on while the container still runs, and returns
    /// its true exit status once it ended (a daemon without live-restore stops its containers).
    /// </remarks>
    public Task<ContainerExit> WaitAsync(string containerId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(containerId);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        return _waiter.WaitAsync(containerId, cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Sends the container's stop signal (the image's or the <c>stop-signal</c> parameter's, else
    /// SIGTERM) itself and times the grace period with the injected clock, so sub-second periods
    /// are honoured (the engine's own stop timeout counts whole seconds). A zero grace period sends
    /// SIGKILL at once.
    /// </remarks>
    public Task StopAsync(string containerId, TimeSpan gracePeriod, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(containerId);
        ArgumentOutOfRangeException.ThrowIfLessThan(gracePeriod, TimeSpan.Zero);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        return _stopper.StopAsync(containerId, gracePeriod, cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>Waits briefly for the last output to reach the sandbox files, then force-removes the container with its anonymous volumes.</remarks>
    public async Task RemoveAsync(string containerId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(containerId);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        string what = $"removing container {Log.ShortId(containerId)}";
        await _output.DrainAsync(containerId, what, cancellationToken).ConfigureAwait(false);
        bool removed = await _calls.RunAsync(
            what,
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

        await _output.ForgetAsync(containerId).ConfigureAwait(false);
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
    public Task<ExecResult> ExecAsync(string containerId, ExecRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(containerId);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfZero(request.Arguments.Count, nameof(request));
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        return _exec.RunAsync(containerId, request, cancellationToken);
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
        byte[] json = await _calls.RunAsync(
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
        await _output.DisposeAsync().ConfigureAwait(false);
        _engine.Dispose();

        // _disposing is not disposed: calls still in flight may read its token.
    }
}
