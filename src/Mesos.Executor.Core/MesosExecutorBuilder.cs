using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core.Agent;
using Mesos.Executor.Core.Checks;
using Mesos.Executor.Core.Execution;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mesos.Executor.Core;

/// <summary>Configures and builds a <see cref="MesosExecutor"/>. Only <see cref="UseContainerizer(IContainerizer)"/> is required.</summary>
public sealed class MesosExecutorBuilder
{
    private readonly List<IHook> _hooks = [];
    private ExecutorEnvironment? _environment;
    private Func<string, string?>? _getVariable;
    private ExecutorOptions _options = new();
    private IContainerizer? _containerizer;
    private bool _ownsContainerizer;
    private Action<StatusUpdateContext>? _configureStatus;
    private IHealthCheck? _healthCheck;
    private TimeProvider _timeProvider = TimeProvider.System;
    private Func<double>? _random;
    private ILoggerFactory _loggerFactory = NullLoggerFactory.Instance;
    private Func<ReadOnlyMemory<byte>, CancellationToken, Task>? _messageHandler;
    private Action<ContainerSpec>? _configureContainer;
    private Action<Mesos.V1.Executor.Event.Types.Subscribed>? _subscribedHandler;
    private IAgentTransport? _transport;
    private ITaskCheckFactory? _checks;

    internal MesosExecutorBuilder()
    {
    }

    /// <summary>Uses an already parsed environment instead of the process's.</summary>
    /// <param name="environment">The environment.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="environment"/> is <see langword="null"/>.</exception>
    public MesosExecutorBuilder UseEnvironment(ExecutorEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        _environment = environment;
        _getVariable = null;
        return this;
    }

    /// <summary>Reads the <c>MESOS_*</c> variables through <paramref name="getVariable"/> (parsed by <see cref="Build"/>).</summary>
    /// <param name="getVariable">Returns a variable's value, or <see langword="null"/> when it is not set.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="getVariable"/> is <see langword="null"/>.</exception>
    /// <remarks>Without either <c>UseEnvironment</c>, <see cref="Build"/> uses <see cref="ExecutorEnvironment.FromProcess"/>.</remarks>
    public MesosExecutorBuilder UseEnvironment(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        _getVariable = getVariable;
        _environment = null;
        return this;
    }

