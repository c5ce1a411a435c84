using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace Mesos.Executor.Docker.Internal;

/// <summary>
/// Wires the containers' output to the executor's stdout and stderr: remembers the containers the
/// containerizer created (and whether they have a TTY), starts one <see cref="ContainerLogPump"/>
/// per container when it starts, lets the last output arrive before a container is removed, and
/// owns the streams it opened itself.
/// </summary>
internal sealed class ContainerOutput : IAsyncDisposable
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, TrackedContainer> _containers = new(StringComparer.Ordinal);
    private readonly List<Stream> _ownedStreams = [];
    private readonly Stream _stdout;
    private readonly Stream _stderr;
    private readonly EngineCalls _calls;
    private readonly TimeSpan _reconnectTimeout;
    private readonly ILogger _logger;

    /// <param name="calls">The engine the pumps read from.</param>
    /// <param name="stdout">The caller's stdout stream, or <see langword="null"/> for the process's (opened here, disposed with this).</param>
    /// <param name="stderr">Likewise for stderr.</param>
    /// <param name="reconnectTimeout">How long a pump keeps reconnecting to an engine that went away.</param>
    /// <param name="logger">The containerizer's logger.</param>
    /// <param name="openStandardOutput">Opens the process's stdout (<see cref="Console.OpenStandardOutput()"/>).</param>
    /// <param name="openStandardError">Opens the process's stderr (<see cref="Console.OpenStandardError()"/>).</param>
    public ContainerOutput(
        EngineCalls calls,
        Stream? stdout,
        Stream? stderr,
        TimeSpan reconnectTimeout,
        ILogger logger,
        Func<Stream>? openStandardOutput = null,
        Func<Stream>? openStandardError = null)
    {
        _calls = calls;
        _reconnectTimeout = reconnectTimeout;
        _logger = logger;
        _stdout = Synchronized(stdout, openStandardOutput ?? Console.OpenStandardOutput);
        _stderr = Synchronized(stderr, openStandardError ?? Console.OpenStandardError);
    }

    /// <summary>Remembers a created container; its output is forwarded once it starts.</summary>
    public void Track(string containerId, bool tty) => _containers[containerId] = new TrackedContainer(tty);

    /// <summary>Starts forwarding a tracked container's output (once; untracked containers are not forwarded).</summary>
    public void StartForwarding(string containerId)
    {
        if (_containers.TryGetValue(containerId, out var tracked))
        {
            lock (tracked)
            {
                tracked.Pump ??= ContainerLogPump.Start(
                    _calls.Engine, containerId, _stdout, _stderr, tracked.Tty, _calls.TimeProvider, _reconnectTimeout, _logger);
            }
        }
    }

    /// <summary>
    /// Before removing a container: when it has ended, waits briefly for the rest of its output
    /// (complete once its stream ends). A running one is about to be killed, and waiting for it
    /// would only delay the removal.
    /// </summary>
    /// <exception cref="Core.ContainerizerException">Inspecting the container failed.</exception>
    public async Task DrainAsync(string containerId, string what, CancellationToken cancellationToken)
    {
        if (!_containers.TryGetValue(containerId, out var tracked) || tracked.Pump is not { Completion.IsCompleted: false } pump)
        {
            return;
        }

        var state = await _calls.RunAsync(what, shortCall: true, token => _calls.InspectStateAsync(containerId, token), cancellationToken).ConfigureAwait(false);
        if (state is not { IsAlive: true })
        {
            await pump.DrainAsync(DrainTimeout, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops forwarding a removed container's output and forgets it.</summary>
    public async Task ForgetAsync(string containerId)
    {
        if (_containers.TryRemove(containerId, out var tracked) && tracked.Pump is { } pump)
        {
            await pump.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Stops every pump and disposes the streams opened here.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var tracked in _containers.Values)
        {
            if (tracked.Pump is { } pump)
            {
                await pump.DisposeAsync().ConfigureAwait(false);
            }
        }

        _containers.Clear();
        foreach (Stream stream in _ownedStreams)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The stream output goes to, synchronized: several containers' pumps (and, when the caller
    /// passes the same stream to its logger, the executor's log lines) write to it.
    /// </summary>
    private Stream Synchronized(Stream? configured, Func<Stream> openDefault)
    {
        if (configured != null)
        {
            return Stream.Synchronized(configured);
        }

        Stream opened = openDefault();
        _ownedStreams.Add(opened);
        return Stream.Synchronized(opened);
    }
}
