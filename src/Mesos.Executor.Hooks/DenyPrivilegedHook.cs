using System;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.Executor.Hooks.Internal;
using Mesos.V1;

namespace Mesos.Executor.Hooks;

/// <summary>
/// <c>deny-privileged</c>: fails tasks asking for a privileged container, unless their framework
/// is allowed (<see cref="DenyPrivilegedHookOptions.AllowedFrameworks"/>, by name or id).
/// </summary>
/// <remarks>
/// A container is privileged when <c>container.docker.privileged</c> is true, or when a Docker
/// parameter <c>privileged</c> is given with any value other than a false one (<c>false</c>,
/// <c>0</c>, <c>f</c>, in any case), as the docker CLI reads it. Runs before the container is
/// created (pre-create), so nothing is started.
/// </remarks>
public sealed class DenyPrivilegedHook : IHook
{
    private readonly DenyPrivilegedHookOptions _options;

    /// <summary>Creates the hook.</summary>
    /// <param name="options">Its options; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ExecutorConfigurationException">The options are invalid.</exception>
    public DenyPrivilegedHook(DenyPrivilegedHookOptions? options = null)
    {
        _options = options ?? new DenyPrivilegedHookOptions();
        _options.Validate();
    }

    /// <inheritdoc />
    public string Name => HookNames.DenyPrivileged;

    /// <inheritdoc />
    public int Priority => _options.Priority;

    /// <inheritdoc />
    /// <exception cref="HookFailedException">The container is privileged and the framework is not allowed.</exception>
    public Task PreCreateAsync(HookContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        cancellationToken.ThrowIfCancellationRequested();
        ContainerInfo? container = context.Spec.Task.Container;
        bool privileged = container?.Docker is { HasPrivileged: true, Privileged: true };
        foreach (Parameter parameter in TaskFacts.DockerParameters(container, "privileged"))
        {
            privileged |= !IsFalse(parameter.Value);
        }

        if (!privileged)
        {
            return Task.CompletedTask;
        }

        string frameworkName = context.Framework.Name ?? string.Empty;
        string frameworkId = context.Framework.Id?.Value ?? string.Empty;
        foreach (string allowed in _options.AllowedFrameworks)
        {
            if (string.Equals(allowed, frameworkName, StringComparison.Ordinal)
                || (frameworkId.Length > 0 && string.Equals(allowed, frameworkId, StringComparison.Ordinal)))
            {
                context.Logger.PrivilegedAllowed(TaskFacts.TaskId(context), frameworkName);
                return Task.CompletedTask;
            }
        }

        throw new HookFailedException(
            Name,
            HookPhase.PreCreate,
            $"privileged containers are not allowed for framework '{frameworkName}' ({frameworkId}); allow it in allowed_frameworks or drop 'privileged'");
    }

    private static bool IsFalse(string? value) =>
        value?.Trim().ToUpperInvariant() is "FALSE" or "0" or "F";
}
