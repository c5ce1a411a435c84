using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Mesos.Executor.Core;
using Mesos.Executor.Docker;
using Mesos.Executor.Hooks;
using Mesos.Executor.Reference.CommandLine;
using Mesos.Executor.Reference.Logging;
using Microsoft.Extensions.Logging;
using YamlDotNet.Core;

namespace Mesos.Executor.Reference.Configuration;

/// <summary>
/// Loads the executor's configuration: built-in defaults, then one YAML file (<c>--config PATH</c>,
/// else <c>config.yaml</c> beside the binary, else <c>/etc/mesos-executor/config.yaml</c>, else
/// none), then <c>MESOS_EXECUTOR_*</c> environment variables (only for the keys the file lists
/// in <c>environment_overrides</c>), then flags. Every problem is collected and reported at once,
/// each naming its key and where the value came from.
/// </summary>
internal static class ConfigLoader
{
    /// <summary>The Mesos logging levels <c>--logging_level</c> takes.</summary>
    private static readonly string[] MesosLevels = ["INFO", "WARNING", "ERROR"];

    /// <summary>Loads and validates the configuration.</summary>
    /// <param name="flags">The parsed command line.</param>
    /// <param name="sources">The environment and the file system.</param>
    /// <returns>The settings.</returns>
    /// <exception cref="ExecutorConfigurationException">The configuration is invalid; the message lists every problem.</exception>
    public static ExecutorSettings Load(ExecutorFlags flags, ConfigSources sources)
    {
        ArgumentNullException.ThrowIfNull(flags);
        ArgumentNullException.ThrowIfNull(sources);

        var errors = new List<string>();
        string? path = FindFile(flags.ConfigPath, sources, errors);
        ConfigDocument document = new();
        if (path != null)
        {
            document = ReadFile(path, sources, errors) ?? new ConfigDocument();
        }

        if (errors.Count > 0)
        {
            throw Invalid(errors);
        }

        // Environment variables configure the executor only where the operator's file allows it:
        // the agent merges the task's environment over the executor's own (src/slave/slave.cpp,
        // src/slave/containerizer/docker.cpp), so a variable may come from a framework's user.
        // The host refuses tasks whose environment brought a variable that was used (see
        // TaskEnvironmentGuard).
        var origins = new Dictionary<string, string>(StringComparer.Ordinal);
        EnvironmentAllowList allowed = EnvironmentAllowList.Parse(document.EnvironmentOverrides, path, errors);
        var applied = new List<string>();
        var ignored = new List<string>();
        foreach (ConfigKey key in ConfigKeys.All)
        {
            string? value = sources.Environment(key.EnvironmentVariable);
            if (value == null)
            {
                continue;
            }

            if (!allowed.Allows(key.Path))
            {
                ignored.Add(key.EnvironmentVariable);
                continue;
            }

            key.Apply(document, value);
            origins[key.Path] = key.EnvironmentVariable;
            applied.Add(key.EnvironmentVariable);
        }

        // DOCKER_HOST is the Docker CLI's way to name the engine; it counts as docker.socket.
        if (sources.Environment(EnvironmentAllowList.DockerHost) is { Length: > 0 } dockerHost && !origins.ContainsKey("docker.socket"))
        {
            if (allowed.Allows("docker.socket"))
            {
                (document.Docker ??= new DockerSection()).Socket = dockerHost;
                origins["docker.socket"] = EnvironmentAllowList.DockerHost;
                applied.Add(EnvironmentAllowList.DockerHost);
            }
            else
            {
                ignored.Add(EnvironmentAllowList.DockerHost);
            }
        }

        var resolver = new ConfigResolver(path, origins, errors);
        ExecutorSettings settings = resolver.Resolve(document);
        settings = ApplyFlags(settings, flags, errors);
        if (errors.Count > 0)
        {
            throw Invalid(errors);
        }

        return settings with { EnvironmentApplied = applied, EnvironmentIgnored = ignored };
    }

    /// <summary>Parses YAML text into the document.</summary>
    /// <param name="yaml">The YAML text.</param>
    /// <returns>The document (empty for an empty file).</returns>
    /// <exception cref="YamlException">The text is not valid YAML for the document; its marks locate the node.</exception>
    public static ConfigDocument Parse(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        return ConfigYamlReader.Read(yaml);
    }

