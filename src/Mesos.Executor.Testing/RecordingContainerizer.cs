using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;

namespace Mesos.Executor.Testing;

/// <summary>
/// An in-memory <see cref="IContainerizer"/> for tests: it runs nothing, records every call, and
/// answers with configurable results. Safe to use from several threads.
/// </summary>
/// <example>
/// <code>
/// var containerizer = new RecordingContainerizer();
/// await HookTestHarness.RunPhaseAsync(new RemoveContainerHook(), HookPhase.PostStop, task, containerizer, containerId: "c-1");
/// Assert.That(containerizer.Calls, Is.EqualTo(new[] { "RemoveAsync c-1" }));
/// </code>
/// </example>
public sealed class RecordingContainerizer : IContainerizer, IContainerExec, IContainerRemover
{
    private readonly Lock _gate = new();
    private readonly List<string> _calls = [];
    private readonly List<ContainerSpec> _createdSpecs = [];
    private readonly List<ExecRequest> _execRequests = [];
    private readonly ConcurrentDictionary<string, TaskCompletionSource<ContainerExit>> _exits = new(StringComparer.Ordinal);
    private int _created;

    /// <summary>What <see cref="InspectAsync"/> returns; <see langword="null"/> for details with only the id and pid 0.</summary>
    /// <value>Default <see langword="null"/>.</value>
    public ContainerDetails? Details { get; set; }

    /// <summary>What <see cref="ExecAsync"/> returns.</summary>
    /// <value>Default exit code 0.</value>
    public ExecResult ExecResult { get; set; } = new() { ExitCode = 0 };

    /// <summary>How a container stopped by <see cref="StopAsync"/> ends.</summary>
    /// <value>Default exit code 143 (SIGTERM).</value>
    public ContainerExit StopExit { get; set; } = new() { ExitCode = 143 };

    /// <summary>
    /// Called with the method name (<c>"RemoveAsync"</c>, ...) before each call is recorded; the
    /// exception it returns, if any, is thrown by that call.
    /// </summary>
    /// <value>Default <see langword="null"/>: nothing fails.</value>
    public Func<string, Exception?>? FailWith { get; set; }

    /// <summary>Every call so far, as <c>"&lt;method&gt; &lt;container id&gt;"</c> (for example <c>"RemoveAsync c-1"</c>).</summary>
    public IReadOnlyList<string> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    /// <summary>The specs passed to <see cref="CreateAsync"/>, in order.</summary>
    public IReadOnlyList<ContainerSpec> CreatedSpecs
    {
        get
        {
            lock (_gate)
            {
                return [.. _createdSpecs];
            }
        }
    }

    /// <summary>The requests passed to <see cref="ExecAsync"/>, in order.</summary>
    public IReadOnlyList<ExecRequest> ExecRequests
    {
        get
        {
            lock (_gate)
            {
                return [.. _execRequests];
            }
        }
    }

    /// <summary>Ends a container: its pending and future <see cref="WaitAsync"/> calls return <paramref name="exit"/>.</summary>
    /// <param name="containerId">The container.</param>
    /// <param name="exit">How it ended.</param>
    public void Exit(string containerId, ContainerExit exit)
    {
        ArgumentNullException.ThrowIfNull(containerId);
        ArgumentNullException.ThrowIfNull(exit);
        ExitSource(containerId).TrySetResult(exit);
    }

    /// <inheritdoc />
    /// <returns>The ids <c>c-1</c>, <c>c-2</c>, ... in order of creation.</returns>
    public Task<string> CreateAsync(ContainerSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        cancellationToken.ThrowIfCancellationRequested();
        string id = "c-" + Interlocked.Increment(ref _created).ToString(CultureInfo.InvariantCulture);
        if (Record(nameof(CreateAsync), id) is { } failure)
        {
            return Task.FromException<string>(failure);
        }

        lock (_gate)
        {
            _createdSpecs.Add(spec);
        }

        return Task.FromResult(id);
    }

    /// <inheritdoc />
    public Task StartAsync(string containerId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Record(nameof(StartAsync), containerId) is { } failure ? Task.FromException(failure) : Task.CompletedTask;
    }

    /// <inheritdoc />
    /// <returns>The exit given to <see cref="Exit"/>, or <see cref="StopExit"/> after <see cref="StopAsync"/>.</returns>
    public Task<ContainerExit> WaitAsync(string containerId, CancellationToken cancellationToken = default)
    {
        if (Record(nameof(WaitAsync), containerId) is { } failure)
        {
            return Task.FromException<ContainerExit>(failure);
        }

        return ExitSource(containerId).Task.WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public Task StopAsync(string containerId, TimeSpan gracePeriod, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Record(nameof(StopAsync), containerId) is { } failure)
        {
            return Task.FromException(failure);
        }

        ExitSource(containerId).TrySetResult(StopExit);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task RemoveAsync(string containerId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Record(nameof(RemoveAsync), containerId) is { } failure ? Task.FromException(failure) : Task.CompletedTask;
    }

    /// <inheritdoc />
    /// <returns><see cref="ExecResult"/>.</returns>
    public Task<ExecResult> ExecAsync(string containerId, ExecRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        if (Record(nameof(ExecAsync), containerId) is { } failure)
        {
            return Task.FromException<ExecResult>(failure);
        }

        lock (_gate)
        {
            _execRequests.Add(request);
        }

        return Task.FromResult(ExecResult);
    }

    /// <inheritdoc />
    /// <returns><see cref="Details"/>, or details with only <paramref name="containerId"/>.</returns>
    public Task<ContainerDetails> InspectAsync(string containerId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Record(nameof(InspectAsync), containerId) is { } failure)
        {
            return Task.FromException<ContainerDetails>(failure);
        }

        return Task.FromResult(Details ?? new ContainerDetails { Id = containerId });
    }

    /// <returns>The exception the call must fail with, or <see langword="null"/> once it is recorded.</returns>
    private Exception? Record(string method, string containerId)
    {
        ArgumentNullException.ThrowIfNull(containerId);
        Exception? failure = FailWith?.Invoke(method);
        if (failure is not null)
        {
            return failure;
        }

        lock (_gate)
        {
            _calls.Add($"{method} {containerId}");
        }

        return null;
    }

    private TaskCompletionSource<ContainerExit> ExitSource(string containerId) =>
        _exits.GetOrAdd(containerId, static _ => new TaskCompletionSource<ContainerExit>(TaskCreationOptions.RunContinuationsAsynchronously));
}
