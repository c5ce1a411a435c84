using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.Executor.Docker;
using Mesos.Executor.Hooks;
using Mesos.Executor.Reference.CommandLine;
using Mesos.Executor.Reference.Configuration;
using Mesos.Executor.Reference.Logging;
using Mesos.Executor.Reference.Memory;
using Microsoft.Extensions.Logging;

namespace Mesos.Executor.Reference;

/// <summary>
/// The reference executor: flags and configuration in, Core + Docker + Hooks composed, run until
/// the agent (or SIGTERM/SIGINT) ends it. Everything that can be wrong with the configuration is
/// found before the executor subscribes.
/// </summary>
internal static class ExecutorHost
{
    /// <summary>The executor's version (the assembly's informational version).</summary>
    public static string Version { get; } =
        typeof(ExecutorHost).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>Runs the executor as a Mesos agent launches it.</summary>
    /// <param name="args">The command line without the program name.</param>
    /// <param name="sources">Environment and file system for the configuration.</param>
    /// <param name="stdout">Where <c>--help</c> goes.</param>
    /// <param name="stderr">Where log lines, fatal errors and the containers' stderr go.</param>
    /// <returns>The process exit code (see <see cref="ExecutorExitCodes"/>).</returns>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, ConfigSources sources, TextWriter stdout, Stream stderr)
    {
        // One lock for every writer of stderr: the log lines and the containers' stderr (the
        // agent's container logger reads both from it) are each written whole, never cut into.
        stderr = Stream.Synchronized(stderr);
        ExecutorFlags flags = ExecutorFlags.Parse(args);
        if (flags.Help)
        {
            await stdout.WriteAsync(ExecutorFlags.Usage());
            await stdout.FlushAsync();
            return ExecutorExitCodes.Success;
        }

        ExecutorSettings settings;
        try
        {
            settings = ConfigLoader.Load(flags, sources);
        }
        catch (ExecutorConfigurationException ex)
        {
            return Fatal(stderr, ex.Message);
        }

        using var loggerFactory = new LineLoggerFactory(stderr, settings.LogLevel, settings.LogFormat);
        ILogger logger = loggerFactory.CreateLogger("Mesos.Executor.Reference");
        Log.ExecutorStarting(logger, Version, Environment.ProcessId, settings.ConfigFile ?? "built-in defaults");
        foreach (string warning in flags.Warnings)
        {
            Log.FlagWarning(logger, warning);
        }

        foreach (string ignored in flags.Ignored)
        {
            Log.FlagIgnored(logger, ignored);
        }

        foreach (string variable in settings.EnvironmentIgnored)
        {
            Log.EnvironmentVariableIgnored(logger, variable);
        }

        foreach (string variable in settings.EnvironmentApplied)
        {
            Log.EnvironmentVariableApplied(logger, variable);
        }

        MesosExecutor executor;
        try
        {
            executor = await ComposeAsync(settings, ExecutorEnvironment.FromProcess(), loggerFactory, logger, stderr);
        }
        catch (ExecutorConfigurationException ex)
        {
            return Fatal(stderr, ex.Message);
        }

        await using (executor)
        {
            using var shutdown = new CancellationTokenSource();
            using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => OnSignal(context, "SIGTERM"));
            using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => OnSignal(context, "SIGINT"));

            using var stopReleasing = new CancellationTokenSource();
            Task releasing = settings.ReleaseFilePages
                ? PageReleaseLoop.RunAsync(settings.ReleaseInterval, logger, TimeProvider.System, stopReleasing.Token)
                : Task.CompletedTask;
            int exitCode;
            try
            {
                exitCode = await executor.RunAsync(shutdown.Token);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.UnhandledException(logger, ex);
                exitCode = ExecutorExitCodes.Fatal;
            }

            await stopReleasing.CancelAsync();
            await releasing;
            Log.ExecutorExiting(logger, exitCode);
            return exitCode;

