using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.V1;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mesos.Executor.Testing;

/// <summary>
/// Runs hooks the way the executor does, without Mesos or Docker: builds a <see cref="HookContext"/>
/// from a <see cref="TaskInfo"/> and calls one phase, so a hook test is a few lines.
/// </summary>
/// <example>
/// <code>
/// var task = new TaskInfo { Name = "web", TaskId = new TaskID { Value = "web-1" }, AgentId = new AgentID { Value = "a" } };
/// HookContext context = await HookTestHarness.RunPhaseAsync(new ForceBridgeHook(), HookPhase.PreCreate, task);
/// Assert.That(context.Spec.Task.Container.Docker.Network, Is.EqualTo(ContainerInfo.Types.DockerInfo.Types.Network.Bridge));
/// </code>
/// </example>
public static class HookTestHarness
{
    /// <summary>The name of the framework in contexts built without one.</summary>
    public const string DefaultFrameworkName = "test-framework";

    /// <summary>The id of the framework in contexts built without one.</summary>
    public const string DefaultFrameworkId = "test-framework-id";

    /// <summary>The id of the executor in contexts built without one.</summary>
    public const string DefaultExecutorId = "test-executor";

    /// <summary>
    /// Builds the context the executor would give hooks for <paramref name="task"/>. The spec holds a
    /// copy of the task (as the executor's does), so pre-create changes show in
    /// <c>context.Spec.Task</c> and leave <paramref name="task"/> alone.
    /// </summary>
    /// <param name="task">The task.</param>
    /// <param name="containerizer">The containerizer; <see langword="null"/> for a new <see cref="RecordingContainerizer"/>.</param>
    /// <param name="framework">The framework; <see langword="null"/> for <see cref="DefaultFrameworkName"/> / <see cref="DefaultFrameworkId"/> run by <c>root</c>.</param>
    /// <param name="executor">The executor; <see langword="null"/> for <see cref="DefaultExecutorId"/>.</param>
    /// <param name="sandboxDirectory">The sandbox on the host (<c>MESOS_DIRECTORY</c>), if any.</param>
    /// <param name="containerId">The container id (phases after pre-create); <see langword="null"/> for <paramref name="container"/>'s id, if given.</param>
    /// <param name="container">The container's details (post-run and later).</param>
    /// <param name="logger">The hook's logger; <see langword="null"/> for none.</param>
    /// <returns>The context.</returns>
    public static HookContext CreateContext(
        TaskInfo task,
        IContainerizer? containerizer = null,
        FrameworkInfo? framework = null,
        ExecutorInfo? executor = null,
        string? sandboxDirectory = null,
        string? containerId = null,
        ContainerDetails? container = null,
        ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        framework ??= new FrameworkInfo
        {
            User = "root",
            Name = DefaultFrameworkName,
            Id = new FrameworkID { Value = DefaultFrameworkId },
        };
        executor ??= new ExecutorInfo
        {
            ExecutorId = new ExecutorID { Value = DefaultExecutorId },
            FrameworkId = framework.Id?.Clone() ?? new FrameworkID { Value = DefaultFrameworkId },
        };
        var spec = new ContainerSpec
        {
            Task = task.Clone(),
            Framework = framework,
            Executor = executor,
            SandboxDirectory = sandboxDirectory,
        };
        return new HookContext(spec, containerizer ?? new RecordingContainerizer(), logger ?? NullLogger.Instance)
        {
            ContainerId = containerId ?? container?.Id,
            Container = container,
        };
    }

