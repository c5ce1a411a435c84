using System;
using System.Collections.Generic;
using Mesos.Executor.Docker;
using Mesos.Executor.Hooks;
using Mesos.Executor.Reference.Logging;
using Microsoft.Extensions.Logging;

namespace Mesos.Executor.Reference.Configuration;

/// <summary>
/// The reference executor's resolved configuration: defaults, then the YAML file, then
/// <c>MESOS_EXECUTOR_*</c> environment variables, then flags. Everything is validated; the host
/// maps it onto the Core, Docker and Hooks options.
/// </summary>
internal sealed record ExecutorSettings
{
    /// <summary>The file the settings came from, or <see langword="null"/> for built-in defaults.</summary>
    public string? ConfigFile { get; init; }

    /// <summary><c>logging.level</c> / <c>--logging_level</c> / <c>--quiet</c>.</summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    /// <summary><c>logging.format</c>.</summary>
    public LogFormat LogFormat { get; init; } = LogFormat.Text;

    /// <summary><c>docker.socket</c> / <c>--docker_socket</c> as a URI; <see langword="null"/> uses the Docker default.</summary>
    public Uri? DockerEndpoint { get; init; }

    /// <summary><c>docker.api_version</c>; <see langword="null"/> lets the client choose.</summary>
    public string? DockerApiVersion { get; init; }

    /// <summary><c>docker.pull_policy</c>.</summary>
    public PullPolicy PullPolicy { get; init; } = PullPolicy.IfNotPresent;

    /// <summary><c>docker.config</c>: an absolute path, or <see langword="null"/> for none.</summary>
    public string? DockerConfigPath { get; init; }

    /// <summary><c>docker.extra_labels</c>.</summary>
    public IReadOnlyDictionary<string, string> ExtraLabels { get; init; } = new Dictionary<string, string>();

    /// <summary><c>hooks.enabled</c>, in the order given.</summary>
    public IReadOnlyList<string> EnabledHooks { get; init; } = [];

    /// <summary>Every hook's options (<c>hooks.priorities</c> and the per-hook sections); only the enabled ones are used.</summary>
    public HookSettings HookSettings { get; init; } = new();

    /// <summary><c>health_checks.enabled</c>.</summary>
    public bool HealthChecksEnabled { get; init; } = true;

    /// <summary><c>health_checks.checks_enabled</c>.</summary>
    public bool ChecksEnabled { get; init; } = true;

    /// <summary>
    /// <c>timeouts.default_kill_grace</c>; <see langword="null"/> (the default) follows Mesos's
    /// Docker executor: the executor shutdown grace period, raised to <c>--stop_timeout</c> when
    /// that is larger (see <see cref="KillGraceFor"/>).
    /// </summary>
    public TimeSpan? DefaultKillGrace { get; init; }

    /// <summary><c>--stop_timeout</c> (the agent's deprecated <c>--docker_stop_timeout</c>); <see langword="null"/> when absent.</summary>
    public TimeSpan? StopTimeout { get; init; }

    /// <summary><c>timeouts.drain_delay</c>.</summary>
    public TimeSpan DrainDelay { get; init; }

    /// <summary><c>timeouts.drain_delay_label</c>; <see langword="null"/>: tasks cannot choose.</summary>
    public string? DrainDelayLabel { get; init; }

    /// <summary><c>timeouts.max_drain_delay</c>.</summary>
    public TimeSpan MaxDrainDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary><c>timeouts.terminal_ack_failsafe</c>.</summary>
    public TimeSpan TerminalAckFailsafe { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary><c>memory.release_file_pages</c>.</summary>
    public bool ReleaseFilePages { get; init; } = true;

    /// <summary><c>memory.release_interval</c>.</summary>
    public TimeSpan ReleaseInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary><c>--container</c>.</summary>
    public string? ContainerName { get; init; }

    /// <summary>
    /// Whether the executor runs in place of <c>mesos-docker-executor</c>: the agent passed the
    /// Docker executor's flags (it always passes <c>--container</c>). The agent then pulled the
    /// task's image before starting the executor.
    /// </summary>
    public bool DropIn { get; init; }

    /// <summary><c>--sandbox_directory</c>.</summary>
    public string? SandboxDirectory { get; init; }

    /// <summary><c>--mapped_directory</c>.</summary>
    public string? MappedDirectory { get; init; }

    /// <summary><c>--task_environment</c>, unparsed.</summary>
    public string? TaskEnvironmentJson { get; init; }

    /// <summary><c>--default_container_dns</c>, unparsed.</summary>
    public string? DefaultContainerDnsJson { get; init; }

    /// <summary><c>--cgroups_enable_cfs</c>.</summary>
    public bool CgroupsEnableCfs { get; init; }

    /// <summary>The environment variables that set a key (allowed by <c>environment_overrides</c>).</summary>
    public IReadOnlyList<string> EnvironmentApplied { get; init; } = [];

    /// <summary>The configuration variables present but not allowed by <c>environment_overrides</c> (ignored).</summary>
    public IReadOnlyList<string> EnvironmentIgnored { get; init; } = [];

    /// <summary>
    /// The grace period between the stop signal and SIGKILL when neither the KILL nor the task's
    /// <c>kill_policy</c> gives one. As <c>src/launcher/docker_executor.cpp</c>: the agent's
    /// executor shutdown grace period (<c>MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD</c>, default 5 s),
    /// raised to <c>--stop_timeout</c> when that is larger; <c>timeouts.default_kill_grace</c>
    /// replaces the rule when set.
    /// </summary>
    /// <param name="shutdownGracePeriod">The agent's executor shutdown grace period.</param>
    /// <returns>The grace period.</returns>
    public TimeSpan KillGraceFor(TimeSpan shutdownGracePeriod)
    {
        if (DefaultKillGrace is { } configured)
        {
            return configured;
        }

        return StopTimeout is { } stop && stop > shutdownGracePeriod ? stop : shutdownGracePeriod;
    }
}
