using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Mesos.Executor.Core.Configuration;
using Mesos.V1;
using Environment = System.Environment;

namespace Mesos.Executor.Core;

/// <summary>
/// What the Mesos agent tells an executor process through its environment (<c>MESOS_*</c> and the
/// libprocess SSL variables): who the executor is, where the agent is, and the recovery settings.
/// </summary>
/// <remarks>
/// Read it with <see cref="FromProcess"/> in a real executor, or <see cref="Parse"/> with any
/// variable source (tests, the fake agent's <c>CreateExecutorEnvironment</c>). The authentication
/// token never appears in <see cref="ToString"/>, so logging this record cannot leak it.
/// </remarks>
public sealed record ExecutorEnvironment
{
    /// <summary>The default of <see cref="ShutdownGracePeriod"/> when the agent gives none (the agent's own default).</summary>
    public static readonly TimeSpan DefaultShutdownGracePeriod = TimeSpan.FromSeconds(5);

    /// <summary>The default of <see cref="RecoveryTimeout"/> (the agent's <c>--recovery_timeout</c> default).</summary>
    public static readonly TimeSpan DefaultRecoveryTimeout = TimeSpan.FromMinutes(15);

    /// <summary>The default of <see cref="SubscriptionBackoffMax"/> (the agent's <c>--executor_reregistration_timeout</c> default).</summary>
    public static readonly TimeSpan DefaultSubscriptionBackoffMax = TimeSpan.FromSeconds(2);

    /// <summary>The largest <see cref="SubscriptionBackoffMax"/> honoured; the agent never allows more.</summary>
    public static readonly TimeSpan MaxSubscriptionBackoffMax = TimeSpan.FromSeconds(15);

    /// <summary>The framework the executor belongs to (<c>MESOS_FRAMEWORK_ID</c>).</summary>
    public required FrameworkID FrameworkId { get; init; }

    /// <summary>The executor's id (<c>MESOS_EXECUTOR_ID</c>).</summary>
    public required ExecutorID ExecutorId { get; init; }

    /// <summary>The agent's id (<c>MESOS_SLAVE_ID</c>), if given.</summary>
    public AgentID? AgentId { get; init; }

    /// <summary>The sandbox directory as the agent's host sees it (<c>MESOS_DIRECTORY</c>), if given.</summary>
    public string? Directory { get; init; }

    /// <summary>The sandbox directory as the executor sees it (<c>MESOS_SANDBOX</c>), if given.</summary>
    public string? Sandbox { get; init; }

    /// <summary>
    /// The agent's <c>ip:port</c> (<c>MESOS_AGENT_ENDPOINT</c>, else the address part of
    /// <c>MESOS_SLAVE_PID</c>). When only <see cref="DomainSocket"/> is given it is
    /// <c>localhost</c>, used for nothing but the Host header.
    /// </summary>
    public required string AgentEndpoint { get; init; }

    /// <summary>The agent's libprocess id, <c>slave(1)@ip:port</c> (<c>MESOS_SLAVE_PID</c>), if given.</summary>
    public string? AgentPid { get; init; }

    /// <summary>
    /// Whether the framework checkpoints (<c>MESOS_CHECKPOINT</c> is <c>1</c>): then the executor
    /// survives an agent restart by reconnecting; otherwise losing the agent means killing the tasks
    /// and exiting.
    /// </summary>
    public bool Checkpoint { get; init; }

    /// <summary>How long the executor has to stop everything on SHUTDOWN (<c>MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD</c>).</summary>
    /// <value>5 seconds when the variable is absent.</value>
    public TimeSpan ShutdownGracePeriod { get; init; } = DefaultShutdownGracePeriod;

    /// <summary>How long to keep trying to reconnect to a restarting agent before giving up (<c>MESOS_RECOVERY_TIMEOUT</c>, read only when <see cref="Checkpoint"/>).</summary>
    /// <value>15 minutes when not given.</value>
    public TimeSpan RecoveryTimeout { get; init; } = DefaultRecoveryTimeout;

