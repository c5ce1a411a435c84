using System;
using Mesos.V1;
using Microsoft.Extensions.Logging;

namespace Mesos.Executor.Core;

/// <summary>What a hook sees of the task it runs for.</summary>
public sealed class HookContext
{
    private string? _containerId;
    private TaskStatus? _status;
    private bool? _healthy;
    private CheckStatusInfo? _checkStatus;
    private ContainerDetails? _container;

    /// <summary>Creates a context; the executor does this, and so do hook tests (see Mesos.Executor.Testing).</summary>
    /// <param name="spec">The task's container spec.</param>
    /// <param name="containerizer">The containerizer running the task.</param>
    /// <param name="logger">The hook's logger.</param>
    public HookContext(ContainerSpec spec, IContainerizer containerizer, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(containerizer);
        ArgumentNullException.ThrowIfNull(logger);
        Spec = spec;
        Containerizer = containerizer;
        Logger = logger;
    }

    /// <summary>The container spec; pre-create hooks may change it, later phases should not.</summary>
    public ContainerSpec Spec { get; }

    /// <summary>The task (the same object as <c>Spec.Task</c>).</summary>
    public TaskInfo Task => Spec.Task;

    /// <summary>The framework that launched the task.</summary>
    public FrameworkInfo Framework => Spec.Framework;

    /// <summary>This executor.</summary>
    public ExecutorInfo Executor => Spec.Executor;

    /// <summary>The containerizer running the task.</summary>
    public IContainerizer Containerizer { get; }

    /// <summary>The container's id once it was created; <see langword="null"/> in <see cref="HookPhase.PreCreate"/> and after a failed create.</summary>
    /// <value>Set by the executor as the launch proceeds; hooks read it. The <c>init</c> accessor is for code that creates a context (hook tests).</value>
    public string? ContainerId
    {
        get => _containerId;
        init => _containerId = value;
    }

    /// <summary>The container's details once it runs (from <see cref="IContainerizer.InspectAsync"/>); <see langword="null"/> before.</summary>
    /// <value>Set by the executor as the launch proceeds; hooks read it. The <c>init</c> accessor is for code that creates a context (hook tests).</value>
    public ContainerDetails? Container
    {
        get => _container;
        init => _container = value;
    }

    /// <summary>
    /// The latest status update the executor created for the task when the phase began
    /// (TASK_STARTING in the launch phases, TASK_RUNNING or TASK_KILLING later, the terminal update
    /// in <see cref="HookPhase.PostStop"/> after a launched container); <see langword="null"/> when unknown.
    /// </summary>
    public TaskStatus? Status
    {
        get => _status;
        init => _status = value;
    }

    /// <summary>The latest health verdict the executor reported; <see langword="null"/> before the first one or without a health check.</summary>
    public bool? Healthy
    {
        get => _healthy;
        init => _healthy = value;
    }

    /// <summary>The latest result of the task's generalized check; <see langword="null"/> without a check.</summary>
    public CheckStatusInfo? CheckStatus
    {
        get => _checkStatus;
        init => _checkStatus = value;
    }

    /// <summary>A logger for the hook.</summary>
    public ILogger Logger { get; }

    /// <summary>Records the created container (the executor's task flow, between pre-create and pre-run).</summary>
    internal void SetContainerId(string containerId) => _containerId = containerId;

    /// <summary>Records the running container's details (the executor's task flow, before post-run).</summary>
    internal void SetContainer(ContainerDetails container) => _container = container;

    /// <summary>Records the moment a phase sees: the latest status, health verdict and check result (the executor's task flow).</summary>
    internal void SetStatus(TaskStatus? status) => _status = status;

    /// <inheritdoc cref="SetStatus"/>
    internal void SetHealth(bool? healthy, CheckStatusInfo? checkStatus)
    {
        _healthy = healthy;
        _checkStatus = checkStatus;
    }
}
