using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Mesos.V1;
using Mesos.V1.Executor;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Executor.Testing;

// What the agent has received, for a test to inspect or await: the front of the internal ledger.
public sealed partial class FakeAgent
{
    /// <summary>
    /// Every request received so far, in arrival order, including rejected ones. Requests that
    /// reach the agent while it is being stopped get their connection closed unanswered, as a
    /// dead agent's would, and are not recorded. A SUBSCRIBE is
    /// recorded on arrival; use <see cref="WaitForSubscribeAsync"/> to wait until its stream is
    /// open. Requests the HTTP server itself rejects as malformed (400, 413, 431) never reach the
    /// agent and are not recorded.
    /// </summary>
    public IReadOnlyList<RecordedRequest> Requests => _ledger.Requests;

    /// <summary>The status of every accepted UPDATE, in arrival order (a resent update appears again).</summary>
    public IReadOnlyList<TaskStatus> StatusUpdates => _ledger.StatusUpdates;

    /// <summary>Accepted updates not acknowledged yet (withheld, delayed, or sent while no stream was open).</summary>
    public IReadOnlyList<TaskStatus> PendingAcknowledgements => _ledger.Pending;

    /// <summary>Every accepted SUBSCRIBE call, with its <c>unacknowledged_tasks</c> and <c>unacknowledged_updates</c>.</summary>
    public IReadOnlyList<Call> SubscribeCalls => _ledger.SubscribeCalls;

    /// <summary>How many SUBSCRIBE streams have ended, for any reason (executor closed it, <see cref="DropSubscriptionAsync"/>, <see cref="StopAsync"/>, a newer SUBSCRIBE).</summary>
    public int DisconnectCount => _ledger.Disconnects;

    /// <summary>Waits until an accepted UPDATE carries <paramref name="state"/> for <paramref name="taskId"/> (returns at once if one already did).</summary>
    /// <param name="taskId">The task id.</param>
    /// <param name="state">The state.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The first such status.</returns>
    public Task<TaskStatus> WaitForStatusAsync(string taskId, TaskState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(taskId);
        return _ledger.WaitForStatusAsync(taskId, state, cancellationToken);
    }

    /// <summary>
    /// Waits until <paramref name="count"/> SUBSCRIBE calls have been accepted; events sent from
    /// then on follow SUBSCRIBED on the <paramref name="count"/>-th stream (or on a newer one, if
    /// the executor has subscribed again since; see <see cref="SendEventAsync"/>).
    /// </summary>
    /// <remarks>
    /// A SUBSCRIBE counts when its stream is taken on, in the same step as it becomes the stream
    /// events go on. One that reaches the agent while it is being stopped (an executor retrying
    /// during <see cref="RestartAsync"/>) is not answered and does not count: only the stream the
    /// restarted agent opens does.
    /// </remarks>
    /// <param name="count">How many; 1 for the first.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The <paramref name="count"/>-th SUBSCRIBE call.</returns>
    public Task<Call> WaitForSubscribeAsync(int count = 1, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        return _ledger.WaitForSubscribeAsync(count, cancellationToken);
    }

    /// <summary>Waits until a request matching <paramref name="predicate"/> has been recorded (returns at once if one already was).</summary>
    /// <param name="predicate">Tests a request; runs under the agent's lock, so keep it short and do not call the agent from it.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The first matching request.</returns>
    public Task<RecordedRequest> WaitForCallAsync(Func<RecordedRequest, bool> predicate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return _ledger.WaitForCallAsync(predicate, cancellationToken);
    }

    /// <summary>Waits until <paramref name="count"/> SUBSCRIBE streams have ended (see <see cref="DisconnectCount"/>).</summary>
    /// <param name="count">How many; 1 for the first.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when they have.</returns>
    public Task WaitForDisconnectAsync(int count = 1, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        return _ledger.WaitForDisconnectAsync(count, cancellationToken);
    }
}
