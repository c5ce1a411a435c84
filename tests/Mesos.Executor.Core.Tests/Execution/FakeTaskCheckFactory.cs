using System;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.Executor.Core.Checks;
using Mesos.Executor.Core.Execution;
using Mesos.V1;
using Microsoft.Extensions.Logging;

namespace Mesos.Executor.Core.Tests.Execution;

/// <summary>Validates with the real rules; the checks it creates only hand the test their notify callback.</summary>
internal sealed class FakeTaskCheckFactory : ITaskCheckFactory
{
    private readonly Channel<FakeTaskChecks> _created = Channel.CreateUnbounded<FakeTaskChecks>();

    /// <summary>Thrown by <see cref="Validate"/> when set.</summary>
    public Exception? ValidateThrows { get; set; }

    /// <summary>Thrown by <see cref="EmptyStatus"/> when set.</summary>
    public Exception? EmptyStatusThrows { get; set; }

    /// <summary>Thrown by <see cref="Create"/> when set.</summary>
    public Exception? CreateThrows { get; set; }

    /// <summary>Thrown by the created checks' <see cref="ITaskChecks.Start"/> when set.</summary>
    public Exception? StartThrows { get; set; }

    public string? Validate(TaskInfo task) => ValidateThrows is { } ex ? throw ex : CheckValidation.Validate(task);

    public CheckStatusInfo EmptyStatus(CheckInfo check) => EmptyStatusThrows is { } ex ? throw ex : CheckStatuses.Empty(check);

    public ITaskChecks? Create(TaskInfo task, ContainerDetails container, ILogger logger, Func<CheckNotification, CancellationToken, ValueTask> notify)
    {
        if (CreateThrows is { } ex)
        {
            throw ex;
        }

        if (task.HealthCheck == null && task.Check == null)
        {
            return null;
        }

        var checks = new FakeTaskChecks(task, notify) { StartThrows = StartThrows };
        _created.Writer.TryWrite(checks);
        return checks;
    }

    public ValueTask<FakeTaskChecks> NextCreatedAsync(CancellationToken cancellationToken) => _created.Reader.ReadAsync(cancellationToken);
}

internal sealed class FakeTaskChecks : ITaskChecks
{
    private readonly Func<CheckNotification, CancellationToken, ValueTask> _notify;

    public FakeTaskChecks(TaskInfo task, Func<CheckNotification, CancellationToken, ValueTask> notify)
    {
        Task = task;
        _notify = notify;
    }

    public TaskInfo Task { get; }

    public bool Started { get; private set; }

    public TaskCompletionSource Disposed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Exception? StartThrows { get; init; }

    public void Start() => Started = StartThrows is { } ex ? throw ex : true;

    public ValueTask NotifyAsync(CheckNotification notification) => _notify(notification, CancellationToken.None);

    public ValueTask DisposeAsync()
    {
        Disposed.TrySetResult();
        return ValueTask.CompletedTask;
    }
}