    private static string? FindFile(string? explicitPath, ConfigSources sources, List<string> errors)
    {
        if (explicitPath != null)
        {
            if (!sources.FileExists(explicitPath))
            {
                errors.Add($"--config: file '{explicitPath}' does not exist");
                return null;
            }

            return explicitPath;
        }

        string besideBinary = Path.Combine(sources.BaseDirectory, ConfigSources.FileName);
        if (sources.FileExists(besideBinary))
        {
            return besideBinary;
        }

        return sources.FileExists(ConfigSources.SystemConfigPath) ? ConfigSources.SystemConfigPath : null;
    }

    private static ConfigDocument? ReadFile(string path, ConfigSources sources, List<string> errors)
    {
        string text;
        try
        {
            text = sources.ReadFile(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{path}: cannot be read: {ex.Message}");
            return null;
        }

        try
        {
            return Parse(text);
        }
        catch (YamlException ex)
        {
            errors.Add($"{path}: line {ex.Start.Line}, column {ex.Start.Column}: {ex.Message}");
            return null;
        }
    }

    private static ExecutorSettings ApplyFlags(ExecutorSettings settings, ExecutorFlags flags, List<string> errors)
    {
        foreach (string error in flags.Errors)
        {
            errors.Add(error);
        }

        Uri? endpoint = settings.DockerEndpoint;
        if (flags.DockerSocket != null)
        {
            endpoint = ParseDockerEndpoint(flags.DockerSocket, "--docker_socket", errors) ?? endpoint;
        }

        TimeSpan? stopTimeout = null;
        if (flags.StopTimeout != null)
        {
            // The agent always passes --stop_timeout (its deprecated --docker_stop_timeout, default
            // 0ns); it only counts when larger than the shutdown grace period (KillGraceFor).
            if (!MesosDuration.TryParse(flags.StopTimeout, out TimeSpan stop))
            {
                errors.Add($"--stop_timeout: '{flags.StopTimeout}' is not a Mesos duration (e.g. 10secs, 500ms)");
            }
            else
            {
                stopTimeout = stop;
            }
        }

        LogLevel level = settings.LogLevel;
        if (flags.LoggingLevel != null)
        {
            string upper = flags.LoggingLevel.Trim().ToUpperInvariant();
            if (!MesosLevels.Contains(upper))
            {
                errors.Add($"--logging_level: '{flags.LoggingLevel}' is not one of INFO, WARNING, ERROR");
            }
            else if (upper != "INFO")
            {
                // INFO is the agent's default and it always passes the flag, so INFO cannot mean
                // "override logging.level"; WARNING and ERROR do.
                level = upper == "WARNING" ? LogLevel.Warning : LogLevel.Error;
            }
        }

        if (flags.Quiet)
        {
            level = LogLevel.None;
        }

        return settings with
        {
            DockerEndpoint = endpoint,
            StopTimeout = stopTimeout,
            LogLevel = level,
            ContainerName = flags.Container,
            DropIn = flags.Container != null,
            SandboxDirectory = flags.SandboxDirectory,
            MappedDirectory = flags.MappedDirectory,
            TaskEnvironmentJson = flags.TaskEnvironment,
            DefaultContainerDnsJson = flags.DefaultContainerDns,
            CgroupsEnableCfs = flags.CgroupsEnableCfs ?? false,
        };
    }

    /// <summary>Turns a socket path or URI into the Docker endpoint URI.</summary>
    /// <param name="value">A path (<c>/var/run/docker.sock</c>) or a URI (<c>unix://</c>, <c>tcp://</c>, <c>http://</c>; the Docker containerizer has no TLS).</param>
    /// <param name="key">The key or flag, for the error.</param>
    /// <param name="errors">Where an error goes.</param>
    /// <returns>The URI, or <see langword="null"/> on error.</returns>
    internal static Uri? ParseDockerEndpoint(string value, string key, List<string> errors)
    {
        string trimmed = value.Trim();
        if (trimmed.StartsWith('/'))
        {
            return new Uri("unix://" + trimmed);
        }

        if (Uri.TryCreate(trimmed, UriKind.Absolute, out Uri? uri) && uri.Scheme is "unix" or "tcp" or "http")
        {
            return uri;
        }

        errors.Add($"{key}: '{value}' is neither an absolute socket path nor a unix://, tcp:// or http:// URI");
        return null;
    }

    private static ExecutorConfigurationException Invalid(List<string> errors) =>
        new("invalid configuration:" + Environment.NewLine + " - " + string.Join(Environment.NewLine + " - ", errors));
}
