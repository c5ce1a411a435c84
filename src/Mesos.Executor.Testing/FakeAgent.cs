using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Google.Protobuf;
using Mesos.Executor.Core;
using Mesos.Executor.Core.Agent;
using Mesos.Executor.Testing.Internal;
using Mesos.V1;
using Mesos.V1.Executor;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Executor.Testing;

/// <summary>
/// An in-process Mesos agent for executor tests: a real HTTP/1.1 server on <c>127.0.0.1</c> (and
/// optionally a Unix domain socket) serving the agent's <c>/api/v1/executor</c> endpoint with the
/// agent's validation, status codes and error texts. Tests script the events it streams
/// (LAUNCH, KILL, SHUTDOWN, ...), inspect and await the calls it receives, drop the connection,
/// and restart it on the same port.
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
/// <para>All members are thread-safe. Waiting members never poll: they complete when the awaited thing is recorded.</para>
/// </remarks>
public sealed class FakeAgent : IAsyncDisposable
{
    private const string ExecutorApiPath = "/api/v1/executor";
    private const string PidExecutorApiPath = "/slave(1)/api/v1/executor";

    private readonly object _gate = new();
    private readonly FakeAgentOptions _options;
    private readonly TimeProvider _time;
    private readonly List<RecordedRequest> _requests = [];
    private readonly List<TaskStatus> _statusUpdates = [];
    private readonly List<TaskStatus> _pending = [];
    private readonly List<Call> _subscribeCalls = [];
    private readonly List<Func<bool>> _waiters = [];
    private readonly HashSet<Task> _tasks = [];
    private readonly HashSet<Socket> _connections = [];

    private Socket? _tcpListener;
    private Socket? _unixListener;
    private CancellationTokenSource? _lifetime;
    private FakeSubscription? _subscription;
    private int _port;
    private int _disconnects;
    private bool _running;
    private bool _everSubscribed;
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

    /// <summary>The options the agent was started with.</summary>
    public FakeAgentOptions Options => _options;

    /// <summary>The TCP port the agent listens on (kept across <see cref="RestartAsync"/>).</summary>
    public int Port => _port;

    /// <summary>The agent's address as <c>MESOS_AGENT_ENDPOINT</c> gives it: <c>127.0.0.1:port</c>.</summary>
    public string Endpoint => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{_port}");

    /// <summary>The executor API's URI, <c>http://127.0.0.1:port/api/v1/executor</c>.</summary>
    public Uri ExecutorApiUri => new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{_port}{ExecutorApiPath}"));

    /// <summary>The Unix domain socket the agent also listens on, if configured.</summary>
    public string? UnixSocketPath => _options.UnixSocketPath;

    /// <summary>Whether the agent accepts connections (between start or <see cref="RestartAsync"/> and <see cref="StopAsync"/>).</summary>
    public bool IsRunning
    {
        get
        {
            lock (_gate)
            {
                return _running;
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

    /// <summary>Every request received so far, in arrival order, including rejected ones. A SUBSCRIBE is recorded on arrival; use <see cref="WaitForSubscribeAsync"/> to wait until its stream is open.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return _requests.ToArray();
            }
        }
    }

    /// <summary>The status of every accepted UPDATE, in arrival order (a resent update appears again).</summary>
    public IReadOnlyList<TaskStatus> StatusUpdates
    {
        get
        {
            lock (_gate)
            {
                return _statusUpdates.ToArray();
            }
        }
    }

    /// <summary>Accepted updates not acknowledged yet (withheld, delayed, or sent while no stream was open).</summary>
    public IReadOnlyList<TaskStatus> PendingAcknowledgements
    {
        get
        {
            lock (_gate)
            {
                return _pending.ToArray();
            }
        }
    }

    /// <summary>Every accepted SUBSCRIBE call, with its <c>unacknowledged_tasks</c> and <c>unacknowledged_updates</c>.</summary>
    public IReadOnlyList<Call> SubscribeCalls
    {
        get
        {
            lock (_gate)
            {
                return _subscribeCalls.ToArray();
            }
        }
    }