    /// <summary>Sets the executor's options.</summary>
    /// <param name="options">The options; validated by <see cref="Build"/>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    public MesosExecutorBuilder UseOptions(ExecutorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        return this;
    }

    /// <summary>Sets the containerizer that runs the tasks (required); the caller keeps ownership of it.</summary>
    /// <param name="containerizer">The containerizer.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="containerizer"/> is <see langword="null"/>.</exception>
    public MesosExecutorBuilder UseContainerizer(IContainerizer containerizer) => UseContainerizer(containerizer, ownsContainerizer: false);

    /// <summary>Sets the containerizer that runs the tasks (required), and whether the executor owns it.</summary>
    /// <param name="containerizer">The containerizer.</param>
    /// <param name="ownsContainerizer">
    /// <see langword="true"/>: <see cref="MesosExecutor.DisposeAsync"/> disposes the containerizer
    /// (<see cref="IAsyncDisposable"/>, else <see cref="IDisposable"/>) after the executor stopped,
    /// so a host needs nothing else to dispose. <see langword="false"/>: the caller disposes it.
    /// </param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="containerizer"/> is <see langword="null"/>.</exception>
    /// <remarks>
    /// The executor takes ownership only once <see cref="Build"/> returned: when <see cref="Build"/>
    /// throws, the caller still owns (and disposes) the containerizer.
    /// </remarks>
    public MesosExecutorBuilder UseContainerizer(IContainerizer containerizer, bool ownsContainerizer)
    {
        ArgumentNullException.ThrowIfNull(containerizer);
        _containerizer = containerizer;
        _ownsContainerizer = ownsContainerizer;
        return this;
    }

    /// <summary>Adds a hook. Hooks run by <see cref="IHook.Priority"/>, highest first; equal priorities in the order added.</summary>
    /// <param name="hook">The hook.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="hook"/> is <see langword="null"/>.</exception>
    public MesosExecutorBuilder AddHook(IHook hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        _hooks.Add(hook);
        return this;
    }

    /// <summary>Sets the probe used by health checks and checks.</summary>
    /// <param name="healthCheck">The probe.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="healthCheck"/> is <see langword="null"/>.</exception>
    /// <remarks>The default is <see cref="NativeHealthCheck"/>.</remarks>
    public MesosExecutorBuilder UseHealthCheck(IHealthCheck healthCheck)
    {
        ArgumentNullException.ThrowIfNull(healthCheck);
        _healthCheck = healthCheck;
        return this;
    }

    /// <summary>Sets the clock of every timer (grace periods, recovery, backoff, checks).</summary>
    /// <param name="timeProvider">The clock.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="timeProvider"/> is <see langword="null"/>.</exception>
    /// <remarks>The default is <see cref="TimeProvider.System"/>.</remarks>
    public MesosExecutorBuilder UseTimeProvider(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
        return this;
    }

    /// <summary>Sets the source of the reconnection backoff's jitter.</summary>
    /// <param name="random">Returns a number in [0, 1); called from one thread at a time.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="random"/> is <see langword="null"/>.</exception>
    /// <remarks>The default is a private <see cref="Random"/>.</remarks>
    public MesosExecutorBuilder UseRandom(Func<double> random)
    {
        ArgumentNullException.ThrowIfNull(random);
        _random = random;
        return this;
    }

    /// <summary>Sets the logger factory.</summary>
    /// <param name="loggerFactory">The logger factory.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="loggerFactory"/> is <see langword="null"/>.</exception>
    /// <remarks>The default logs nothing.</remarks>
    public MesosExecutorBuilder UseLoggerFactory(ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _loggerFactory = loggerFactory;
        return this;
    }

    /// <summary>
    /// Inspects what the agent says on subscribing (<c>SUBSCRIBED</c>: the <c>ExecutorInfo</c>, the
    /// framework, the agent) before any task event is handled; called on the executor loop each
    /// time the executor subscribes. It is the place to check what only the agent can tell, e.g.
    /// which environment variables came from the task (<c>executor_info.command.environment</c>,
    /// merged over the executor's environment by the agent). Throwing
    /// <see cref="ExecutorConfigurationException"/> refuses every task: each LAUNCH is answered with
    /// TASK_FAILED carrying the exception's message, and the executor exits (code
    /// <see cref="ExecutorExitCodes.ConfigurationError"/>) once those updates are acknowledged.
    /// Any other exception does the same, with a message naming it.
    /// </summary>
    /// <param name="handler">Receives the SUBSCRIBED event; must not block.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="handler"/> is <see langword="null"/>.</exception>
    public MesosExecutorBuilder OnSubscribed(Action<Mesos.V1.Executor.Event.Types.Subscribed> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _subscribedHandler = handler;
        return this;
    }

    /// <summary>
    /// Handles the framework's messages (MESSAGE events), one at a time in arrival order. An
    /// exception is logged and does not stop the executor.
    /// </summary>
    /// <param name="handler">Receives the message's data and a token cancelled when the executor stops.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="handler"/> is <see langword="null"/>.</exception>
    public MesosExecutorBuilder OnMessage(Func<ReadOnlyMemory<byte>, CancellationToken, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _messageHandler = handler;
        return this;
    }

    /// <summary>
    /// Adjusts every task's <see cref="ContainerSpec"/> before the pre-create hooks run (e.g. to add
    /// labels). An exception fails the task's launch.
    /// </summary>
    /// <param name="configure">Edits the spec.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="configure"/> is <see langword="null"/>.</exception>
    public MesosExecutorBuilder ConfigureContainer(Action<ContainerSpec> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _configureContainer = configure;
        return this;
    }

    /// <summary>
    /// Adds to every status update the executor sends (TASK_STARTING, TASK_RUNNING, the health and
    /// check updates, TASK_KILLING, the terminal update, and the updates of refused or invalid
    /// tasks): a message, data, labels. The callback sees the task, the state and the reason, and
    /// cannot change the ids, the uuid, the state, the source or the timestamp.
    /// </summary>
    /// <param name="configure">
    /// Edits the update's <see cref="StatusUpdateContext"/>; called on the executor loop, so it must
    /// be quick and must not block. An exception is logged and the update is sent without the
    /// callback's additions: it is never lost.
    /// </param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="configure"/> is <see langword="null"/>.</exception>
    /// <example>
    /// <code>
    /// builder.ConfigureStatus(status =>
    /// {
    ///     status.Labels.Add(new Label { Key = "executor-version", Value = "1.2.3" });
    ///     if (status.State == TaskState.TaskFailed)
    ///     {
    ///         status.Message += " (see the executor's log)";
    ///     }
    /// });
    /// </code>
    /// </example>
    public MesosExecutorBuilder ConfigureStatus(Action<StatusUpdateContext> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _configureStatus = configure;
        return this;
    }

    /// <summary>Replaces the HTTP connection to the agent (tests).</summary>
    internal MesosExecutorBuilder UseTransport(IAgentTransport transport)
    {
        _transport = transport;
        return this;
    }

    /// <summary>Replaces the checks (tests).</summary>
    internal MesosExecutorBuilder UseTaskChecks(ITaskCheckFactory checks)
    {
        _checks = checks;
        return this;
    }

    /// <summary>Validates the configuration and builds the executor.</summary>
    /// <returns>The executor, ready to <see cref="MesosExecutor.RunAsync"/>.</returns>
    /// <exception cref="ExecutorConfigurationException">The environment, the options or the builder are invalid; the message lists every problem.</exception>
    public MesosExecutor Build()
    {
        var errors = new List<string>();
        ExecutorEnvironment? environment = _environment;
        if (environment == null)
        {
            try
            {
                environment = _getVariable != null ? ExecutorEnvironment.Parse(_getVariable) : ExecutorEnvironment.FromProcess();
            }
            catch (ExecutorConfigurationException ex)
            {
                errors.Add(ex.Message);
            }
        }

        errors.AddRange(_options.CollectErrors());
        if (_containerizer == null)
        {
            errors.Add("No containerizer: call UseContainerizer");
        }

        if (errors.Count > 0)
        {
            throw new ExecutorConfigurationException(
                "The executor cannot be built:" + Environment.NewLine + " - " + string.Join(Environment.NewLine + " - ", errors));
        }

        ExecutorSettings settings = ExecutorSettings.From(environment!, _options);
        Func<double> random = _random ?? CreateRandom();
        var services = new ExecutorServices
        {
            Containerizer = _containerizer!,
            Hooks = _hooks.OrderByDescending(static h => h.Priority).ToArray(),
            Checks = _checks ?? new DefaultTaskCheckFactory(_containerizer!, _healthCheck ?? new NativeHealthCheck(_loggerFactory), _timeProvider),
            TimeProvider = _timeProvider,
            Random = random,
            LoggerFactory = _loggerFactory,
            MessageHandler = _messageHandler,
            ConfigureContainer = _configureContainer,
            SubscribedHandler = _subscribedHandler,
            ConfigureStatus = _configureStatus,
        };
        object? ownedContainerizer = _ownsContainerizer ? _containerizer : null;

        if (_transport != null)
        {
            return new MesosExecutor(settings, services, _transport, ownedTransport: null, ownedContainerizer);
        }

        AgentTransportOptions transportOptions = AgentTransportOptions.From(environment!, _options.ContentType, _options.MaxRecordSize) with
        {
            CallTimeout = _options.AgentCallTimeout,
        };
        var transport = new HttpAgentTransport(transportOptions, _loggerFactory, _timeProvider);
        return new MesosExecutor(settings, services, transport, transport, ownedContainerizer);
    }

    private static Func<double> CreateRandom()
    {
        // Only the executor loop draws from it, so one unsynchronized instance is enough.
        var random = new Random();
        return random.NextDouble;
    }
}
