using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Google.Protobuf;
using Mesos.V1.Executor;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Executor.Testing.Internal;

/// <summary>
/// What the fake agent has received and still owes: every request, the accepted updates, the
/// updates not acknowledged yet, the SUBSCRIBE calls and the number of ended streams; and the
/// waiters that complete when what they wait for is recorded. Thread-safe; waiters never poll.
/// </summary>
internal sealed class FakeAgentLedger
{
    private readonly object _gate = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly List<TaskStatus> _statusUpdates = [];
    private readonly List<TaskStatus> _pending = [];
    private readonly List<Call> _subscribeCalls = [];
    private readonly List<Func<bool>> _waiters = [];
    private int _disconnects;
    private bool _closed;

    public IReadOnlyList<RecordedRequest> Requests => Read(() => _requests.ToArray());

    public IReadOnlyList<TaskStatus> StatusUpdates => Read(() => _statusUpdates.ToArray());

    public IReadOnlyList<TaskStatus> Pending => Read(() => _pending.ToArray());

    public IReadOnlyList<Call> SubscribeCalls => Read(() => _subscribeCalls.ToArray());

    public int Disconnects => Read(() => _disconnects);

    /// <summary>Whether at least one SUBSCRIBE stream was opened (the agent then knows the executor).</summary>
    public bool EverSubscribed => Read(() => _subscribeCalls.Count > 0);

    /// <summary>
    /// Records a request with the agent's answer. An accepted UPDATE also goes into the status
    /// updates and, unless its uuid is pending already, into the pending acknowledgements.
    /// </summary>
    /// <returns>Whether the request was an UPDATE that is newly pending.</returns>
    public bool Record(RecordedRequest request)
    {
        lock (_gate)
        {
            _requests.Add(request);
            bool fresh = false;
            if (request.IsAccepted && request.Call is { Type: Call.Types.Type.Update } call)
            {
                _statusUpdates.Add(call.Update.Status);
                fresh = AddPendingLocked(call.Update.Status);
            }

            Notify();
            return fresh;
        }
    }

    /// <summary>
    /// Records an accepted SUBSCRIBE whose stream is open: the agent takes over the updates it
    /// carries as not acknowledged (valid uuids only).
    /// </summary>
    /// <returns>Every pending update, oldest first, for acknowledging on the new stream.</returns>
    public IReadOnlyList<TaskStatus> RecordSubscribed(Call call)
    {
        lock (_gate)
        {
            foreach (Call.Types.Update update in call.Subscribe.UnacknowledgedUpdates)
            {
                if (update.Status is { HasUuid: true } status && ExecutorCallValidator.IsValidUuid(status.Uuid))
                {
                    AddPendingLocked(status);
                }
            }

            _subscribeCalls.Add(call);
            Notify();
            return _pending.ToArray();
        }
    }

    /// <summary>Records that a SUBSCRIBE stream ended.</summary>
    public void RecordDisconnect()
    {
        lock (_gate)
        {
            _disconnects++;
            Notify();
        }
    }

    /// <summary>Whether an update with this uuid still waits for its acknowledgement.</summary>
    public bool IsPending(ByteString uuid) => Read(() => _pending.Exists(pending => pending.Uuid == uuid));

    /// <summary>Removes the update with this uuid from the pending ones (it was acknowledged).</summary>
    public void Acknowledged(ByteString uuid)
    {
        lock (_gate)
        {
            _pending.RemoveAll(pending => pending.Uuid == uuid);
        }
    }

    /// <summary>Waits until an accepted UPDATE carries <paramref name="state"/> for <paramref name="taskId"/>.</summary>
    public Task<TaskStatus> WaitForStatusAsync(string taskId, Mesos.V1.TaskState state, CancellationToken cancellationToken) =>
        WaitAsync(
            () =>
            {
                TaskStatus? match = _statusUpdates.Find(status => status.TaskId.Value == taskId && status.State == state);
                return (match != null, match!);
            },
            cancellationToken);

    /// <summary>Waits until <paramref name="count"/> SUBSCRIBE streams have opened.</summary>
    public Task<Call> WaitForSubscribeAsync(int count, CancellationToken cancellationToken) =>
        WaitAsync(
            () => (_subscribeCalls.Count >= count, _subscribeCalls.Count >= count ? _subscribeCalls[count - 1] : null!),
            cancellationToken);

    /// <summary>Waits until a request matching <paramref name="predicate"/> (run under the ledger's lock) is recorded.</summary>
    public Task<RecordedRequest> WaitForCallAsync(Func<RecordedRequest, bool> predicate, CancellationToken cancellationToken) =>
        WaitAsync(
            () =>
            {
                RecordedRequest? match = _requests.Find(request => predicate(request));
                return (match != null, match!);
            },
            cancellationToken);

    /// <summary>Waits until <paramref name="count"/> SUBSCRIBE streams have ended.</summary>
    public Task WaitForDisconnectAsync(int count, CancellationToken cancellationToken) =>
        WaitAsync(() => (_disconnects >= count, true), cancellationToken);

    /// <summary>Fails every pending and later wait with <see cref="ObjectDisposedException"/> (the agent was disposed).</summary>
    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
            Notify();
        }
    }

    // Under _gate. Returns whether the update was not pending yet (by uuid).
    private bool AddPendingLocked(TaskStatus status)
    {
        if (_pending.Exists(pending => pending.Uuid == status.Uuid))
        {
            return false;
        }

        _pending.Add(status);
        return true;
    }

    private T Read<T>(Func<T> read)
    {
        lock (_gate)
        {
            return read();
        }
    }

    // Under _gate: lets every waiter look at the new state; finished ones drop out.
    private void Notify() => _waiters.RemoveAll(static waiter => waiter());

    private async Task<T> WaitAsync<T>(Func<(bool Done, T Value)> probe, CancellationToken cancellationToken)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            (bool done, T value) = probe();
            if (done)
            {
                return value;
            }

            ObjectDisposedException.ThrowIf(_closed, typeof(FakeAgent));
            _waiters.Add(() =>
            {
                if (completion.Task.IsCompleted)
                {
                    return true;
                }

                if (_closed)
                {
                    return completion.TrySetException(new ObjectDisposedException(nameof(FakeAgent)));
                }

                (bool finished, T result) = probe();
                return finished && completion.TrySetResult(result);
            });
        }

        using (cancellationToken.Register(() => completion.TrySetCanceled(cancellationToken)))
        {
            return await completion.Task.ConfigureAwait(false);
        }
    }
}
