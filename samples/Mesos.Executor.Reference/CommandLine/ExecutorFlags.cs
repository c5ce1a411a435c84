using System;
using System.Collections.Generic;
using System.Text;

namespace Mesos.Executor.Reference.CommandLine;

/// <summary>
/// The flags Mesos's Docker containerizer passes to its Docker executor (see
/// <c>dockerFlags()</c> in Mesos's <c>src/slave/containerizer/docker.cpp</c>), the logging flags
/// every Mesos program takes, and our own <c>--config</c>. Values stay strings here; the
/// configuration layer parses them so that its errors name the flag.
/// </summary>
internal sealed record ExecutorFlags
{
    /// <summary>Every flag this executor accepts.</summary>
    public static readonly IReadOnlyList<FlagDefinition> Definitions =
    [
        new("container", FlagKind.Value, "Name of the Docker container to run the task in (mesos-<ContainerID>)."),
        new("docker", FlagKind.Value, "Path of the docker CLI. Accepted and ignored: the Engine API is used.", Used: false),
        new("docker_socket", FlagKind.Value, "Docker engine socket (default /var/run/docker.sock); overrides docker.socket."),
        new("sandbox_directory", FlagKind.Value, "The task's sandbox on the host (stdout/stderr files go there)."),
        new("mapped_directory", FlagKind.Value, "Where the sandbox is mounted in the container (default /mnt/mesos/sandbox)."),
        new("stop_timeout", FlagKind.Value, "Default kill grace period (Mesos duration, e.g. 10secs); 0 keeps the configured one."),
        new("launcher_dir", FlagKind.Value, "Directory of Mesos's helper binaries. Accepted and ignored.", Used: false),
        new("task_environment", FlagKind.Value, "JSON map of environment variables added to the task."),
        new("default_container_dns", FlagKind.Value, "JSON default DNS settings for containers (agent's --default_container_dns)."),
        new("cgroups_enable_cfs", FlagKind.Boolean, "Enforce CPU limits with CFS quota."),
        new("logging_level", FlagKind.Value, "INFO, WARNING or ERROR (INFO, the agent's default, keeps logging.level)."),
        new("log_dir", FlagKind.Value, "Accepted and ignored: logs go to stderr (the sandbox's stderr file).", Used: false),
        new("logbufsecs", FlagKind.Value, "Accepted and ignored: every line is written at once.", Used: false),
        new("quiet", FlagKind.Boolean, "Write no log lines to stderr."),
        new("initialize_driver_logging", FlagKind.Boolean, "Accepted and ignored (no effect on HTTP executors).", Used: false),
        new("external_log_file", FlagKind.Value, "Accepted and ignored.", Used: false),
        new("config", FlagKind.Value, "Configuration file (default: config.yaml beside the binary, then /etc/mesos-executor/config.yaml)."),
        new("help", FlagKind.Boolean, "Print this help and exit."),
    ];

    /// <summary><c>--container</c>.</summary>
    public string? Container { get; init; }

    /// <summary><c>--docker_socket</c>.</summary>
    public string? DockerSocket { get; init; }

    /// <summary><c>--sandbox_directory</c>.</summary>
    public string? SandboxDirectory { get; init; }

    /// <summary><c>--mapped_directory</c>.</summary>
    public string? MappedDirectory { get; init; }

    /// <summary><c>--stop_timeout</c>, unparsed.</summary>
    public string? StopTimeout { get; init; }

    /// <summary><c>--task_environment</c>, unparsed JSON.</summary>
    public string? TaskEnvironment { get; init; }

    /// <summary><c>--default_container_dns</c>, unparsed JSON.</summary>
    public string? DefaultContainerDns { get; init; }

    /// <summary><c>--cgroups_enable_cfs</c>.</summary>
    public bool? CgroupsEnableCfs { get; init; }

    /// <summary><c>--logging_level</c>, unparsed.</summary>
    public string? LoggingLevel { get; init; }

    /// <summary><c>--quiet</c>.</summary>
    public bool Quiet { get; init; }

    /// <summary><c>--config</c>.</summary>
    public string? ConfigPath { get; init; }

    /// <summary><c>--help</c>.</summary>
    public bool Help { get; init; }

    /// <summary>Flags that were accepted but are not used by this executor (for a debug line).</summary>
    public IReadOnlyList<string> Ignored { get; init; } = [];

    /// <summary>Unknown flags and other oddities, to log as warnings once logging is up.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Problems that stop the executor before it subscribes.</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];

    /// <summary>Parses the executor's command line.</summary>
    /// <param name="args">The arguments without the program name.</param>
    /// <returns>The flags, with warnings and errors.</returns>
    public static ExecutorFlags Parse(IReadOnlyList<string> args)
    {
        var parsed = FlagParser.Parse(args, Definitions);
        var warnings = new List<string>(parsed.Warnings);
        foreach (var positional in parsed.Positional)
        {
            warnings.Add($"ignoring unexpected argument '{positional}'");
        }

        var ignored = new List<string>();
        foreach (var definition in Definitions)
        {
            if (!definition.Used && parsed.Values.ContainsKey(definition.Name))
            {
                ignored.Add(definition.Name);
            }
        }

        return new ExecutorFlags
        {
            Container = parsed.Get("container"),
            DockerSocket = parsed.Get("docker_socket"),
            SandboxDirectory = parsed.Get("sandbox_directory"),
            MappedDirectory = parsed.Get("mapped_directory"),
            StopTimeout = parsed.Get("stop_timeout"),
            TaskEnvironment = parsed.Get("task_environment"),
            DefaultContainerDns = parsed.Get("default_container_dns"),
            CgroupsEnableCfs = parsed.GetBoolean("cgroups_enable_cfs"),
            LoggingLevel = parsed.Get("logging_level"),
            Quiet = parsed.GetBoolean("quiet") ?? false,
            ConfigPath = parsed.Get("config"),
            Help = parsed.GetBoolean("help") ?? false,
            Ignored = ignored,
            Warnings = warnings,
            Errors = parsed.Errors,
        };
    }

    /// <summary>The text <c>--help</c> prints.</summary>
    /// <returns>The usage text.</returns>
    public static string Usage()
    {
        var text = new StringBuilder();
        text.AppendLine("Usage: mesos-executor [--name=value | --name value]...");
        text.AppendLine();
        text.AppendLine("A Mesos executor for Docker tasks (v1 Executor HTTP API), a drop-in for mesos-docker-executor.");
        text.AppendLine("The agent's MESOS_* environment is read as Mesos documents it. Booleans also take --name and");
        text.AppendLine("--no-name. Unknown flags are ignored with a warning. A demo against a fake agent:");
        text.AppendLine("dotnet run --project samples/Mesos.Executor.Demo -- demo (binary mesos-executor-demo).");
        text.AppendLine();
        foreach (var definition in Definitions)
        {
            string left = definition.Kind == FlagKind.Boolean ? $"  --[no-]{definition.Name}" : $"  --{definition.Name}=VALUE";
            text.Append(left.PadRight(34)).Append(' ').AppendLine(definition.Help);
        }

        text.AppendLine();
        text.AppendLine("Configuration: YAML file < MESOS_EXECUTOR_<SECTION>__<KEY> environment variables < flags.");
        text.AppendLine("See config.yaml in the repository for every key and its default.");
        return text.ToString();
    }
}