    /// <summary>The upper bound of the random wait between reconnection attempts (<c>MESOS_SUBSCRIPTION_BACKOFF_MAX</c>, read only when <see cref="Checkpoint"/>).</summary>
    /// <value>2 seconds when not given; larger values are capped at 15 seconds.</value>
    public TimeSpan SubscriptionBackoffMax { get; init; } = DefaultSubscriptionBackoffMax;

    /// <summary>The Unix domain socket the agent serves the executor API on (<c>MESOS_DOMAIN_SOCKET</c>), if any; when set, it is used instead of <see cref="AgentEndpoint"/>.</summary>
    public string? DomainSocket { get; init; }

    /// <summary>
    /// The token to send as <c>Authorization: Bearer</c> (<c>MESOS_EXECUTOR_AUTHENTICATION_TOKEN</c>),
    /// if the agent requires executor authentication. Never printed by <see cref="ToString"/>.
    /// </summary>
    public string? AuthenticationToken { get; init; }

    /// <summary>Whether the agent runs command tasks with the HTTP command executor (<c>MESOS_HTTP_COMMAND_EXECUTOR</c>).</summary>
    public bool HttpCommandExecutor { get; init; }

    /// <summary>Whether to reach the agent over HTTPS (<c>LIBPROCESS_SSL_ENABLED</c>, or the legacy <c>SSL_ENABLED</c>).</summary>
    public bool UseTls { get; init; }

    /// <summary>
    /// Whether to verify the agent's TLS certificate (<c>LIBPROCESS_SSL_VERIFY_SERVER_CERT</c> or its
    /// legacy alias <c>LIBPROCESS_SSL_VERIFY_CERT</c>, also with the <c>SSL_</c> prefix). Like
    /// libprocess, an executor does not verify by default: agents commonly use internal certificates.
    /// </summary>
    public bool VerifyCertificate { get; init; }

    /// <summary>Reads the executor's environment from the current process, then removes <c>MESOS_EXECUTOR_AUTHENTICATION_TOKEN</c> from it (as the reference executor library does) so that processes started later cannot read it.</summary>
    /// <returns>The parsed environment.</returns>
    /// <exception cref="ExecutorConfigurationException">A required variable is missing or a value is malformed; the message lists every problem.</exception>
    public static ExecutorEnvironment FromProcess()
    {
        try
        {
            return Parse(Environment.GetEnvironmentVariable);
        }
        finally
        {
            Environment.SetEnvironmentVariable(EnvironmentVariableNames.AuthenticationToken, null);
        }
    }

