using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;
using Mesos.Executor.Core;
using Mesos.Executor.Docker.Internal;

namespace Mesos.Executor.Docker;

/// <summary>
/// Options of the <see cref="DockerContainerizer"/>. Most mirror the flags the Mesos agent passes to
/// its Docker executor (<c>--docker_socket</c>, <c>--container</c>, <c>--sandbox_directory</c>,
/// <c>--mapped_directory</c>, <c>--task_environment</c>, <c>--default_container_dns</c>,
/// <c>--cgroups_enable_cfs</c>).
/// </summary>
public sealed class DockerContainerizerOptions
{
    /// <summary>The endpoint used when neither <see cref="Endpoint"/> nor <c>DOCKER_HOST</c> is set.</summary>
    public static readonly Uri DefaultEndpoint = new("unix:///var/run/docker.sock");

    /// <summary>
    /// The Docker Engine API endpoint: <c>unix:///path/to/docker.sock</c>, or <c>tcp://host:port</c> /
    /// <c>http://host:port</c> (plain HTTP; TLS is not supported).
    /// </summary>
    /// <value>
    /// Default <see langword="null"/>: <c>DOCKER_HOST</c> (read through <see cref="EnvironmentReader"/>)
    /// when set, else <see cref="DefaultEndpoint"/>.
    /// </value>
    public Uri? Endpoint { get; init; }

    /// <summary>The Docker Engine API version to speak, such as <c>1.41</c>.</summary>
    /// <value>
    /// Default <see langword="null"/>: ask the engine (<c>GET /_ping</c>) on first use and speak its
    /// version, capped at the newest version the client library knows.
    /// </value>
    public string? ApiVersion { get; init; }

    /// <summary>
    /// The name for the first task's container (the agent's <c>--container</c>, <c>mesos-&lt;ContainerID&gt;</c>).
    /// The agent names one container per executor; later tasks of the same executor get derived
    /// names (see the package README), and <see cref="ContainerSpec.ContainerName"/> overrides both.
    /// </summary>
    /// <value>Default <see langword="null"/>: <c>mesos-&lt;uuid&gt;</c> per task.</value>
    public string? ContainerName { get; init; }

    /// <summary>
    /// The sandbox directory on the host (<c>--sandbox_directory</c>, else <c>MESOS_DIRECTORY</c>),
    /// used when <see cref="ContainerSpec.SandboxDirectory"/> is not set: bind-mounted at
    /// <see cref="MappedDirectory"/> and base of relative volume host paths. A path containing ':'
    /// is mounted through <c>HostConfig.Mounts</c>, which, unlike <c>docker run -v</c>, can express it.
    /// </summary>
    /// <value>Default <see langword="null"/>: no sandbox mount.</value>
    public string? SandboxDirectory { get; init; }

    /// <summary>Where the sandbox appears inside the container (<c>--mapped_directory</c>); also <c>MESOS_SANDBOX</c>.</summary>
    /// <value>Default <c>/mnt/mesos/sandbox</c>.</value>
    public string MappedDirectory { get; init; } = "/mnt/mesos/sandbox";

