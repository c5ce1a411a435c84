using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.Executor.Hooks.Internal;
using Mesos.V1;
using Microsoft.Extensions.Logging;

namespace Mesos.Executor.Hooks;

/// <summary>
/// <c>exec</c>: runs an operator's command at the phases it is configured for, e.g. to register a
/// task in service discovery once it is ready and to deregister it when it drains.
/// </summary>
/// <remarks>
/// The command (<see cref="ExecHookCommand.Command"/>: an absolute path and arguments, never a
/// shell) reads one JSON document on stdin: <c>phase</c>, <c>task_id</c>, <c>task_name</c>,
/// <c>framework_id</c>, <c>executor_id</c>, <c>agent_id</c>, <c>labels</c>, <c>container_id</c>,
/// <c>container_name</c>, <c>container_ips</c>, <c>port_mappings</c>, <c>state</c> (the task's
/// latest status), <c>healthy</c>, <c>check_status</c> and <c>sandbox_directory</c>. Its environment
/// holds only <c>PATH</c> and <c>MESOS_HOOK_PHASE</c>, <c>MESOS_TASK_ID</c>, <c>MESOS_TASK_NAME</c>,
/// <c>MESOS_FRAMEWORK_ID</c>, <c>MESOS_EXECUTOR_ID</c>, <c>MESOS_AGENT_ID</c>,
/// <c>MESOS_CONTAINER_ID</c>, <c>MESOS_TASK_STATE</c>, <c>MESOS_DIRECTORY</c> where known: never
/// the task's environment. The first <see cref="ExecHookOptions.MaxOutputBytes"/> of its stdout and
/// stderr go to the executor's log. At <see cref="ExecHookCommand.Timeout"/> it is killed with its
/// children. Exit status 0 is success; anything else is logged, or fails the task where
/// <see cref="ExecHookCommand.FailTask"/> is set (launch phases only).
/// </remarks>
public sealed class ExecHook : IHook
{
    private readonly ExecHookOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates the hook.</summary>
    /// <param name="options">Its options; <see langword="null"/> for the defaults (no command).</param>
    /// <exception cref="ExecutorConfigurationException">The options are invalid.</exception>
    public ExecHook(ExecHookOptions? options = null)
        : this(options, TimeProvider.System)
    {
    }

    internal ExecHook(ExecHookOptions? options, TimeProvider time)
    {
        _options = options ?? new ExecHookOptions();
        _options.Validate();
        _time = time;
    }

    /// <inheritdoc />
    public string Name => HookNames.Exec;

    /// <inheritdoc />
    public int Priority => _options.Priority;

    /// <inheritdoc />
    /// <exception cref="HookFailedException">The command failed and its <see cref="ExecHookCommand.FailTask"/> is set.</exception>
    public Task PreCreateAsync(HookContext context, CancellationToken cancellationToken = default) => RunAsync(HookPhase.PreCreate, context, cancellationToken);

    /// <inheritdoc />
    /// <exception cref="HookFailedException">The command failed and its <see cref="ExecHookCommand.FailTask"/> is set.</exception>
    public Task PreRunAsync(HookContext context, CancellationToken cancellationToken = default) => RunAsync(HookPhase.PreRun, context, cancellationToken);

    /// <inheritdoc />
    /// <exception cref="HookFailedException">The command failed and its <see cref="ExecHookCommand.FailTask"/> is set.</exception>
    public Task PostRunAsync(HookContext context, CancellationToken cancellationToken = default) => RunAsync(HookPhase.PostRun, context, cancellationToken);

    /// <inheritdoc />
    public Task ReadyAsync(HookContext context, CancellationToken cancellationToken = default) => RunAsync(HookPhase.Ready, context, cancellationToken);

    /// <inheritdoc />
    public Task HealthChangedAsync(HookContext context, CancellationToken cancellationToken = default) => RunAsync(HookPhase.HealthChanged, context, cancellationToken);

