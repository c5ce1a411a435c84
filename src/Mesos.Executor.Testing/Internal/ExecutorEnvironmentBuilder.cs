using System;
using System.Collections.Generic;
using Mesos.Executor.Core;

namespace Mesos.Executor.Testing.Internal;

/// <summary>
/// The environment a Mesos agent gives an executor it launches: the operator's variables, the
/// agent's <c>MESOS_*</c> variables over them, and <c>ExecutorInfo.command.environment</c> over
/// everything (<c>src/slave/containerizer/docker.cpp</c>, <c>launchExecutorProcess</c>).
/// </summary>
internal static class ExecutorEnvironmentBuilder
{
    /// <summary>Builds the variables for <see cref="FakeAgent.CreateExecutorEnvironment"/>.</summary>
    /// <param name="agent">The agent's options (ids, token, socket, ExecutorInfo).</param>
    /// <param name="endpoint">The agent's <c>host:port</c>.</param>
    /// <param name="options">Checkpointing, durations, sandbox and the like.</param>
    /// <returns>The variables.</returns>
    public static Dictionary<string, string> Build(FakeAgentOptions agent, string endpoint, FakeExecutorEnvironmentOptions options)
    {
        var environment = new Dictionary<string, string>(options.OperatorVariables, StringComparer.Ordinal)
        {
            ["MESOS_FRAMEWORK_ID"] = agent.FrameworkId,
            ["MESOS_EXECUTOR_ID"] = agent.ExecutorId,
            ["MESOS_SLAVE_ID"] = agent.AgentId,
            ["MESOS_SLAVE_PID"] = "slave(1)@" + endpoint,
            ["MESOS_AGENT_ENDPOINT"] = endpoint,
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

        if (options.IncludeAuthenticationToken && agent.AuthenticationToken != null)
        {
            environment["MESOS_EXECUTOR_AUTHENTICATION_TOKEN"] = agent.AuthenticationToken;
        }

        if (options.UseDomainSocket && agent.UnixSocketPath != null)
        {
            environment["MESOS_DOMAIN_SOCKET"] = agent.UnixSocketPath;
        }

        if (agent.ExecutorInfo?.Command?.Environment is { } executorEnvironment)
        {
            foreach (Mesos.V1.Environment.Types.Variable variable in executorEnvironment.Variables)
            {
                environment[variable.Name] = variable.Value;
            }
        }

        return environment;
    }
}
