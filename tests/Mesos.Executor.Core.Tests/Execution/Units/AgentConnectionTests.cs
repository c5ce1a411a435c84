using System;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.Executor.Core.Execution;
using Mesos.V1;
using Mesos.V1.Executor;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace Mesos.Executor.Core.Tests.Execution.Units;

/// <summary>The connection alone, driven message by message as the loop would (src/executor/executor.cpp).</summary>
/// <remarks>One fixture instance per test: the agent, inbox and clock must not carry one test's leftovers into the next.</remarks>
[TestFixture]
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class AgentConnectionTests
{
    private readonly InMemoryAgentTransport _agent = new();
    private readonly LoopInbox _inbox = new();
    private readonly ObservableTimeProvider _time = new();

    private AgentConnection Connection(bool checkpoint, double random = 0.5) => new(
        new ExecutorSettings
        {
            FrameworkId = new FrameworkID { Value = "f" },
            ExecutorId = new ExecutorID { Value = "e" },
            Checkpoint = checkpoint,
            RecoveryTimeout = TimeSpan.FromMinutes(1),
            SubscriptionBackoffMax = TimeSpan.FromSeconds(2),
        },
        _agent,
        _inbox,
        new LoopFlows(_inbox, _time),
        () => random,
        () => new Call.Types.Subscribe(),
        NullLogger.Instance);

    private async Task<T> NextAsync<T>(CancellationToken cancellationToken)
        where T : LoopMessage
    {
        while (true)
        {
            if (await _inbox.Reader.ReadAsync(cancellationToken) is T message)
            {
                return message;
            }
        }
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Subscribe_EventsOfTheCurrentStreamAccepted_StaleOnesNot(CancellationToken cancellationToken)
    {
        AgentConnection connection = Connection(checkpoint: true);
        connection.Subscribe();
        SubscriptionAttempt first = await _agent.NextAttemptAsync(cancellationToken);
        first.Push(new Event { Type = Event.Types.Type.Heartbeat });
        AgentEventReceived old = await NextAsync<AgentEventReceived>(cancellationToken);

        Assert.That(connection.Accept(old), Is.True);
        connection.Subscribe();
        Assert.That(connection.Accept(old), Is.False, "a new stream makes the old one's events stale");
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task On503_SubscribesAgainAfterOneSecond(CancellationToken cancellationToken)
    {
        AgentConnection connection = Connection(checkpoint: false);
        connection.Subscribe();
        (await _agent.NextAttemptAsync(cancellationToken)).Answer(HttpStatusCode.ServiceUnavailable);

        int? exitCode = connection.OnSubscriptionEnded(await NextAsync<SubscriptionEnded>(cancellationToken), exiting: false);
        Assert.That((exitCode, connection.State, connection.CanDeliver), Is.EqualTo(((int?)null, ConnectionState.Disconnected, true)));
        await _time.WaitForTimerAsync(AgentConnection.SubscribeRetryInterval, cancellationToken);
        _time.Advance(AgentConnection.SubscribeRetryInterval);
        connection.OnTimer((await NextAsync<TimerFired>(cancellationToken)).Timer);

        Assert.That(await _agent.NextAttemptAsync(cancellationToken), Is.Not.Null);
        Assert.That(connection.State, Is.EqualTo(ConnectionState.Connecting));
    }

    [TestCase(HttpStatusCode.BadRequest)]
    [TestCase(HttpStatusCode.Forbidden)]
    [CancelAfter(30_000)]
    public async Task OnOtherStatus_GivesUpWithAgentError(HttpStatusCode status, CancellationToken cancellationToken)
    {
        AgentConnection connection = Connection(checkpoint: true);
        connection.Subscribe();
        (await _agent.NextAttemptAsync(cancellationToken)).Answer(status);

        int? exitCode = connection.OnSubscriptionEnded(await NextAsync<SubscriptionEnded>(cancellationToken), exiting: false);

        Assert.That((exitCode, connection.GaveUp, connection.CanDeliver), Is.EqualTo(((int?)ExecutorExitCodes.AgentError, true, false)));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Disconnected_WithoutCheckpoint_ShutsDown(CancellationToken cancellationToken)
    {
        AgentConnection connection = Connection(checkpoint: false);
        connection.Subscribe();
        SubscriptionAttempt attempt = await _agent.NextAttemptAsync(cancellationToken);
        connection.OnSubscribed();
        attempt.Drop();

        int? exitCode = connection.OnSubscriptionEnded(await NextAsync<SubscriptionEnded>(cancellationToken), exiting: false);

        Assert.That(exitCode, Is.EqualTo(ExecutorExitCodes.Disconnected));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Disconnected_WithCheckpoint_ResubscribesAtOnceThenBacksOffUntilRecoveryTimeout(CancellationToken cancellationToken)
    {
        AgentConnection connection = Connection(checkpoint: true, random: 0.25);
        connection.Subscribe();
        SubscriptionAttempt attempt = await _agent.NextAttemptAsync(cancellationToken);
        connection.OnSubscribed();
        attempt.Drop();

        Assert.That(connection.OnSubscriptionEnded(await NextAsync<SubscriptionEnded>(cancellationToken), exiting: false), Is.Null);
        SubscriptionAttempt again = await _agent.NextAttemptAsync(cancellationToken);
        again.Refuse();
        Assert.That(connection.OnSubscriptionEnded(await NextAsync<SubscriptionEnded>(cancellationToken), exiting: false), Is.Null);
        await _time.WaitForTimerAsync(TimeSpan.FromSeconds(0.5), cancellationToken);

        _time.Advance(TimeSpan.FromMinutes(1));
        int? exitCode = null;
        while (exitCode == null)
        {
            exitCode = connection.OnTimer((await NextAsync<TimerFired>(cancellationToken)).Timer);
        }

        Assert.That((exitCode, connection.GaveUp), Is.EqualTo(((int?)ExecutorExitCodes.RecoveryTimeout, true)));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Subscribed_SendsHeartbeatEveryInterval(CancellationToken cancellationToken)
    {
        AgentConnection connection = Connection(checkpoint: false);
        connection.Subscribe();
        await _agent.NextAttemptAsync(cancellationToken);
        connection.OnSubscribed();
        TimeSpan interval = new ExecutorOptions().HeartbeatInterval;
        await _time.WaitForTimerAsync(interval, cancellationToken);

        _time.Advance(interval);
        connection.OnTimer((await NextAsync<TimerFired>(cancellationToken)).Timer);

        Assert.That((await _agent.NextCallAsync(Call.Types.Type.Heartbeat, cancellationToken)).ExecutorId.Value, Is.EqualTo("e"));
    }
}
