using System;
using System.Collections.Generic;

namespace Mesos.Executor.Testing;

/// <summary>What <see cref="FakeAgent.CreateExecutorEnvironment"/> puts into the executor's environment beyond the agent's address and ids.</summary>
public sealed record FakeExecutorEnvironmentOptions
{
    /// <summary>Whether the framework checkpoints (<c>MESOS_CHECKPOINT=1</c>); only then are the recovery variables set.</summary>
    /// <value><see langword="false"/>.</value>
    public bool Checkpoint { get; init; }

    /// <summary><c>MESOS_RECOVERY_TIMEOUT</c>, set when <see cref="Checkpoint"/>.</summary>
    /// <value>15 minutes (the agent's default).</value>
    public TimeSpan RecoveryTimeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary><c>MESOS_SUBSCRIPTION_BACKOFF_MAX</c>, set when <see cref="Checkpoint"/>.</summary>
    /// <value>2 seconds (the agent's default).</value>
    public TimeSpan SubscriptionBackoffMax { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary><c>MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD</c>.</summary>
    /// <value>5 seconds (the agent's default).</value>
    public TimeSpan ShutdownGracePeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary><c>MESOS_DIRECTORY</c>, omitted when <see langword="null"/>.</summary>
    public string? Directory { get; init; }

    /// <summary><c>MESOS_SANDBOX</c>, omitted when <see langword="null"/>.</summary>
    public string? Sandbox { get; init; }

    /// <summary>Whether to set <c>MESOS_EXECUTOR_AUTHENTICATION_TOKEN</c> when the agent requires a token.</summary>
    /// <value><see langword="true"/>.</value>
    public bool IncludeAuthenticationToken { get; init; } = true;

    /// <summary>Whether to set <c>MESOS_DOMAIN_SOCKET</c> when the agent listens on a Unix socket.</summary>
    /// <value><see langword="true"/>.</value>
    public bool UseDomainSocket { get; init; } = true;

    /// <summary><c>MESOS_HTTP_COMMAND_EXECUTOR</c>.</summary>
    /// <value><see langword="false"/>.</value>
    public bool HttpCommandExecutor { get; init; }

    /// <summary>
    /// Variables the operator gives every executor (the agent's
    /// <c>--executor_environment_variables</c>); the agent's <c>MESOS_*</c> variables and the
    /// <c>ExecutorInfo</c>'s environment go over them.
    /// </summary>
    /// <value>None.</value>
    public IReadOnlyDictionary<string, string> OperatorVariables { get; init; } = new Dictionary<string, string>();
}
