using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Mesos.V1;
using Microsoft.Extensions.Logging;

namespace Mesos.Executor.Core.Execution;

/// <summary>What the executor loop needs from the environment and the options, fixed at build time.</summary>
internal sealed record ExecutorSettings
{
    /// <summary>The framework (<c>MESOS_FRAMEWORK_ID</c>).</summary>
    public required FrameworkID FrameworkId { get; init; }

    /// <summary>This executor (<c>MESOS_EXECUTOR_ID</c>).</summary>
    public required ExecutorID ExecutorId { get; init; }

    /// <summary>The agent (<c>MESOS_SLAVE_ID</c>) until SUBSCRIBED says.</summary>
    public AgentID? AgentId { get; init; }

    /// <summary>The sandbox on the host (<c>MESOS_DIRECTORY</c>).</summary>
    public string? SandboxDirectory { get; init; }

    /// <summary>Whether the framework checkpoints: then a lost agent is waited for.</summary>
    public bool Checkpoint { get; init; }

    /// <summary>The agent's shutdown grace period for this executor.</summary>
    public TimeSpan ShutdownGracePeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a lost agent is waited for.</summary>
    public TimeSpan RecoveryTimeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>The bound of the random wait between reconnection attempts.</summary>
    public TimeSpan SubscriptionBackoffMax { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The user's options.</summary>
    public ExecutorOptions Options { get; init; } = new();

    /// <summary>Builds the settings from the agent-provided environment and the options.</summary>
    public static ExecutorSettings From(ExecutorEnvironment environment, ExecutorOptions options) => new()
    {
        FrameworkId = environment.FrameworkId.Clone(),
        ExecutorId = environment.ExecutorId.Clone(),
        AgentId = environment.AgentId?.Clone(),
        SandboxDirectory = environment.Directory,
        Checkpoint = environment.Checkpoint,
        ShutdownGracePeriod = environment.ShutdownGracePeriod,
        RecoveryTimeout = environment.RecoveryTimeout,
        SubscriptionBackoffMax = environment.SubscriptionBackoffMax,
        Options = options,
    };

    /// <summary>
    /// The grace period given to each task on SHUTDOWN: the agent's shutdown grace period minus
    /// 2 seconds (Mesos's executors keep a buffer so the terminal updates still reach the agent
    /// before it destroys the container), but never less than 1 second or the whole period when
    /// that is shorter.
    /// </summary>
    public TimeSpan ShutdownKillGracePeriod
    {
        get
        {
            TimeSpan floor = ShutdownGracePeriod < TimeSpan.FromSeconds(1) ? ShutdownGracePeriod : TimeSpan.FromSeconds(1);
            TimeSpan grace = ShutdownGracePeriod - TimeSpan.FromSeconds(2);
            return grace < floor ? floor : grace;
        }
    }
}

/// <summary>The executor's collaborators, fixed at build time.</summary>
internal sealed record ExecutorServices
{
    /// <summary>Runs the containers.</summary>
    public required IContainerizer Containerizer { get; init; }

    /// <summary>The hooks, already in run order (priority descending, registration order on ties).</summary>
    public IReadOnlyList<IHook> Hooks { get; init; } = [];

    /// <summary>Validates and runs tasks' checks.</summary>
    public required ITaskCheckFactory Checks { get; init; }

    /// <summary>The clock of every timer.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The jitter source, in [0, 1).</summary>
    public required Func<double> Random { get; init; }

    /// <summary>Creates loggers.</summary>
    public required ILoggerFactory LoggerFactory { get; init; }

    /// <summary>Receives framework messages, or <see langword="null"/>.</summary>
    public Func<ReadOnlyMemory<byte>, CancellationToken, Task>? MessageHandler { get; init; }

    /// <summary>Adjusts every container spec before the pre-create hooks, or <see langword="null"/>.</summary>
    public Action<ContainerSpec>? ConfigureContainer { get; init; }

    /// <summary>Inspects each SUBSCRIBED event; throwing refuses every task, or <see langword="null"/>.</summary>
    public Action<Mesos.V1.Executor.Event.Types.Subscribed>? SubscribedHandler { get; init; }

    /// <summary>Adds to every status update (message, data, labels), or <see langword="null"/>.</summary>
    public Action<StatusUpdateContext>? ConfigureStatus { get; init; }
}