    /// <summary>How many SUBSCRIBE streams have ended, for any reason (executor closed it, <see cref="DropSubscriptionAsync"/>, <see cref="StopAsync"/>, a newer SUBSCRIBE).</summary>
    public int DisconnectCount
    {
        get
        {
            lock (_gate)
            {
                return _disconnects;
            }
        }
    }

    /// <summary>Starts an agent listening on 127.0.0.1 (and the Unix socket, if configured).</summary>
    /// <param name="options">How the agent behaves; defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running agent; dispose it to stop it.</returns>
    /// <exception cref="SocketException">The port or socket path cannot be bound.</exception>
    public static Task<FakeAgent> StartAsync(FakeAgentOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var agent = new FakeAgent(options ?? new FakeAgentOptions());
        agent.Listen();
        return Task.FromResult(agent);
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
    public IReadOnlyDictionary<string, string> CreateExecutorEnvironment(FakeExecutorEnvironmentOptions? options = null)
    {
        options ??= new FakeExecutorEnvironmentOptions();
        var environment = new Dictionary<string, string>(options.OperatorVariables, StringComparer.Ordinal)
        {
            ["MESOS_FRAMEWORK_ID"] = _options.FrameworkId,
            ["MESOS_EXECUTOR_ID"] = _options.ExecutorId,
            ["MESOS_SLAVE_ID"] = _options.AgentId,
            ["MESOS_SLAVE_PID"] = "slave(1)@" + Endpoint,
            ["MESOS_AGENT_ENDPOINT"] = Endpoint,
            ["MESOS_CHECKPOINT"] = options.Checkpoint ? "1" : "0",
            ["MESOS_HTTP_COMMAND_EXECUTOR"] = options.HttpCommandExecutor ? "1" : "0",
            ["MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD"] = MesosDuration.Format(options.ShutdownGracePeriod),
        };

        if (options.Checkpoint)
        {
            environment["MESOS_RECOVERY_TIMEOUT"] = MesosDuration.Format(options.RecoveryTimeout);
            environment["MESOS_SUBSCRIPTION_BACKOFF_MAX"] = MesosDuration.Format(options.SubscriptionBackoffMax);
        }

        if (options.Directory != null)
        {
            environment["MESOS_DIRECTORY"] = options.Directory;
        }

        if (options.Sandbox != null)
        {
            environment["MESOS_SANDBOX"] = options.Sandbox;
        }

        if (options.IncludeAuthenticationToken && _options.AuthenticationToken != null)
        {
            environment["MESOS_EXECUTOR_AUTHENTICATION_TOKEN"] = _options.AuthenticationToken;
        }

        if (options.UseDomainSocket && _options.UnixSocketPath != null)
        {
            environment["MESOS_DOMAIN_SOCKET"] = _options.UnixSocketPath;
        }

        if (_options.ExecutorInfo?.Command?.Environment is { } executorEnvironment)
        {
            foreach (Mesos.V1.Environment.Types.Variable variable in executorEnvironment.Variables)
            {
                environment[variable.Name] = variable.Value;
            }
        }

        return environment;
    }

    /// <summary>Sends any event on the open SUBSCRIBE stream.</summary>
    /// <param name="event">The event.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the event is written.</returns>
    /// <exception cref="InvalidOperationException">No SUBSCRIBE stream is open.</exception>
    public Task SendEventAsync(Event @event, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(@event);
        return RequireSubscription().WriteEventAsync(@event, cancellationToken);
    }

    /// <summary>Sends (another) SUBSCRIBED event, as configured in the options.</summary>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the event is written.</returns>
    /// <exception cref="InvalidOperationException">No SUBSCRIBE stream is open.</exception>
    public Task SendSubscribedAsync(CancellationToken cancellationToken = default) =>
        SendEventAsync(CreateSubscribedEvent(), cancellationToken);

    /// <summary>Sends LAUNCH for one task.</summary>
    /// <param name="task">The task to launch.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the event is written.</returns>
    /// <exception cref="InvalidOperationException">No SUBSCRIBE stream is open.</exception>
    public Task SendLaunchAsync(TaskInfo task, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        return SendEventAsync(
            new Event { Type = Event.Types.Type.Launch, Launch = new Event.Types.Launch { Task = task } },
            cancellationToken);
    }

    /// <summary>Sends LAUNCH_GROUP for a task group.</summary>
    /// <param name="taskGroup">The tasks to launch together.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the event is written.</returns>
    /// <exception cref="InvalidOperationException">No SUBSCRIBE stream is open.</exception>
    public Task SendLaunchGroupAsync(TaskGroupInfo taskGroup, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(taskGroup);
        return SendEventAsync(
            new Event { Type = Event.Types.Type.LaunchGroup, LaunchGroup = new Event.Types.LaunchGroup { TaskGroup = taskGroup } },
            cancellationToken);
    }

    /// <summary>Sends KILL for a task.</summary>
    /// <param name="taskId">The task to kill.</param>
    /// <param name="killPolicy">Overrides the task's kill policy, if given.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the event is written.</returns>
    /// <exception cref="InvalidOperationException">No SUBSCRIBE stream is open.</exception>
    public Task SendKillAsync(TaskID taskId, KillPolicy? killPolicy = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(taskId);
        var kill = new Event.Types.Kill { TaskId = taskId };
        if (killPolicy != null)
        {
            kill.KillPolicy = killPolicy;
        }

        return SendEventAsync(new Event { Type = Event.Types.Type.Kill, Kill = kill }, cancellationToken);
    }

    /// <summary>Sends a framework MESSAGE.</summary>
    /// <param name="data">The message's bytes.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the event is written.</returns>
    /// <exception cref="InvalidOperationException">No SUBSCRIBE stream is open.</exception>
    public Task SendMessageAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) =>
        SendEventAsync(
            new Event { Type = Event.Types.Type.Message, Message = new Event.Types.Message { Data = ByteString.CopyFrom(data.Span) } },
            cancellationToken);