            void OnSignal(PosixSignalContext context, string name)
            {
                // Keep the process alive: the executor shuts down gracefully (kills its tasks,
                // sends and waits for the terminal updates) and then returns from RunAsync.
                context.Cancel = true;
                Log.SignalReceived(logger, name);
                shutdown.Cancel();
            }
        }
    }

    /// <summary>Builds the executor from the settings: Docker containerizer, hooks, options.</summary>
    /// <param name="settings">The validated settings.</param>
    /// <param name="environment">The agent's environment for the executor.</param>
    /// <param name="loggerFactory">The logger factory.</param>
    /// <param name="logger">The host's logger.</param>
    /// <param name="standardError">Where the containers' stderr goes (the stream the log lines go to, synchronized); <see langword="null"/> for the process's stderr.</param>
    /// <returns>The executor; it owns the Docker containerizer and disposes it with itself.</returns>
    /// <exception cref="ExecutorConfigurationException">The flags' JSON values or the composed options are invalid.</exception>
    public static async Task<MesosExecutor> ComposeAsync(ExecutorSettings settings, ExecutorEnvironment environment, ILoggerFactory loggerFactory, ILogger logger, Stream? standardError = null)
    {
        DockerContainerizerOptions dockerOptions = CreateDockerOptions(settings, environment, out IReadOnlyList<IHook> hooks, standardError);
        Log.DockerEndpoint(logger, (settings.DockerEndpoint ?? DockerContainerizerOptions.DefaultEndpoint).ToString(), settings.DockerApiVersion ?? "negotiated", settings.PullPolicy.ToString());
        Log.HooksEnabled(logger, hooks.Count == 0 ? "(none)" : string.Join(", ", settings.EnabledHooks));

        var containerizer = new DockerContainerizer(dockerOptions, loggerFactory);
        try
        {
            MesosExecutorBuilder builder = MesosExecutor.CreateBuilder()
                .UseEnvironment(environment)
                .UseOptions(CreateExecutorOptions(settings, environment))
                .UseContainerizer(containerizer, ownsContainerizer: true)
                .UseLoggerFactory(loggerFactory)
                .OnSubscribed(new TaskEnvironmentGuard(settings.EnvironmentApplied, logger).Check);
            foreach (IHook hook in hooks)
            {
                builder.AddHook(hook);
            }

            if (settings.ReleaseFilePages)
            {
                builder.AddHook(new ReleasePagesHook());
            }

            return builder.Build();
        }
        catch
        {
            // Build threw: the executor never took the containerizer over.
            await containerizer.DisposeAsync();
            throw;
        }
    }

    /// <summary>The Core options from the settings.</summary>
    /// <param name="settings">The settings.</param>
    /// <param name="environment">The agent's environment (its executor shutdown grace period).</param>
    /// <returns>The options.</returns>
    public static ExecutorOptions CreateExecutorOptions(ExecutorSettings settings, ExecutorEnvironment environment) => new()
    {
        DefaultKillGracePeriod = settings.KillGraceFor(environment.ShutdownGracePeriod),
        TerminalAcknowledgementTimeout = settings.TerminalAckFailsafe,
        DrainDelay = settings.DrainDelay,
        DrainDelayLabel = settings.DrainDelayLabel,
        MaxDrainDelay = settings.MaxDrainDelay,
        HealthChecksEnabled = settings.HealthChecksEnabled,
        ChecksEnabled = settings.ChecksEnabled,
    };

    /// <summary>The Docker containerizer's options and the hooks from the settings, validated together.</summary>
    /// <param name="settings">The settings.</param>
    /// <param name="environment">The agent's environment (the sandbox when --sandbox_directory is absent).</param>
    /// <param name="hooks">The enabled hooks.</param>
    /// <param name="standardError">Where the containers' stderr goes; <see langword="null"/> for the process's stderr.</param>
    /// <returns>The Docker options.</returns>
    /// <exception cref="ExecutorConfigurationException">A JSON flag, the Docker options or a hook's settings are invalid; the message lists every problem.</exception>
    public static DockerContainerizerOptions CreateDockerOptions(ExecutorSettings settings, ExecutorEnvironment environment, out IReadOnlyList<IHook> hooks, Stream? standardError = null)
    {
        var errors = new List<string>();
        IReadOnlyDictionary<string, string> taskEnvironment = new Dictionary<string, string>();
        if (settings.TaskEnvironmentJson != null)
        {
            try
            {
                taskEnvironment = TaskEnvironmentFlag.ParseTaskEnvironment(settings.TaskEnvironmentJson);
            }
            catch (ExecutorConfigurationException ex)
            {
                errors.Add("--task_environment: " + ex.Message);
            }
        }

        DefaultDnsSettings? dns = null;
        if (settings.DefaultContainerDnsJson != null)
        {
            try
            {
                dns = ContainerDnsInfo.Parse(settings.DefaultContainerDnsJson).ToDefaultDns();
            }
            catch (ExecutorConfigurationException ex)
            {
                errors.Add("--default_container_dns: " + ex.Message);
            }
        }

        var dockerOptions = new DockerContainerizerOptions
        {
            Endpoint = settings.DockerEndpoint,
            ApiVersion = settings.DockerApiVersion,
            ContainerName = settings.ContainerName,
            SandboxDirectory = settings.SandboxDirectory ?? environment.Directory,
            MappedDirectory = settings.MappedDirectory ?? new DockerContainerizerOptions().MappedDirectory,
            TaskEnvironment = taskEnvironment,
            DefaultDns = dns,
            CgroupsEnableCfs = settings.CgroupsEnableCfs,
            Pull = settings.PullPolicy,

            // Under the Docker containerizer the agent pulled the image (force_pull_image, its
            // --docker_config credentials) before it started this executor.
            ImagePulledByAgent = settings.DropIn,
            DockerConfigPath = settings.DockerConfigPath,
            ExtraLabels = settings.ExtraLabels,

            // DOCKER_HOST counts as docker.socket and is resolved by the configuration, only where
            // environment_overrides allows it: the containerizer never reads the environment.
            EnvironmentReader = static _ => null,
            StandardError = standardError,
        };
        Collect(errors, dockerOptions.Validate);

        IReadOnlyList<IHook> created = [];
        Collect(errors, () => created = HookCatalog.CreateAll(settings.EnabledHooks, settings.HookSettings));
        hooks = created;

        if (errors.Count > 0)
        {
            throw new ExecutorConfigurationException(
                "invalid configuration:" + Environment.NewLine + " - " + string.Join(Environment.NewLine + " - ", errors));
        }

        return dockerOptions;
    }

    private static void Collect(List<string> errors, Action validate)
    {
        try
        {
            validate();
        }
        catch (ExecutorConfigurationException ex)
        {
            errors.Add(ex.Message);
        }
    }

    private static int Fatal(Stream stderr, string message)
    {
        // Before (or instead of) logging: one plain line, whatever logging.level says.
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes("mesos-executor: " + message + Environment.NewLine);
        stderr.Write(bytes);
        stderr.Flush();
        return ExecutorExitCodes.ConfigurationError;
    }
}
