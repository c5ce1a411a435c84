using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Google.Protobuf;
using Mesos.Executor.Core;
using Mesos.Executor.Testing.Internal;
using Mesos.V1;
using Mesos.V1.Executor;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Executor.Testing;

/// <summary>
/// An in-process Mesos agent for executor tests: a real HTTP/1.1 server (Kestrel) on
/// <c>127.0.0.1</c> (and optionally a Unix domain socket) serving the agent's
/// <c>/api/v1/executor</c> endpoint with the agent's validation, status codes and error texts.
/// Tests script the events it streams (LAUNCH, KILL, SHUTDOWN, ...), inspect and await the calls it
/// receives, drop the connection, and restart it on the same port.
/// </summary>
/// <remarks>
/// <para>
/// Like the agent (src/slave/http.cpp): a request goes through authentication (401), recovery
/// (503), method (405), <c>Content-Type</c> (400/415, compared exactly, so a <c>charset</c> is
/// rejected), decoding and validation (400), <c>Accept</c> for SUBSCRIBE (406), framework and
/// executor ids (400) and subscription (403) checks. HEARTBEAT is accepted right after validation.
/// SUBSCRIBE gets a chunked stream that starts with SUBSCRIBED; every accepted UPDATE is answered
/// 202 and then, unless disabled, acknowledged on the stream.
/// </para>
/// <para>
/// This type is the scripting front. The rules live in an internal pure function, what was
/// received in an internal ledger, and the transport is Kestrel.
/// </para>
/// <para>All members are thread-safe. Waiting members never poll: they complete when the awaited thing is recorded.</para>
/// </remarks>
public sealed partial class FakeAgent : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly FakeAgentOptions _options;
    private readonly TimeProvider _time;
    private readonly FakeAgentLedger _ledger = new();
    private readonly HashSet<Task> _tasks = [];

    private AgentHttpServer? _server;
    // The running server's lifetime, and the identity of that server: a request is served only
    // while the lifetime it was accepted under is still this one (null while stopped).
    private CancellationTokenSource? _lifetime;
    private FakeSubscription? _subscription;
    private int _port;
    private bool _recovering;
    private bool _autoAcknowledge;
    private bool _disposed;

    private FakeAgent(FakeAgentOptions options)
    {
        _options = options;
        _time = options.TimeProvider;
        _port = options.Port;
        _autoAcknowledge = options.AutoAcknowledge;
    }

    /// <summary>Test seam: runs inside <see cref="StopAsync"/> after the stop began and before the old server's listeners close.</summary>
    internal Func<Task>? WhileStoppingHook { get; set; }

    /// <summary>Test seam: runs inside start and <see cref="RestartAsync"/> once the new server listens, before the start returns.</summary>
    internal Func<Task>? WhileStartingHook { get; set; }

    /// <summary>The options the agent was started with.</summary>
    public FakeAgentOptions Options => _options;

    /// <summary>The TCP port the agent listens on (kept across <see cref="RestartAsync"/>).</summary>
    public int Port
    {
        get
        {
            lock (_gate)
            {
                return _port;
            }
        }
    }

    /// <summary>The agent's address as <c>MESOS_AGENT_ENDPOINT</c> gives it: <c>127.0.0.1:port</c>.</summary>
    public string Endpoint => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Port}");

    /// <summary>The executor API's URI, <c>http://127.0.0.1:port/api/v1/executor</c>.</summary>
    public Uri ExecutorApiUri => new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}{ExecutorApiRules.ExecutorApiPath}"));

    /// <summary>The Unix domain socket the agent also listens on, if configured.</summary>
    public string? UnixSocketPath => _options.UnixSocketPath;

    /// <summary>Whether the agent accepts connections (between start or <see cref="RestartAsync"/> and <see cref="StopAsync"/>).</summary>
    public bool IsRunning
    {
        get
        {
            lock (_gate)
            {
                return _server != null;
            }
        }
    }

    /// <summary>Whether an executor's SUBSCRIBE stream is open now.</summary>
    public bool IsSubscribed
    {
        get
        {
            lock (_gate)
            {
                return _subscription is { IsClosed: false };
            }
        }
    }

    /// <summary>
    /// Whether the agent answers every request 503 "Agent has not finished recovery", as a
    /// restarted agent does until it has recovered its state.
    /// </summary>
    public bool IsRecovering
    {
        get
        {
            lock (_gate)
            {
                return _recovering;
            }
        }

        set
        {
            lock (_gate)
            {
                _recovering = value;
            }
        }
    }

    /// <summary>Whether UPDATEs accepted from now on are acknowledged automatically (see <see cref="FakeAgentOptions.AutoAcknowledge"/>).</summary>
    public bool AutoAcknowledge
    {
        get
        {
            lock (_gate)
            {
                return _autoAcknowledge;
            }
        }

        set
        {
            lock (_gate)
            {
                _autoAcknowledge = value;
            }
        }
    }

    /// <summary>Starts an agent listening on 127.0.0.1 (and the Unix socket, if configured).</summary>
    /// <param name="options">How the agent behaves; defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running agent; dispose it to stop it.</returns>
    /// <exception cref="IOException">The port or socket path cannot be bound.</exception>
    public static async Task<FakeAgent> StartAsync(FakeAgentOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var agent = new FakeAgent(options ?? new FakeAgentOptions());
        await agent.ListenAsync(cancellationToken).ConfigureAwait(false);
        return agent;
    }

    /// <summary>
    /// The environment a Mesos agent would give an executor process it launches against this agent
    /// (<c>MESOS_FRAMEWORK_ID</c>, <c>MESOS_EXECUTOR_ID</c>, <c>MESOS_AGENT_ENDPOINT</c>,
    /// <c>MESOS_SLAVE_PID</c>, <c>MESOS_CHECKPOINT</c>, ...). Pass it to a child process, or to
    /// <see cref="ExecutorEnvironment.Parse"/> via <c>name =&gt; env.GetValueOrDefault(name)</c>.
    /// As the agent does: the operator's variables
    /// (<see cref="FakeExecutorEnvironmentOptions.OperatorVariables"/>) first, the agent's
    /// <c>MESOS_*</c> variables over them, and the variables of the SUBSCRIBED
    /// <c>ExecutorInfo.command.environment</c> (<see cref="FakeAgentOptions.ExecutorInfo"/>, where
    /// the agent merges the task's environment) over everything
    /// (<c>src/slave/containerizer/docker.cpp</c>, <c>launchExecutorProcess</c>).
    /// </summary>
    /// <param name="options">Checkpointing, durations, sandbox and the like; defaults when <see langword="null"/>.</param>
    /// <returns>The variables.</returns>
    public IReadOnlyDictionary<string, string> CreateExecutorEnvironment(FakeExecutorEnvironmentOptions? options = null) =>
        ExecutorEnvironmentBuilder.Build(_options, Endpoint, options ?? new FakeExecutorEnvironmentOptions());

    /// <summary>Acknowledges a pending update: sends ACKNOWLEDGED with its task id and uuid, and removes it from <see cref="PendingAcknowledgements"/>.</summary>
    /// <param name="status">The update's status (e.g. from <see cref="PendingAcknowledgements"/> or <see cref="WaitForStatusAsync"/>).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the acknowledgement is written.</returns>
    /// <exception cref="InvalidOperationException">No SUBSCRIBE stream is open.</exception>
    public async Task AcknowledgeAsync(TaskStatus status, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(status);
        await RequireSubscription().WriteEventAsync(AgentEvents.Acknowledged(status.TaskId, status.Uuid), cancellationToken).ConfigureAwait(false);
        _ledger.Acknowledged(status.Uuid);
    }

    /// <summary>Acknowledges every pending update, oldest first.</summary>
    /// <param name="cancellationToken">Cancels the writes.</param>
    /// <returns>A task that completes when every acknowledgement is written.</returns>
    /// <exception cref="InvalidOperationException">No SUBSCRIBE stream is open.</exception>
    public async Task AcknowledgeAllAsync(CancellationToken cancellationToken = default)
    {
        foreach (TaskStatus status in PendingAcknowledgements)
        {
            await AcknowledgeAsync(status, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Closes the executor's SUBSCRIBE connection and waits until the agent has recorded the disconnection.</summary>
    /// <param name="graceful">
    /// <see langword="false"/> (default) closes the connection inside the chunked body, as when an
    /// agent dies; <see langword="true"/> ends the body properly first.
    /// </param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the stream is closed.</returns>
    public async Task DropSubscriptionAsync(bool graceful = false, CancellationToken cancellationToken = default)
    {
        FakeSubscription? subscription;
        lock (_gate)
        {
            subscription = _subscription;
        }

        if (subscription == null)
        {
            return;
        }

        if (graceful)
        {
            await subscription.EndAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            subscription.Abort();
        }

        await subscription.Finished.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Takes the agent down: closes the listeners (new connections are refused), the SUBSCRIBE
    /// stream and every other connection, and waits for them to finish. From its start on, requests
    /// still reaching the old server are not answered or recorded. Recorded state is kept.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait for connections to finish.</param>
    /// <returns>A task that completes when the agent is down.</returns>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        AgentHttpServer? server;
        CancellationTokenSource? lifetime;
        FakeSubscription? subscription;
        Task[] tasks;
        lock (_gate)
        {
            server = _server;
            if (server == null)
            {
                return;
            }

            _server = null;
            lifetime = _lifetime;
            _lifetime = null;
            subscription = _subscription;
            tasks = [.. _tasks];
        }

        await lifetime!.CancelAsync().ConfigureAwait(false);
        subscription?.Abort();
        if (WhileStoppingHook is { } stopping)
        {
            await stopping().ConfigureAwait(false);
        }

        await server.DisposeAsync().AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(tasks).WaitAsync(cancellationToken).ConfigureAwait(false);
        lifetime.Dispose();
    }

    /// <summary>
    /// Restarts the agent on the same port (and socket path), as after an agent restart: the
    /// executor's stream is gone and it must SUBSCRIBE again. The agent still knows the executor (it
    /// recovered it from its checkpoint), so calls need no new SUBSCRIBE to pass the 403 check.
    /// Combine with <see cref="IsRecovering"/> to answer 503 for a while.
    /// </summary>
    /// <param name="cancellationToken">Cancels the stop's wait.</param>
    /// <returns>A task that completes when the agent listens again.</returns>
    /// <exception cref="IOException">The port or socket path cannot be bound again.</exception>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await StopAsync(cancellationToken).ConfigureAwait(false);
        await ListenAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the agent (see <see cref="StopAsync"/>) and removes its Unix socket file. Idempotent.</summary>
    /// <returns>A task that completes when the agent is down.</returns>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        await StopAsync().ConfigureAwait(false);

        // Pending waits fail rather than hang.
        _ledger.Close();
    }

    private async Task ListenAsync(CancellationToken cancellationToken)
    {
        // The lifetime is in place before the server listens: the executor's retry can get in as
        // soon as the port is bound, before this method returns, and must be served.
        var lifetime = new CancellationTokenSource();
        CancellationToken token = lifetime.Token;
        int port;
        lock (_gate)
        {
            if (_disposed)
            {
                lifetime.Dispose();
                throw new ObjectDisposedException(nameof(FakeAgent));
            }

            port = _port;
            _lifetime = lifetime;
        }

        AgentHttpServer server;
        try
        {
            server = await AgentHttpServer.StartAsync(port, _options.UnixSocketPath, _options.MaxRequestBodyBytes, context => HandleAsync(context, lifetime, token), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            lock (_gate)
            {
                if (_lifetime == lifetime)
                {
                    _lifetime = null;
                }
            }

            lifetime.Dispose();
            throw;
        }

        if (WhileStartingHook is { } starting)
        {
            await starting().ConfigureAwait(false);
        }

        lock (_gate)
        {
            _port = server.Port;
            _server = server;
        }
    }

    private void Track(Task task)
    {
        lock (_gate)
        {
            _tasks.RemoveWhere(static t => t.IsCompleted);
            _tasks.Add(task);
        }
    }

    // One request, as the agent handles it: decide by the rules, record it, answer it. The server
    // that accepted it runs under `server`; `lifetime` is that one's token.
    private async Task HandleAsync(HttpContext context, CancellationTokenSource server, CancellationToken lifetime)
    {
        DateTimeOffset receivedAt = _time.GetUtcNow();
        HttpRequest request = context.Request;
        if (await HttpExchange.ReadBodyAsync(context).ConfigureAwait(false) is not { } body)
        {
            return;
        }

        List<KeyValuePair<string, string>> headers = HttpExchange.Headers(request);

        AgentDecision decision;
        bool fresh;
        bool autoAcknowledge;
        FakeSubscription? subscription = null;
        FakeSubscription? previous = null;
        IReadOnlyList<TaskStatus> pending = [];
        lock (_gate)
        {
            if (_lifetime != server)
            {
                // The agent is going down (StopAsync, RestartAsync): a dead agent does not answer,
                // and what it never handled is not recorded; above all a SUBSCRIBE must not count
                // towards WaitForSubscribeAsync with a stream that is about to be cut.
                context.Abort();
                return;
            }

            var agentRequest = new AgentRequest(request.Method, request.Path.Value ?? string.Empty, HttpExchange.Header(request, "Authorization"), HttpExchange.Header(request, "Content-Type"), HttpExchange.Header(request, "Accept"), body);
            decision = ExecutorApiRules.Decide(agentRequest, new AgentState(_options, _recovering, _ledger.EverSubscribed));
            fresh = _ledger.Record(new RecordedRequest
            {
                Timestamp = receivedAt,
                Method = request.Method,
                Path = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path.Value + request.QueryString.Value,
                Headers = headers,
                Body = body,
                Call = decision.Call,
                ContentType = decision.ContentType,
                StatusCode = decision.Status,
                ResponseText = decision.Text,
            });
            autoAcknowledge = _autoAcknowledge;
            if (decision.SubscribeEventType is { } eventType)
            {
                // Published and counted in one step, under the lock StopAsync takes: once
                // WaitForSubscribeAsync(n) returns, the n-th stream (or a newer one) is the one
                // events go on, and a stop that follows sees it and closes it. The subscription is
                // born with its write lock taken, so whatever waiters send queues behind SUBSCRIBED.
                subscription = new FakeSubscription(context, eventType);
                previous = _subscription;
                _subscription = subscription;

                // The agent takes the executor's unacknowledged updates over again; they are
                // acknowledged on this stream.
                pending = _ledger.RecordSubscribed(decision.Call!);
            }
        }

        if (subscription != null)
        {
            await RunSubscriptionAsync(subscription, previous, pending, autoAcknowledge, lifetime).ConfigureAwait(false);
            return;
        }

        // The acknowledgement's delay starts now, but it goes out only after the 202, as the agent
        // acknowledges an update it has accepted.
        var responded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (fresh && autoAcknowledge)
        {
            Track(AcknowledgeLaterAsync(decision.Call!.Update.Status, responded.Task, lifetime));
        }

        try
        {
            await HttpExchange.WriteAsync(context, decision).ConfigureAwait(false);
        }
        finally
        {
            responded.TrySetResult();
        }
    }

    private async Task RunSubscriptionAsync(FakeSubscription subscription, FakeSubscription? previous, IReadOnlyList<TaskStatus> pending, bool autoAcknowledge, CancellationToken lifetime)
    {
        // A new SUBSCRIBE replaces the executor's previous connection (Slave::subscribe).
        previous?.Abort();
        try
        {
            if (autoAcknowledge)
            {
                foreach (TaskStatus status in pending)
                {
                    Track(AcknowledgeLaterAsync(status, Task.CompletedTask, lifetime));
                }
            }

            Event[] first = _options.SendSubscribed ? [AgentEvents.Subscribed(_options, Port)] : [];
            await subscription.OpenAsync(first, lifetime).ConfigureAwait(false);
            await subscription.Closed.WaitAsync(lifetime).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException)
        {
            // The stream closed while opening, or the agent is stopping.
        }
        finally
        {
            subscription.Abort();
            lock (_gate)
            {
                if (_subscription == subscription)
                {
                    _subscription = null;
                }
            }

            _ledger.RecordDisconnect();
            subscription.Finish();
        }
    }

    private async Task AcknowledgeLaterAsync(TaskStatus status, Task responded, CancellationToken cancellationToken)
    {
        try
        {
            // The timer starts synchronously, before this method first yields.
            Task delay = _options.AcknowledgementDelay > TimeSpan.Zero
                ? Task.Delay(_options.AcknowledgementDelay, _time, cancellationToken)
                : Task.CompletedTask;
            await responded.ConfigureAwait(false);
            await delay.ConfigureAwait(false);

            FakeSubscription? subscription;
            lock (_gate)
            {
                subscription = _subscription;
            }

            if (subscription == null || !_ledger.IsPending(status.Uuid))
            {
                // No stream to deliver on (it stays pending until the next SUBSCRIBE), or already
                // acknowledged.
                return;
            }

            await subscription.WriteEventAsync(AgentEvents.Acknowledged(status.TaskId, status.Uuid), cancellationToken).ConfigureAwait(false);
            _ledger.Acknowledged(status.Uuid);
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException)
        {
            // The agent stopped or the stream closed: the update stays pending.
        }
    }

    private FakeSubscription RequireSubscription()
    {
        lock (_gate)
        {
            return _subscription is { IsClosed: false } subscription
                ? subscription
                : throw new InvalidOperationException("No executor is subscribed: there is no SUBSCRIBE stream to send on.");
        }
    }
}