    /// <summary>Sends a HEARTBEAT event.</summary>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the event is written.</returns>
    /// <exception cref="InvalidOperationException">No SUBSCRIBE stream is open.</exception>
    public Task SendHeartbeatAsync(CancellationToken cancellationToken = default) =>
        SendEventAsync(new Event { Type = Event.Types.Type.Heartbeat }, cancellationToken);

    /// <summary>Sends SHUTDOWN: the executor must kill every task and exit.</summary>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the event is written.</returns>
    /// <exception cref="InvalidOperationException">No SUBSCRIBE stream is open.</exception>
    public Task SendShutdownAsync(CancellationToken cancellationToken = default) =>
        SendEventAsync(new Event { Type = Event.Types.Type.Shutdown }, cancellationToken);

    /// <summary>Sends an ERROR event.</summary>
    /// <param name="message">The error text.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the event is written.</returns>
    /// <exception cref="InvalidOperationException">No SUBSCRIBE stream is open.</exception>
    public Task SendErrorAsync(string message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return SendEventAsync(
            new Event { Type = Event.Types.Type.Error, Error = new Event.Types.Error { Message = message } },
            cancellationToken);
    }

    /// <summary>Sends an ACKNOWLEDGED event for any task and uuid, pending or not (see <see cref="AcknowledgeAsync"/> for the usual case).</summary>
    /// <param name="taskId">The task.</param>
    /// <param name="uuid">The update's uuid.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the event is written.</returns>
    /// <exception cref="InvalidOperationException">No SUBSCRIBE stream is open.</exception>
    public Task SendAcknowledgedAsync(TaskID taskId, ByteString uuid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(taskId);
        ArgumentNullException.ThrowIfNull(uuid);
        return SendEventAsync(CreateAcknowledged(taskId, uuid), cancellationToken);
    }