    /// <summary>
    /// Parses the executor's environment from <paramref name="getVariable"/>. Required:
    /// <c>MESOS_FRAMEWORK_ID</c>, <c>MESOS_EXECUTOR_ID</c>, <c>MESOS_CHECKPOINT</c>, and the agent's
    /// address (<c>MESOS_AGENT_ENDPOINT</c>, <c>MESOS_SLAVE_PID</c> or <c>MESOS_DOMAIN_SOCKET</c>).
    /// </summary>
    /// <param name="getVariable">Returns a variable's value, or <see langword="null"/> when it is not set.</param>
    /// <returns>The parsed environment.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="getVariable"/> is <see langword="null"/>.</exception>
    /// <exception cref="ExecutorConfigurationException">A required variable is missing or a value is malformed; the message lists every problem.</exception>
    public static ExecutorEnvironment Parse(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        var errors = new List<string>();

        string? frameworkId = Required(getVariable, EnvironmentVariableNames.FrameworkId, errors);
        string? executorId = Required(getVariable, EnvironmentVariableNames.ExecutorId, errors);
        string? agentId = Optional(getVariable, EnvironmentVariableNames.AgentId);
        string? domainSocket = Optional(getVariable, EnvironmentVariableNames.DomainSocket);
        string? agentPid = Optional(getVariable, EnvironmentVariableNames.AgentPid);
        string? endpoint = ParseEndpoint(getVariable, agentPid, domainSocket, errors);

        bool checkpoint = false;
        string? checkpointText = Required(getVariable, EnvironmentVariableNames.Checkpoint, errors);
        if (checkpointText != null)
        {
            checkpoint = ParseBoolean(EnvironmentVariableNames.Checkpoint, checkpointText, errors);
        }

        TimeSpan shutdownGracePeriod = ParseDuration(getVariable, EnvironmentVariableNames.ShutdownGracePeriod, DefaultShutdownGracePeriod, errors);
        TimeSpan recoveryTimeout = DefaultRecoveryTimeout;
        TimeSpan backoffMax = DefaultSubscriptionBackoffMax;
        if (checkpoint)
        {
            // The agent only passes these when the framework checkpoints (src/slave/slave.cpp).
            recoveryTimeout = ParseDuration(getVariable, EnvironmentVariableNames.RecoveryTimeout, DefaultRecoveryTimeout, errors);
            backoffMax = ParseDuration(getVariable, EnvironmentVariableNames.SubscriptionBackoffMax, DefaultSubscriptionBackoffMax, errors);
            if (backoffMax > MaxSubscriptionBackoffMax)
            {
                backoffMax = MaxSubscriptionBackoffMax;
            }
        }

        bool httpCommandExecutor = ParseOptionalBoolean(getVariable, EnvironmentVariableNames.HttpCommandExecutor, errors);
        bool useTls = ParseOptionalBoolean(getVariable, EnvironmentVariableNames.SslEnabled, EnvironmentVariableNames.LegacySslEnabled, errors);
        bool verify = ParseOptionalBoolean(getVariable, EnvironmentVariableNames.SslVerifyServerCert, EnvironmentVariableNames.LegacySslVerifyServerCert, errors);
        verify |= ParseOptionalBoolean(getVariable, EnvironmentVariableNames.SslVerifyCert, EnvironmentVariableNames.LegacySslVerifyCert, errors);

        if (errors.Count > 0)
        {
            throw new ExecutorConfigurationException(
                "The executor environment is invalid (is this process started by a Mesos agent?):" + Environment.NewLine + " - " +
                string.Join(Environment.NewLine + " - ", errors));
        }

        return new ExecutorEnvironment
        {
            FrameworkId = new FrameworkID { Value = frameworkId },
            ExecutorId = new ExecutorID { Value = executorId },
            AgentId = agentId == null ? null : new AgentID { Value = agentId },
            Directory = Optional(getVariable, EnvironmentVariableNames.Directory),
            Sandbox = Optional(getVariable, EnvironmentVariableNames.Sandbox),
            AgentEndpoint = endpoint!,
            AgentPid = agentPid,
            Checkpoint = checkpoint,
            ShutdownGracePeriod = shutdownGracePeriod,
            RecoveryTimeout = recoveryTimeout,
            SubscriptionBackoffMax = backoffMax,
            DomainSocket = domainSocket,
            AuthenticationToken = Optional(getVariable, EnvironmentVariableNames.AuthenticationToken),
            HttpCommandExecutor = httpCommandExecutor,
            UseTls = useTls,
            VerifyCertificate = verify,
        };
    }

    private bool PrintMembers(StringBuilder builder)
    {
        // Written out by hand so that the authentication token can never reach a log line.
        builder.Append("FrameworkId = ").Append(FrameworkId?.Value)
            .Append(", ExecutorId = ").Append(ExecutorId?.Value)
            .Append(", AgentId = ").Append(AgentId?.Value)
            .Append(", Directory = ").Append(Directory)
            .Append(", Sandbox = ").Append(Sandbox)
            .Append(", AgentEndpoint = ").Append(AgentEndpoint)
            .Append(", AgentPid = ").Append(AgentPid)
            .Append(", Checkpoint = ").Append(Checkpoint)
            .Append(", ShutdownGracePeriod = ").Append(MesosDuration.Format(ShutdownGracePeriod))
            .Append(", RecoveryTimeout = ").Append(MesosDuration.Format(RecoveryTimeout))
            .Append(", SubscriptionBackoffMax = ").Append(MesosDuration.Format(SubscriptionBackoffMax))
            .Append(", DomainSocket = ").Append(DomainSocket)
            .Append(", AuthenticationToken = ").Append(AuthenticationToken == null ? "(none)" : "(redacted)")
            .Append(", HttpCommandExecutor = ").Append(HttpCommandExecutor)
            .Append(", UseTls = ").Append(UseTls)
            .Append(", VerifyCertificate = ").Append(VerifyCertificate);
        return true;
    }