    /// <inheritdoc />
    public Task DrainingAsync(HookContext context, CancellationToken cancellationToken = default) => RunAsync(HookPhase.Draining, context, cancellationToken);

    /// <inheritdoc />
    public Task PreStopAsync(HookContext context, CancellationToken cancellationToken = default) => RunAsync(HookPhase.PreStop, context, cancellationToken);

    /// <inheritdoc />
    public Task PostStopAsync(HookContext context, CancellationToken cancellationToken = default) => RunAsync(HookPhase.PostStop, context, cancellationToken);

    /// <summary>The phase as operators write it in configuration: <c>pre-create</c>, <c>ready</c>, <c>health-changed</c>, ...</summary>
    /// <param name="phase">The phase.</param>
    /// <returns>Its name.</returns>
    public static string PhaseName(HookPhase phase) => phase switch
    {
        HookPhase.PreCreate => "pre-create",
        HookPhase.PreRun => "pre-run",
        HookPhase.PostRun => "post-run",
        HookPhase.PreStop => "pre-stop",
        HookPhase.PostStop => "post-stop",
        HookPhase.Ready => "ready",
        HookPhase.HealthChanged => "health-changed",
        HookPhase.Draining => "draining",
        _ => phase.ToString(),
    };

    /// <summary>Whether a failing hook in <paramref name="phase"/> can fail the task (the launch phases).</summary>
    /// <param name="phase">The phase.</param>
    /// <returns><see langword="true"/> for pre-create, pre-run and post-run.</returns>
    public static bool CanFailTask(HookPhase phase) => phase is HookPhase.PreCreate or HookPhase.PreRun or HookPhase.PostRun;

    private async Task RunAsync(HookPhase phase, HookContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!_options.Commands.TryGetValue(phase, out ExecHookCommand? command))
        {
            return;
        }

        string phaseName = PhaseName(phase);
        string taskId = TaskFacts.TaskId(context);
        string program = command.Command[0];
        byte[] input = JsonSerializer.SerializeToUtf8Bytes(Describe(phaseName, context), ExecHookJsonContext.Default.ExecHookDocument);
        long started = _time.GetTimestamp();
        ExecCommandResult result = await ExecCommandRunner.RunAsync(
            command.Command, Environment(phaseName, context), input, command.Timeout, _options.MaxOutputBytes, _time, cancellationToken).ConfigureAwait(false);
        LogOutput(context.Logger, taskId, phaseName, program, "stdout", result.Stdout);
        LogOutput(context.Logger, taskId, phaseName, program, "stderr", result.Stderr);
        if (result.Succeeded)
        {
            context.Logger.ExecCompleted(taskId, phaseName, program, 0, _time.GetElapsedTime(started));
            return;
        }

        string reason = result switch
        {
            { StartError: { } error } => "cannot run it: " + error,
            { TimedOut: true } => $"killed after its timeout of {MesosDuration.Format(command.Timeout)}",
            _ => $"exit status {result.ExitCode}",
        };
        if (command.FailTask && CanFailTask(phase))
        {
            throw new HookFailedException(Name, phase, $"{phaseName} command {program} failed: {reason}");
        }