    /// <summary>
    /// Variables the agent wants in every task's environment (<c>--task_environment</c>, see
    /// <see cref="ParseTaskEnvironment"/>). They win over the task's own <c>command.environment</c>,
    /// as in Mesos.
    /// </summary>
    /// <value>Default empty.</value>
    public IReadOnlyDictionary<string, string> TaskEnvironment { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Default DNS settings per network (<c>--default_container_dns</c>, see <see cref="ContainerDnsInfo.Parse"/>).</summary>
    /// <value>Default <see langword="null"/>: the engine's defaults.</value>
    public ContainerDnsInfo? DefaultContainerDns { get; init; }

    /// <summary>
    /// Whether to cap CPU with a CFS quota of <c>cpus × 100 ms</c> per 100 ms period (at least 1 ms)
    /// besides the shares (<c>--cgroups_enable_cfs</c>). A task's <c>limits["cpus"]</c> sets the
    /// quota regardless.
    /// </summary>
    /// <value>Default <see langword="false"/>.</value>
    public bool CgroupsEnableCfs { get; init; }

    /// <summary>
    /// Where the containers' stdout goes. Mesos's Docker executor runs <c>docker run</c> with its own
    /// stdout, which belongs to the agent's container logger (the sandbox's <c>stdout</c> file opened
    /// with <c>O_APPEND</c>, a pipe to <c>mesos-logrotate-logger</c>, journald): the containerizer does
    /// the same and never opens the sandbox's log files. Each message from the engine is written
    /// whole, with one <see cref="Stream.Write(ReadOnlySpan{byte})"/> followed by
    /// <see cref="Stream.Flush"/>, through <see cref="Stream.Synchronized"/>: to keep other writers
    /// of the same stream (a logger) from interleaving, give them the same synchronized stream.
    /// The stream is not disposed by the containerizer.
    /// </summary>
    /// <value>Default <see langword="null"/>: the process's standard output.</value>
    public Stream? StandardOutput { get; init; }

    /// <summary>
    /// Where the containers' stderr goes; see <see cref="StandardOutput"/>. The reference executor
    /// passes the synchronized stream its own log lines go to, so neither cuts into the other.
    /// </summary>
    /// <value>Default <see langword="null"/>: the process's standard error.</value>
    public Stream? StandardError { get; init; }

    /// <summary>
    /// Whether a task's <c>CommandInfo.user</c> becomes the container's user. Mesos's Docker
    /// containerizer never passes it to Docker (<c>Docker::RunOptions::create</c>): frameworks set it
    /// to their own user (Marathon: the app's or the framework's), which need not exist in the image,
    /// and Docker would refuse to start the container ("unable to find user"). A <c>user</c> Docker
    /// parameter sets the container's user either way, and wins.
    /// </summary>
    /// <value>Default <see langword="false"/>: ignored, as in Mesos.</value>
    public bool UseCommandUser { get; init; }

    /// <summary>
    /// Whether to forbid swap: the container's memory+swap limit (<c>docker run --memory-swap</c>) is
    /// set to its memory limit. Mesos sets <c>--memory</c> (and <c>--memory-reservation</c> with
    /// limits) but never <c>--memory-swap</c>, so on a host with swap Docker lets a task swap as much
    /// again as its memory limit. A <c>memory-swap</c> Docker parameter wins either way.
    /// </summary>
    /// <value>Default <see langword="false"/>: no swap limit is set, as in Mesos.</value>
    public bool DisableSwap { get; init; }

    /// <summary>When images are pulled.</summary>
    /// <value>Default <see cref="PullPolicy.IfNotPresent"/>.</value>
    public PullPolicy Pull { get; init; } = PullPolicy.IfNotPresent;

    /// <summary>
    /// Whether the Mesos agent pulled each task's image before it started the executor, as its
    /// Docker containerizer does for <c>mesos-docker-executor</c> (honouring <c>force_pull_image</c>
    /// and its <c>--docker_config</c> credentials). When <see langword="true"/>, a task's
    /// <c>force_pull_image</c> does not make the containerizer pull the image again: the image is
    /// pulled only when it is absent (removed in between), per <see cref="Pull"/>. An explicit
    /// <c>pull</c> parameter of the task and <see cref="Pull"/> itself keep their meaning. Set it
    /// when the executor runs in place of <c>mesos-docker-executor</c>; leave it off for a custom
    /// executor, where nobody else pulls.
    /// </summary>
    /// <value>Default <see langword="false"/>: <c>force_pull_image</c> means <see cref="PullPolicy.Always"/>.</value>
    public bool ImagePulledByAgent { get; init; }

    /// <summary>
    /// The operator's Docker client config file (the format of <c>~/.docker/config.json</c>, or of the
    /// legacy <c>~/.dockercfg</c>, as the agent's <c>--docker_config</c>), holding registry
    /// credentials for the pulls the containerizer makes. It applies only when the task's sandbox
    /// has neither a <c>.docker/config.json</c> nor a <c>.dockercfg</c> (fetched as URIs): those
    /// win, as with the Docker CLI that the agent runs with <c>HOME</c> set to the sandbox. The
    /// file is read at each pull; a missing or malformed file fails that pull.
    /// </summary>
    /// <value>Default <see langword="null"/>: only the sandbox's files.</value>
    public string? DockerConfigPath { get; init; }

    /// <summary>
    /// Time limit of each short engine call (inspect, create, start, kill, remove, exec setup).
    /// Long calls (wait, log streaming, image pulls) have none.
    /// </summary>
    /// <value>Default 30 seconds.</value>
    public TimeSpan ShortCallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long <see cref="DockerContainerizer.WaitAsync"/> keeps reconnecting after the connection
    /// to the engine broke (daemon restart) before it gives up with <see cref="ContainerizerException"/>.
    /// </summary>
    /// <value>Default 10 minutes.</value>
    public TimeSpan DaemonReconnectTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Labels added to every container (and to the named volumes Docker creates for it), after the
    /// task's labels and <see cref="ContainerSpec.Labels"/>.
    /// </summary>
    /// <value>Default empty.</value>
    public IReadOnlyDictionary<string, string> ExtraLabels { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Reads environment variables (only <c>DOCKER_HOST</c>); tests pass their own.</summary>
    /// <value>Default <see cref="Environment.GetEnvironmentVariable(string)"/>.</value>
    public Func<string, string?> EnvironmentReader { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>
    /// Parses the agent's <c>--task_environment</c> value: a JSON object whose values are strings,
    /// such as <c>{"MESOS_ALLOCATION_ROLE":"web"}</c>.
    /// </summary>
    /// <param name="json">The flag's value.</param>
    /// <returns>The variables, in the order given.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is <see langword="null"/>.</exception>
    /// <exception cref="ExecutorConfigurationException">The value is not such an object, or a name is empty or contains <c>=</c>.</exception>
    public static IReadOnlyDictionary<string, string> ParseTaskEnvironment(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var errors = new ConfigurationErrors("task environment (--task_environment)");
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors.Add("the value must be a JSON object of strings");
            }
            else
            {
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    if (property.Value.ValueKind != JsonValueKind.String)
                    {
                        errors.Add($"the value of '{property.Name}' must be a string");
                        continue;
                    }

                    string? problem = EnvironmentNameProblem(property.Name);
                    if (problem != null)
                    {
                        errors.Add(problem);
                        continue;
                    }

                    result[property.Name] = property.Value.GetString()!;
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a name or value with an escaped lone surrogate ("\ud800"),
            // which JsonDocument accepts and only reading the string refuses.
            throw new ExecutorConfigurationException($"invalid task environment (--task_environment): not JSON: {ex.Message}", ex);
        }

        errors.ThrowIfAny();
        return result;
    }

    /// <summary>Checks the options and reports every problem at once.</summary>
    /// <exception cref="ExecutorConfigurationException">A value is invalid; the message lists them all.</exception>
    public void Validate()
    {
        var errors = new ConfigurationErrors("Docker containerizer options");
        try
        {
            Uri endpoint = ResolveEndpoint();
            string? problem = EndpointProblem(endpoint);
            if (problem != null)
            {
                errors.Add(problem);
            }
        }
        catch (UriFormatException ex)
        {
            errors.Add($"DOCKER_HOST is not a URI: {ex.Message}");
        }

        if (ApiVersion != null && !TextPatterns.IsApiVersion(ApiVersion))
        {
            errors.Add($"api version '{ApiVersion}' must look like 1.41");
        }

        if (ContainerName != null && !TextPatterns.IsContainerName(ContainerName))
        {
            errors.Add($"container name '{ContainerName}' is not a valid Docker name ([a-zA-Z0-9][a-zA-Z0-9_.-]+)");
        }

        if (SandboxDirectory != null && !Path.IsPathFullyQualified(SandboxDirectory))
        {
            errors.Add($"sandbox directory '{SandboxDirectory}' must be an absolute path");
        }

        if (string.IsNullOrEmpty(MappedDirectory) || !MappedDirectory.StartsWith('/'))
        {
            errors.Add($"mapped directory '{MappedDirectory}' must be an absolute path");
        }

        if (TaskEnvironment is null)
        {
            errors.Add("task environment must not be null");
        }
        else
        {
            foreach (var name in TaskEnvironment.Keys)
            {
                string? problem = EnvironmentNameProblem(name);
                if (problem != null)
                {
                    errors.Add(problem);
                }
            }
        }

        DefaultContainerDns?.Validate(errors);

        if (!Enum.IsDefined(Pull))
        {
            errors.Add($"pull policy {Pull} is not defined");
        }

        if (DockerConfigPath != null && !Path.IsPathFullyQualified(DockerConfigPath))
        {
            errors.Add($"Docker config path '{DockerConfigPath}' must be an absolute path");
        }

        if (ShortCallTimeout <= TimeSpan.Zero)
        {
            errors.Add("short call timeout must be positive");
        }

        if (DaemonReconnectTimeout <= TimeSpan.Zero)
        {
            errors.Add("daemon reconnect timeout must be positive");
        }

        if (ExtraLabels is null)
        {
            errors.Add("extra labels must not be null");
        }
        else
        {
            foreach (var key in ExtraLabels.Keys)
            {
                if (string.IsNullOrEmpty(key))
                {
                    errors.Add("extra labels must not have an empty key");
                }
            }
        }

        if (StandardOutput is { CanWrite: false })
        {
            errors.Add("standard output stream must be writable");
        }

        if (StandardError is { CanWrite: false })
        {
            errors.Add("standard error stream must be writable");
        }

        if (EnvironmentReader is null)
        {
            errors.Add("environment reader must not be null");
        }

        errors.ThrowIfAny();
    }

    /// <summary>The endpoint to connect to: <see cref="Endpoint"/>, else <c>DOCKER_HOST</c>, else the default socket.</summary>
    /// <exception cref="UriFormatException"><c>DOCKER_HOST</c> is not a URI.</exception>
    internal Uri ResolveEndpoint()
    {
        if (Endpoint != null)
        {
            return Endpoint;
        }

        string? host = EnvironmentReader?.Invoke("DOCKER_HOST");
        return string.IsNullOrWhiteSpace(host) ? DefaultEndpoint : new Uri(host.Trim(), UriKind.Absolute);
    }

    internal static string? EndpointProblem(Uri endpoint)
    {
        if (!endpoint.IsAbsoluteUri)
        {
            return $"endpoint '{endpoint}' must be an absolute URI";
        }

        switch (endpoint.Scheme.ToLowerInvariant())
        {
            case "unix":
                return string.IsNullOrEmpty(endpoint.AbsolutePath) || endpoint.AbsolutePath == "/"
                    ? $"endpoint '{endpoint}' names no socket path"
                    : null;
            case "tcp":
            case "http":
                return endpoint.Port <= 0 ? $"endpoint '{endpoint}' needs a port" : null;
            default:
                return $"endpoint '{endpoint}' has unsupported scheme '{endpoint.Scheme}' (use unix://, tcp:// or http://)";
        }
    }

    internal static Version ParseApiVersion(string text) => Version.Parse(text);

    private static string? EnvironmentNameProblem(string name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "an environment variable has an empty name";
        }

        return name.Contains('=', StringComparison.Ordinal)
            ? string.Create(CultureInfo.InvariantCulture, $"environment variable name '{name}' contains '='")
            : null;
    }
}