    /// <summary>Builds a context for <paramref name="task"/> (see <see cref="CreateContext"/>) and runs one phase of <paramref name="hook"/>.</summary>
    /// <param name="hook">The hook.</param>
    /// <param name="phase">The phase to run.</param>
    /// <param name="task">The task.</param>
    /// <param name="containerizer">The containerizer; <see langword="null"/> for a new <see cref="RecordingContainerizer"/>.</param>
    /// <param name="framework">The framework; <see langword="null"/> for the default one.</param>
    /// <param name="executor">The executor; <see langword="null"/> for the default one.</param>
    /// <param name="sandboxDirectory">The sandbox on the host, if any.</param>
    /// <param name="containerId">The container id; <see langword="null"/> for <paramref name="container"/>'s id, if given.</param>
    /// <param name="container">The container's details.</param>
    /// <param name="logger">The hook's logger; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Cancels the hook.</param>
    /// <returns>The context after the phase (read <c>Spec</c> to see what a pre-create hook changed).</returns>
    /// <exception cref="Exception">Whatever the hook throws, unchanged (typically <see cref="HookFailedException"/>).</exception>
    public static async Task<HookContext> RunPhaseAsync(
        IHook hook,
        HookPhase phase,
        TaskInfo task,
        IContainerizer? containerizer = null,
        FrameworkInfo? framework = null,
        ExecutorInfo? executor = null,
        string? sandboxDirectory = null,
        string? containerId = null,
        ContainerDetails? container = null,
        ILogger? logger = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hook);
        HookContext context = CreateContext(task, containerizer, framework, executor, sandboxDirectory, containerId, container, logger);
        await RunPhaseAsync(hook, phase, context, cancellationToken).ConfigureAwait(false);
        return context;
    }

    /// <summary>Runs one phase of <paramref name="hook"/> with an existing context (to run several phases on one task).</summary>
    /// <param name="hook">The hook.</param>
    /// <param name="phase">The phase to run.</param>
    /// <param name="context">The context, for instance from <see cref="CreateContext"/>.</param>
    /// <param name="cancellationToken">Cancels the hook.</param>
    /// <returns>A task that completes when the hook is done.</returns>
    /// <exception cref="Exception">Whatever the hook throws, unchanged.</exception>
    public static Task RunPhaseAsync(IHook hook, HookPhase phase, HookContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hook);
        ArgumentNullException.ThrowIfNull(context);
        return phase switch
        {
            HookPhase.PreCreate => hook.PreCreateAsync(context, cancellationToken),
            HookPhase.PreRun => hook.PreRunAsync(context, cancellationToken),
            HookPhase.PostRun => hook.PostRunAsync(context, cancellationToken),
            HookPhase.PreStop => hook.PreStopAsync(context, cancellationToken),
            HookPhase.PostStop => hook.PostStopAsync(context, cancellationToken),
            HookPhase.Ready => hook.ReadyAsync(context, cancellationToken),
            HookPhase.HealthChanged => hook.HealthChangedAsync(context, cancellationToken),
            HookPhase.Draining => hook.DrainingAsync(context, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(phase), phase, "unknown hook phase"),
        };
    }

    /// <summary>
    /// Runs one phase of several hooks with the executor's rules: by <see cref="IHook.Priority"/>,
    /// highest first, equal priorities in the given order. In pre-create, pre-run and post-run the
    /// first failure stops the phase (the launch fails with TASK_FAILED naming that hook); in
    /// pre-stop, post-stop, ready, health-changed and draining every hook runs and every failure is
    /// returned (the executor logs them and the task goes on). Set <see cref="HookContext.Healthy"/>,
    /// <see cref="HookContext.CheckStatus"/> or <see cref="HookContext.Status"/> on the context to
    /// give the later phases what the executor would.
    /// </summary>
    /// <param name="hooks">The hooks, in registration order.</param>
    /// <param name="phase">The phase to run.</param>
    /// <param name="context">The task's context.</param>
    /// <param name="cancellationToken">Cancels the phase; cancellation is never reported as a failure.</param>
    /// <returns>
    /// The failures, empty when every hook succeeded; an exception other than
    /// <see cref="HookFailedException"/> is wrapped in one naming the hook.
    /// </returns>
    public static async Task<IReadOnlyList<HookFailedException>> RunHooksAsync(
        IEnumerable<IHook> hooks,
        HookPhase phase,
        HookContext context,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hooks);
        ArgumentNullException.ThrowIfNull(context);
        bool launchPhase = phase is HookPhase.PreCreate or HookPhase.PreRun or HookPhase.PostRun;
        var failures = new List<HookFailedException>();
        foreach (IHook hook in OrderByPriority(hooks))
        {
            try
            {
                await RunPhaseAsync(hook, phase, context, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                failures.Add(ex as HookFailedException ?? new HookFailedException(hook.Name, phase, ex.Message, ex));
                if (launchPhase)
                {
                    break;
                }
            }
        }

        return failures;
    }

    /// <summary>The executor's order: <see cref="IHook.Priority"/> descending, stable for equal priorities.</summary>
    /// <param name="hooks">The hooks, in registration order.</param>
    /// <returns>The hooks in the order they run.</returns>
    public static IReadOnlyList<IHook> OrderByPriority(IEnumerable<IHook> hooks)
    {
        ArgumentNullException.ThrowIfNull(hooks);
        return hooks.OrderByDescending(h => h.Priority).ToList();
    }
}