        context.Logger.ExecFailed(taskId, phaseName, program, reason);
    }

    private static void LogOutput(ILogger logger, string taskId, string phase, string program, string stream, CapturedOutput output)
    {
        if (output.Text.Length == 0 && output.DroppedBytes == 0)
        {
            return;
        }

        string truncated = output.DroppedBytes > 0
            ? string.Create(CultureInfo.InvariantCulture, $" [truncated: {output.DroppedBytes} more bytes]")
            : string.Empty;
        logger.ExecOutput(taskId, phase, program, stream, output.Text.TrimEnd('\n'), truncated);
    }

    private static Dictionary<string, string> Environment(string phase, HookContext context)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["MESOS_HOOK_PHASE"] = phase,
            ["MESOS_TASK_ID"] = context.Task.TaskId?.Value ?? string.Empty,
            ["MESOS_TASK_NAME"] = context.Task.Name ?? string.Empty,
            ["MESOS_FRAMEWORK_ID"] = context.Framework.Id?.Value ?? context.Executor.FrameworkId?.Value ?? string.Empty,
            ["MESOS_EXECUTOR_ID"] = context.Executor.ExecutorId?.Value ?? string.Empty,
        };
        AddIfKnown(environment, "MESOS_AGENT_ID", context.Spec.Agent?.Id?.Value ?? context.Task.AgentId?.Value);
        AddIfKnown(environment, "MESOS_CONTAINER_ID", context.ContainerId);
        AddIfKnown(environment, "MESOS_TASK_STATE", context.Status is { } status ? StateName(status.State) : null);
        AddIfKnown(environment, "MESOS_DIRECTORY", context.Spec.SandboxDirectory);
        return environment;
    }

    private static void AddIfKnown(Dictionary<string, string> environment, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            environment[name] = value;
        }
    }

    private static ExecHookDocument Describe(string phase, HookContext context)
    {
        var labels = new List<ExecHookLabel>();
        if (context.Task.Labels is { } taskLabels)
        {
            foreach (Label label in taskLabels.Labels_)
            {
                labels.Add(new ExecHookLabel(label.Key, label.HasValue ? label.Value : string.Empty));
            }
        }

        var ips = new List<string>();
        var ports = new List<ExecHookPortMapping>();
        if (context.Container is { } container)
        {
            foreach (System.Net.IPAddress address in container.IPAddresses)
            {
                ips.Add(address.ToString());
            }

            foreach (PublishedPort port in container.PublishedPorts)
            {
                ports.Add(new ExecHookPortMapping(port.HostPort, port.ContainerPort, port.Protocol, port.HostIP));
            }
        }

        return new ExecHookDocument
        {
            Phase = phase,
            TaskId = context.Task.TaskId?.Value ?? string.Empty,
            TaskName = context.Task.Name ?? string.Empty,
            FrameworkId = context.Framework.Id?.Value ?? context.Executor.FrameworkId?.Value ?? string.Empty,
            FrameworkName = context.Framework.Name,
            ExecutorId = context.Executor.ExecutorId?.Value ?? string.Empty,
            AgentId = context.Spec.Agent?.Id?.Value ?? context.Task.AgentId?.Value,
            AgentHostname = context.Spec.Agent?.Hostname,
            Labels = labels,
            ContainerId = context.ContainerId,
            ContainerName = context.Container?.Name ?? context.Spec.ContainerName,
            ContainerIps = ips,
            PortMappings = ports,
            State = context.Status is { } status ? StateName(status.State) : null,
            Healthy = context.Healthy,
            CheckStatus = Describe(context.CheckStatus),
            SandboxDirectory = context.Spec.SandboxDirectory,
        };
    }

    private static ExecHookCheckStatus? Describe(CheckStatusInfo? status) => status is null ? null : new ExecHookCheckStatus
    {
        Type = UpperSnake(status.Type.ToString()),
        CommandExitCode = status.Command is { HasExitCode: true } command ? command.ExitCode : null,
        HttpStatusCode = status.Http is { HasStatusCode: true } http ? (int)http.StatusCode : null,
        TcpSucceeded = status.Tcp is { HasSucceeded: true } tcp ? tcp.Succeeded : null,
    };

    /// <summary>TASK_RUNNING for <see cref="TaskState.TaskRunning"/>: the name Mesos uses, without protobuf reflection.</summary>
    internal static string StateName(TaskState state) => UpperSnake(state.ToString());

    private static string UpperSnake(string pascal)
    {
        var builder = new StringBuilder(pascal.Length + 8);
        for (int i = 0; i < pascal.Length; i++)
        {
            char c = pascal[i];
            if (i > 0 && char.IsUpper(c))
            {
                builder.Append('_');
            }

            builder.Append(char.ToUpperInvariant(c));
        }

        return builder.ToString();
    }
}
