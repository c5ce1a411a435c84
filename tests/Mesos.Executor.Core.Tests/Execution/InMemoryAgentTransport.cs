using System;
using System.Collections.Generic;
using System.Net;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.Executor.Core.Agent;
using Mesos.V1.Executor;

namespace Mesos.Executor.Core.Tests.Execution;

/// <summary>An in-memory agent: each SUBSCRIBE becomes a <see cref="SubscriptionAttempt"/> the test drives; other calls are recorded and answered by <see cref="OnSend"/>.</summary>
internal sealed class InMemoryAgentTransport : IAgentTransport
{
    private readonly Channel<SubscriptionAttempt> _attempts = Channel.CreateUnbounded<SubscriptionAttempt>();
    private readonly Channel<Call> _calls = Channel.CreateUnbounded<Call>();
    private readonly List<Call> _allCalls = [];

    /// <summary>Answers UPDATE/MESSAGE/HEARTBEAT; completes (202) by default.</summary>
    public Func<Call, CancellationToken, Task> OnSend { get; set; } = static (_, _) => Task.CompletedTask;

    /// <summary>Every non-SUBSCRIBE call so far.</summary>
    public IReadOnlyList<Call> AllCalls
    {
        get
        {
            lock (_allCalls)
            {
                return [.. _allCalls];
            }
        }
    }

    public async IAsyncEnumerable<Event> SubscribeAsync(Call subscribe, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var attempt = new SubscriptionAttempt(subscribe.Clone());
        _attempts.Writer.TryWrite(attempt);
        while (await attempt.Events.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (attempt.Events.Reader.TryRead(out Event? e))
            {
                yield return e;
            }
        }

        throw attempt.Error ?? new AgentApiException("stream ended", null, isTransient: true, isSubscriptionLost: true);
    }

    public async Task SendAsync(Call call, CancellationToken cancellationToken)
    {
        Call copy = call.Clone();
        lock (_allCalls)
        {
            _allCalls.Add(copy);
        }

        _calls.Writer.TryWrite(copy);
        await OnSend(copy, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask<SubscriptionAttempt> NextAttemptAsync(CancellationToken cancellationToken) => _attempts.Reader.ReadAsync(cancellationToken);

    public bool TryGetAttempt(out SubscriptionAttempt? attempt) => _attempts.Reader.TryRead(out attempt);

    /// <summary>The next call of <paramref name="type"/>; others are skipped.</summary>
    public async Task<Call> NextCallAsync(Call.Types.Type type, CancellationToken cancellationToken)
    {
        while (true)
        {
            Call call = await _calls.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (call.Type == type)
            {
                return call;
            }
        }
    }

    public bool TryGetCall(out Call? call) => _calls.Reader.TryRead(out call);
}

/// <summary>One SUBSCRIBE call: the test pushes events or ends it.</summary>
internal sealed class SubscriptionAttempt
{
    public SubscriptionAttempt(Call subscribe) => Subscribe = subscribe;

    public Call Subscribe { get; }

    public Channel<Event> Events { get; } = Channel.CreateUnbounded<Event>();

    public Exception? Error { get; private set; }

    public void Push(Event e) => Events.Writer.TryWrite(e);

    /// <summary>Ends the attempt by throwing <paramref name="error"/> from the transport.</summary>
    public void Fail(Exception error)
    {
        Error = error;
        Events.Writer.TryComplete();
    }

    /// <summary>The connection broke after 200 OK.</summary>
    public void Drop() => Fail(new AgentApiException("connection reset", null, isTransient: true, isSubscriptionLost: true));

    /// <summary>No connection could be made.</summary>
    public void Refuse() => Fail(new AgentApiException("connection refused", null, isTransient: true));

    /// <summary>The agent answered SUBSCRIBE with <paramref name="status"/>.</summary>
    public void Answer(HttpStatusCode status) => Fail(new AgentApiException($"agent answered {(int)status}", status, isTransient: status == HttpStatusCode.ServiceUnavailable));
}
