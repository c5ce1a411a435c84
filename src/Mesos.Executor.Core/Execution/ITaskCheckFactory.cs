using System;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core.Checks;
using Mesos.V1;
using Microsoft.Extensions.Logging;

namespace Mesos.Executor.Core.Execution;

/// <summary>
/// The executor loop's view of checks: validation, the empty check status, and starting the
/// checks of a running task. Lets the state machine's tests drive check notifications directly.
/// </summary>
internal interface ITaskCheckFactory
{
    /// <summary>Validates the task's <c>health_check</c> and <c>check</c>.</summary>
    /// <returns><see langword="null"/> when valid, else a message naming the offending field.</returns>
    string? Validate(TaskInfo task);

    /// <summary>The <c>check_status</c> to report before the check's first result.</summary>
    CheckStatusInfo EmptyStatus(CheckInfo check);

    /// <summary>Creates the checks of a running task, or returns <see langword="null"/> when it has none.</summary>
    /// <param name="task">The task, with disabled kinds of check already removed.</param>
    /// <param name="container">The task's running container.</param>
    /// <param name="logger">The logger for the checks.</param>
    /// <param name="notify">Posts a notification to the executor loop.</param>
    ITaskChecks? Create(TaskInfo task, ContainerDetails container, ILogger logger, Func<CheckNotification, CancellationToken, ValueTask> notify);
}

/// <summary>The running checks of one task.</summary>
internal interface ITaskChecks : IAsyncDisposable
{
    /// <summary>Starts checking.</summary>
    void Start();
}
