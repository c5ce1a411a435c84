namespace Mesos.Executor.Core.Configuration;

/// <summary>Names of the environment variables a Mesos agent gives an executor (src/slave/slave.cpp executorEnvironment, libprocess SSL flags).</summary>
internal static class EnvironmentVariableNames
{
    public const string FrameworkId = "MESOS_FRAMEWORK_ID";
    public const string ExecutorId = "MESOS_EXECUTOR_ID";
    public const string AgentId = "MESOS_SLAVE_ID";
    public const string Directory = "MESOS_DIRECTORY";
    public const string Sandbox = "MESOS_SANDBOX";
    public const string AgentEndpoint = "MESOS_AGENT_ENDPOINT";
    public const string AgentPid = "MESOS_SLAVE_PID";
    public const string Checkpoint = "MESOS_CHECKPOINT";
    public const string ShutdownGracePeriod = "MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD";
    public const string RecoveryTimeout = "MESOS_RECOVERY_TIMEOUT";
    public const string SubscriptionBackoffMax = "MESOS_SUBSCRIPTION_BACKOFF_MAX";
    public const string DomainSocket = "MESOS_DOMAIN_SOCKET";
    public const string AuthenticationToken = "MESOS_EXECUTOR_AUTHENTICATION_TOKEN";
    public const string HttpCommandExecutor = "MESOS_HTTP_COMMAND_EXECUTOR";

    // libprocess reads its SSL flags with the prefix LIBPROCESS_SSL_, and the legacy SSL_ (the
    // former wins when both are set).
    public const string SslEnabled = "LIBPROCESS_SSL_ENABLED";
    public const string LegacySslEnabled = "SSL_ENABLED";
    public const string SslVerifyServerCert = "LIBPROCESS_SSL_VERIFY_SERVER_CERT";
    public const string LegacySslVerifyServerCert = "SSL_VERIFY_SERVER_CERT";
    public const string SslVerifyCert = "LIBPROCESS_SSL_VERIFY_CERT";
    public const string LegacySslVerifyCert = "SSL_VERIFY_CERT";
}