    private static string? Optional(Func<string, string?> getVariable, string name)
    {
        string? value = getVariable(name);
        return string.IsNullOrEmpty(value) ? null : value;
    }

    private static string? Required(Func<string, string?> getVariable, string name, List<string> errors)
    {
        string? value = Optional(getVariable, name);
        if (value == null)
        {
            errors.Add($"{name} is not set");
        }

        return value;
    }

    private static string? ParseEndpoint(Func<string, string?> getVariable, string? agentPid, string? domainSocket, List<string> errors)
    {
        string? endpoint = Optional(getVariable, EnvironmentVariableNames.AgentEndpoint);
        if (endpoint != null)
        {
            if (!IsHostAndPort(endpoint))
            {
                errors.Add($"{EnvironmentVariableNames.AgentEndpoint} '{endpoint}' is not an ip:port address");
            }

            return endpoint;
        }

        if (agentPid != null)
        {
            // A libprocess UPID: id@ip:port.
            int at = agentPid.IndexOf('@', StringComparison.Ordinal);
            string address = at < 0 ? string.Empty : agentPid[(at + 1)..];
            if (at <= 0 || !IsHostAndPort(address))
            {
                errors.Add($"{EnvironmentVariableNames.AgentPid} '{agentPid}' is not a libprocess pid (id@ip:port)");
            }

            return address;
        }

        if (domainSocket != null)
        {
            return "localhost";
        }

        errors.Add($"{EnvironmentVariableNames.AgentEndpoint} is not set (nor {EnvironmentVariableNames.AgentPid} or {EnvironmentVariableNames.DomainSocket})");
        return null;
    }

    private static bool IsHostAndPort(string value)
    {
        int colon = value.LastIndexOf(':');
        if (colon <= 0 || colon == value.Length - 1)
        {
            return false;
        }

        ReadOnlySpan<char> port = value.AsSpan(colon + 1);
        return int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int number) && number is > 0 and <= 65535;
    }

    private static bool ParseBoolean(string name, string value, List<string> errors)
    {
        // stout's flag parser: "true"/"1" and "false"/"0".
        switch (value)
        {
            case "1":
            case "true":
                return true;
            case "0":
            case "false":
                return false;
            default:
                errors.Add($"{name} '{value}' is not a boolean (1, 0, true or false)");
                return false;
        }
    }

    private static bool ParseOptionalBoolean(Func<string, string?> getVariable, string name, List<string> errors)
    {
        string? value = Optional(getVariable, name);
        return value != null && ParseBoolean(name, value, errors);
    }

    private static bool ParseOptionalBoolean(Func<string, string?> getVariable, string name, string legacyName, List<string> errors)
    {
        return Optional(getVariable, name) != null
            ? ParseOptionalBoolean(getVariable, name, errors)
            : ParseOptionalBoolean(getVariable, legacyName, errors);
    }

    private static TimeSpan ParseDuration(Func<string, string?> getVariable, string name, TimeSpan defaultValue, List<string> errors)
    {
        string? value = Optional(getVariable, name);
        if (value == null)
        {
            return defaultValue;
        }

        if (!MesosDuration.TryParse(value, out TimeSpan duration))
        {
            errors.Add($"{name} '{value}' is not a Mesos duration (a number followed by ns, us, ms, secs, mins, hrs, days or weeks, e.g. 15mins)");
            return defaultValue;
        }

        return duration;
    }
}