    /// <summary>Writes raw bytes into the SUBSCRIBE stream's body, without RecordIO framing: for testing how an executor copes with a malformed stream.</summary>
    /// <param name="data">The bytes; sent as one HTTP chunk.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the bytes are written.</returns>
    /// <exception cref="InvalidOperationException">No SUBSCRIBE stream is open.</exception>
    public Task SendRawAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) =>
        RequireSubscription().WriteChunkAsync(data, cancellationToken);

    /// <summary>Acknowledges a pending update: sends ACKNOWLEDGED with its task id and uuid, and removes it from <see cref="PendingAcknowledgements"/>.</summary>
    /// <param name="status">The update's status (e.g. from <see cref="PendingAcknowledgements"/> or <see cref="WaitForStatusAsync"/>).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the acknowledgement is written.</returns>
    /// <exception cref="InvalidOperationException">No SUBSCRIBE stream is open.</exception>
    public async Task AcknowledgeAsync(TaskStatus status, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(status);
        await RequireSubscription().WriteEventAsync(CreateAcknowledged(status.TaskId, status.Uuid), cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            _pending.RemoveAll(pending => pending.Uuid == status.Uuid);
        }
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

        await WaitAsync(() => (_subscription != subscription, true), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Takes the agent down: closes the listeners (new connections are refused), the SUBSCRIBE
    /// stream and every other connection, and waits for them to finish. Recorded state is kept.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait for connections to finish.</param>
    /// <returns>A task that completes when the agent is down.</returns>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        Task[] tasks;
        CancellationTokenSource lifetime;
        FakeSubscription? subscription;
        lock (_gate)
        {
            if (!_running)
            {
                return;
            }

            _running = false;
            lifetime = _lifetime!;
            subscription = _subscription;
            _tcpListener?.Dispose();
            _unixListener?.Dispose();
            _tcpListener = null;
            _unixListener = null;
            foreach (Socket connection in _connections)
            {
                connection.Dispose();
            }

            tasks = [.. _tasks];
        }

        await lifetime.CancelAsync().ConfigureAwait(false);
        subscription?.Abort();
        await Task.WhenAll(tasks).WaitAsync(cancellationToken).ConfigureAwait(false);
        lifetime.Dispose();
        DeleteUnixSocketFile();
    }

    /// <summary>
    /// Restarts the agent on the same port (and socket path), as after an agent restart: the
    /// executor's stream is gone and it must SUBSCRIBE again. The agent still knows the executor (it
    /// recovered it from its checkpoint), so calls need no new SUBSCRIBE to pass the 403 check.
    /// Combine with <see cref="IsRecovering"/> to answer 503 for a while.
    /// </summary>
    /// <param name="cancellationToken">Cancels the stop's wait.</param>
    /// <returns>A task that completes when the agent listens again.</returns>
    /// <exception cref="SocketException">The port or socket path cannot be bound again.</exception>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await StopAsync(cancellationToken).ConfigureAwait(false);
        Listen();
    }

    /// <summary>Waits until an accepted UPDATE carries <paramref name="state"/> for <paramref name="taskId"/> (returns at once if one already did).</summary>
    /// <param name="taskId">The task id.</param>
    /// <param name="state">The state.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The first such status.</returns>
    public Task<TaskStatus> WaitForStatusAsync(string taskId, TaskState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(taskId);
        return WaitAsync(
            () =>
            {
                TaskStatus? match = _statusUpdates.Find(status => status.TaskId.Value == taskId && status.State == state);
                return (match != null, match!);
            },
            cancellationToken);
    }

    /// <summary>Waits until <paramref name="count"/> SUBSCRIBE calls have been accepted; events sent from then on follow SUBSCRIBED on the new stream.</summary>
    /// <param name="count">How many; 1 for the first.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The <paramref name="count"/>-th SUBSCRIBE call.</returns>
    public Task<Call> WaitForSubscribeAsync(int count = 1, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        return WaitAsync(
            () => (_subscribeCalls.Count >= count, _subscribeCalls.Count >= count ? _subscribeCalls[count - 1] : null!),
            cancellationToken);
    }

    /// <summary>Waits until a request matching <paramref name="predicate"/> has been recorded (returns at once if one already was).</summary>
    /// <param name="predicate">Tests a request; runs under the agent's lock, so keep it short and do not call the agent from it.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The first matching request.</returns>
    public Task<RecordedRequest> WaitForCallAsync(Func<RecordedRequest, bool> predicate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return WaitAsync(
            () =>
            {
                RecordedRequest? match = _requests.Find(request => predicate(request));
                return (match != null, match!);
            },
            cancellationToken);
    }

    /// <summary>Waits until <paramref name="count"/> SUBSCRIBE streams have ended (see <see cref="DisconnectCount"/>).</summary>
    /// <param name="count">How many; 1 for the first.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when they have.</returns>
    public Task WaitForDisconnectAsync(int count = 1, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        return WaitAsync(() => (_disconnects >= count, true), cancellationToken);
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
        lock (_gate)
        {
            // Pending waits fail rather than hang.
            Notify();
        }
    }

    private void Listen()
    {
        var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        Socket? unix = null;
        try
        {
            // Rebinding the same port right after a stop must not fail on TIME_WAIT connections.
            tcp.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            tcp.Bind(new IPEndPoint(IPAddress.Loopback, _port));
            tcp.Listen(128);
            if (_options.UnixSocketPath != null)
            {
                DeleteUnixSocketFile();
                unix = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                unix.Bind(new UnixDomainSocketEndPoint(_options.UnixSocketPath));
                unix.Listen(128);
            }
        }
        catch
        {
            tcp.Dispose();
            unix?.Dispose();
            throw;
        }

        CancellationToken token;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _port = ((IPEndPoint)tcp.LocalEndPoint!).Port;
            _tcpListener = tcp;
            _unixListener = unix;
            _lifetime = new CancellationTokenSource();
            _running = true;
            token = _lifetime.Token;
        }

        Track(AcceptLoopAsync(tcp, token));
        if (unix != null)
        {
            Track(AcceptLoopAsync(unix, token));
        }
    }

    private void DeleteUnixSocketFile()
    {
        if (_options.UnixSocketPath != null && File.Exists(_options.UnixSocketPath))
        {
            File.Delete(_options.UnixSocketPath);
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

    private async Task AcceptLoopAsync(Socket listener, CancellationToken cancellationToken)
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return;
            }

            lock (_gate)
            {
                if (!_running)
                {
                    client.Dispose();
                    return;
                }

                _connections.Add(client);
            }

            Track(HandleConnectionAsync(client, cancellationToken));
        }
    }

    private async Task HandleConnectionAsync(Socket socket, CancellationToken cancellationToken)
    {
        var stream = new NetworkStream(socket, ownsSocket: true);
        try
        {
            var reader = new HttpRequestReader(stream, _options.MaxRequestBodyBytes);
            while (true)
            {
                HttpRequestData? request;
                try
                {
                    request = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (HttpFormatException ex)
                {
                    await WriteResponseAsync(stream, (HttpStatusCode)ex.StatusCode, ex.Message, extraHeader: null, close: true, cancellationToken).ConfigureAwait(false);
                    return;
                }

                if (request == null)
                {
                    return;
                }

                DateTimeOffset receivedAt = _time.GetUtcNow();
                Decision decision = Decide(request, receivedAt);
                if (decision.SubscribeEventType is { } eventType)
                {
                    await RunSubscriptionAsync(socket, stream, decision.Call!, eventType, cancellationToken).ConfigureAwait(false);
                    return;
                }

                // The acknowledgement's delay starts now, but it goes out only after the 202, as
                // the agent acknowledges an update it has accepted.
                var responded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                if (decision.Acknowledge is { } update)
                {
                    Track(AcknowledgeLaterAsync(update, responded.Task, cancellationToken));
                }

                try
                {
                    await WriteResponseAsync(stream, decision.Status, decision.Text, decision.ExtraHeader, request.WantsClose, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    responded.TrySetResult();
                }

                if (request.WantsClose)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // The client went away or the agent is stopping.
        }
        finally
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            lock (_gate)
            {
                _connections.Remove(socket);
            }
        }
    }

    // The agent's request handling up to the response, in the agent's order (src/slave/http.cpp,
    // Http::executor). Records every request on arrival; an accepted SUBSCRIBE also counts in
    // SubscribeCalls once its stream is open.
    private Decision Decide(HttpRequestData request, DateTimeOffset receivedAt)
    {
        lock (_gate)
        {
            Decision decision = DecideLocked(request);
            Record(request, receivedAt, decision);
            return decision;
        }
    }

    private Decision DecideLocked(HttpRequestData request)
    {
        string path = request.Target;
        int query = path.IndexOf('?', StringComparison.Ordinal);
        if (query >= 0)
        {
            path = path[..query];
        }

        if (path != ExecutorApiPath && path != PidExecutorApiPath)
        {
            return new Decision(HttpStatusCode.NotFound, string.Empty);
        }

        if (_options.AuthenticationToken != null &&
            !string.Equals(request.GetHeader("Authorization"), "Bearer " + _options.AuthenticationToken, StringComparison.Ordinal))
        {
            return new Decision(HttpStatusCode.Unauthorized, string.Empty) { ExtraHeader = "WWW-Authenticate: Bearer realm=\"mesos-agent-executor\"" };
        }

        if (_recovering)
        {
            return new Decision(HttpStatusCode.ServiceUnavailable, "Agent has not finished recovery");
        }

        if (request.Method != "POST")
        {
            return new Decision(HttpStatusCode.MethodNotAllowed, $"Expecting one of {{ 'POST' }}, but received '{request.Method}'") { ExtraHeader = "Allow: POST" };
        }

        string? contentTypeHeader = request.GetHeader("Content-Type");
        if (contentTypeHeader == null)
        {
            return new Decision(HttpStatusCode.BadRequest, "Expecting 'Content-Type' to be present");
        }

        AgentContentType contentType;
        if (contentTypeHeader == MesosCodec.MediaType(AgentContentType.Protobuf))
        {
            contentType = AgentContentType.Protobuf;
        }
        else if (contentTypeHeader == MesosCodec.MediaType(AgentContentType.Json))
        {
            contentType = AgentContentType.Json;
        }
        else
        {
            return new Decision(HttpStatusCode.UnsupportedMediaType, "Expecting 'Content-Type' of application/json or application/x-protobuf");
        }

        Call call;
        try
        {
            call = MesosCodec.DecodeCall(request.Body, contentType);
        }
        catch (InvalidDataException ex)
        {
            string text = contentType == AgentContentType.Protobuf
                ? "Failed to parse body into Call protobuf"
                : "Failed to convert JSON into Call protobuf: " + ex.Message;
            return new Decision(HttpStatusCode.BadRequest, text) { ContentType = contentType };
        }

        string? invalid = ExecutorCallValidator.Validate(call);
        if (invalid != null)
        {
            return new Decision(HttpStatusCode.BadRequest, "Failed to validate Executor::Call: " + invalid) { Call = call, ContentType = contentType };
        }

        AgentContentType? eventType = null;
        if (call.Type == Call.Types.Type.Subscribe)
        {
            string? accept = request.GetHeader("Accept");
            AgentContentType other = _options.PreferredContentType == AgentContentType.Json ? AgentContentType.Protobuf : AgentContentType.Json;
            if (AcceptHeader.Allows(accept, MesosCodec.MediaType(_options.PreferredContentType)))
            {
                eventType = _options.PreferredContentType;
            }
            else if (AcceptHeader.Allows(accept, MesosCodec.MediaType(other)))
            {
                eventType = other;
            }
            else
            {
                return new Decision(HttpStatusCode.NotAcceptable, "Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'") { Call = call, ContentType = contentType };
            }
        }
        else if (call.Type == Call.Types.Type.Heartbeat)
        {
            // Accepted before the id checks: the reference client may send placeholder ids.
            return new Decision(HttpStatusCode.Accepted, string.Empty) { Call = call, ContentType = contentType };
        }

        if (call.FrameworkId.Value != _options.FrameworkId)
        {
            return new Decision(HttpStatusCode.BadRequest, "Framework cannot be found") { Call = call, ContentType = contentType };
        }

        if (call.ExecutorId.Value != _options.ExecutorId)
        {
            return new Decision(HttpStatusCode.BadRequest, "Executor cannot be found") { Call = call, ContentType = contentType };
        }

        if (!_everSubscribed && call.Type != Call.Types.Type.Subscribe)
        {
            return new Decision(HttpStatusCode.Forbidden, "Executor is not subscribed") { Call = call, ContentType = contentType };
        }

        switch (call.Type)
        {
            case Call.Types.Type.Subscribe:
                return new Decision(HttpStatusCode.OK, string.Empty) { Call = call, ContentType = contentType, SubscribeEventType = eventType };

            case Call.Types.Type.Update:
                TaskStatus status = call.Update.Status;
                _statusUpdates.Add(status);
                bool fresh = AddPending(status);
                return new Decision(HttpStatusCode.Accepted, string.Empty)
                {
                    Call = call,
                    ContentType = contentType,
                    Acknowledge = fresh && _autoAcknowledge ? status : null,
                };

            case Call.Types.Type.Message:
                return new Decision(HttpStatusCode.Accepted, string.Empty) { Call = call, ContentType = contentType };

            default:
                return new Decision(HttpStatusCode.NotImplemented, string.Empty) { Call = call, ContentType = contentType };
        }
    }

    private async Task RunSubscriptionAsync(
        Socket socket,
        Stream stream,
        Call call,
        AgentContentType eventType,
        CancellationToken cancellationToken)
    {
        // The subscription is born with its write lock taken, so it can be published (and waiters
        // woken) before its head is written: whatever they send queues behind SUBSCRIBED.
        var subscription = new FakeSubscription(socket, stream, eventType);
        FakeSubscription? previous;
        TaskStatus[] toAcknowledge;
        lock (_gate)
        {
            previous = _subscription;
            _subscription = subscription;
            _everSubscribed = true;

            // The agent takes the executor's unacknowledged updates over again; they will be
            // acknowledged on this stream.
            foreach (Call.Types.Update update in call.Subscribe.UnacknowledgedUpdates)
            {
                if (update.Status is { HasUuid: true } status && ExecutorCallValidator.IsValidUuid(status.Uuid))
                {
                    AddPending(status);
                }
            }

            _subscribeCalls.Add(call);
            toAcknowledge = _autoAcknowledge ? [.. _pending] : [];
            Notify();
        }

        // A new SUBSCRIBE replaces the executor's previous connection (Slave::subscribe).
        previous?.Abort();

        try
        {
            Event[] first = _options.SendSubscribed ? [CreateSubscribedEvent()] : [];
            foreach (TaskStatus status in toAcknowledge)
            {
                Track(AcknowledgeLaterAsync(status, Task.CompletedTask, cancellationToken));
            }

            await subscription.OpenAsync(first, cancellationToken).ConfigureAwait(false);
            await subscription.RunUntilClosedAsync(cancellationToken).ConfigureAwait(false);
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

                _disconnects++;
                Notify();
            }
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
                if (subscription == null || !_pending.Exists(pending => pending.Uuid == status.Uuid))
                {
                    // No stream to deliver on (it stays pending until the next SUBSCRIBE), or
                    // already acknowledged.
                    return;
                }
            }

            await subscription.WriteEventAsync(CreateAcknowledged(status.TaskId, status.Uuid), cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                _pending.RemoveAll(pending => pending.Uuid == status.Uuid);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException)
        {
            // The agent stopped or the stream closed: the update stays pending.
        }
    }

    // Under _gate. Returns whether the update was not pending yet (by uuid).
    private bool AddPending(TaskStatus status)
    {
        if (_pending.Exists(pending => pending.Uuid == status.Uuid))
        {
            return false;
        }

        _pending.Add(status);
        return true;
    }

    // Under _gate.
    private void Record(HttpRequestData request, DateTimeOffset receivedAt, Decision decision)
    {
        _requests.Add(new RecordedRequest
        {
            Timestamp = receivedAt,
            Method = request.Method,
            Path = request.Target,
            Headers = request.Headers,
            Body = request.Body,
            Call = decision.Call,
            ContentType = decision.ContentType,
            StatusCode = decision.Status,
            ResponseText = decision.Text,
        });
        Notify();
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

            ObjectDisposedException.ThrowIf(_disposed, this);
            _waiters.Add(() =>
            {
                if (completion.Task.IsCompleted)
                {
                    return true;
                }

                if (_disposed)
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

    private FakeSubscription RequireSubscription()
    {
        lock (_gate)
        {
            return _subscription is { IsClosed: false } subscription
                ? subscription
                : throw new InvalidOperationException("No executor is subscribed: there is no SUBSCRIBE stream to send on.");
        }
    }

    private Event CreateSubscribedEvent()
    {
        var frameworkId = new FrameworkID { Value = _options.FrameworkId };
        FrameworkInfo framework = _options.FrameworkInfo ?? new FrameworkInfo
        {
            User = "root",
            Name = "fake-framework",
            Id = frameworkId,
        };
        if (_options.FrameworkInfo == null)
        {
            foreach (FrameworkInfo.Types.Capability.Types.Type capability in _options.FrameworkCapabilities)
            {
                framework.Capabilities.Add(new FrameworkInfo.Types.Capability { Type = capability });
            }
        }

        return new Event
        {
            Type = Event.Types.Type.Subscribed,
            Subscribed = new Event.Types.Subscribed
            {
                ExecutorInfo = _options.ExecutorInfo ?? new ExecutorInfo
                {
                    ExecutorId = new ExecutorID { Value = _options.ExecutorId },
                    FrameworkId = frameworkId,
                    Type = ExecutorInfo.Types.Type.Custom,
                    Name = "fake executor",
                    Command = new CommandInfo { Value = "executor" },
                },
                FrameworkInfo = framework,
                AgentInfo = _options.AgentInfo ?? new AgentInfo
                {
                    Hostname = "localhost",
                    Id = new AgentID { Value = _options.AgentId },
                    Port = _port,
                },
                ContainerId = new ContainerID { Value = _options.ContainerId },
            },
        };
    }

    private static Event CreateAcknowledged(TaskID taskId, ByteString uuid) => new()
    {
        Type = Event.Types.Type.Acknowledged,
        Acknowledged = new Event.Types.Acknowledged { TaskId = taskId, Uuid = uuid },
    };

    private static async Task WriteResponseAsync(Stream stream, HttpStatusCode status, string text, string? extraHeader, bool close, CancellationToken cancellationToken)
    {
        byte[] body = Encoding.UTF8.GetBytes(text);
        var head = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {(int)status} {ReasonPhrase(status)}\r\n");
        if (body.Length > 0)
        {
            head.Append("Content-Type: text/plain; charset=utf-8\r\n");
        }

        head.Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n");
        if (extraHeader != null)
        {
            head.Append(extraHeader).Append("\r\n");
        }

        if (close)
        {
            head.Append("Connection: close\r\n");
        }

        head.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(body, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string ReasonPhrase(HttpStatusCode status) => status switch
    {
        HttpStatusCode.OK => "OK",
        HttpStatusCode.Accepted => "Accepted",
        HttpStatusCode.BadRequest => "Bad Request",
        HttpStatusCode.Unauthorized => "Unauthorized",
        HttpStatusCode.Forbidden => "Forbidden",
        HttpStatusCode.NotFound => "Not Found",
        HttpStatusCode.MethodNotAllowed => "Method Not Allowed",
        HttpStatusCode.NotAcceptable => "Not Acceptable",
        HttpStatusCode.RequestEntityTooLarge => "Request Entity Too Large",
        HttpStatusCode.UnsupportedMediaType => "Unsupported Media Type",
        HttpStatusCode.RequestHeaderFieldsTooLarge => "Request Header Fields Too Large",
        HttpStatusCode.NotImplemented => "Not Implemented",
        HttpStatusCode.ServiceUnavailable => "Service Unavailable",
        _ => "Unknown",
    };

    private sealed record Decision(HttpStatusCode Status, string Text)
    {
        public Call? Call { get; init; }

        public AgentContentType? ContentType { get; init; }

        public AgentContentType? SubscribeEventType { get; init; }

        public TaskStatus? Acknowledge { get; init; }

        public string? ExtraHeader { get; init; }
    }
}
