using System;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.Executor.Hooks.Internal;

namespace Mesos.Executor.Hooks;

/// <summary>
/// <c>remove-container</c>: after the container stopped, removes it with its anonymous volumes
/// (<see cref="IContainerRemover.RemoveAsync"/>). Without it stopped containers stay on the host for
/// inspection. Nothing happens when no container was created.
/// </summary>
public sealed class RemoveContainerHook : IHook
{
    private readonly RemoveContainerHookOptions _options;

    /// <summary>Creates the hook.</summary>
    /// <param name="options">Its options; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ExecutorConfigurationException">The options are invalid.</exception>
    public RemoveContainerHook(RemoveContainerHookOptions? options = null)
    {
        _options = options ?? new RemoveContainerHookOptions();
        _options.Validate();
    }

    /// <inheritdoc />
    public string Name => HookNames.RemoveContainer;

    /// <inheritdoc />
    public int Priority => _options.Priority;

    /// <inheritdoc />
    /// <exception cref="HookFailedException">The containerizer could not remove the container, or it does not implement <see cref="IContainerRemover"/>.</exception>
    public async Task PostStopAsync(HookContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        string? containerId = context.ContainerId;
        if (string.IsNullOrEmpty(containerId))
        {
            return;
        }

        if (context.Containerizer is not IContainerRemover remover)
        {
            // A post-stop failure is logged and cleanup continues (HookFailedException is collected).
            throw new HookFailedException(
                Name,
                HookPhase.PostStop,
                $"could not remove container {ShortId(containerId)}: the containerizer ({context.Containerizer.GetType().Name}) cannot remove containers: it does not implement {nameof(IContainerRemover)}");
        }

        try
        {
            await remover.RemoveAsync(containerId, cancellationToken).ConfigureAwait(false);
        }
        catch (ContainerizerException ex)
        {
            throw new HookFailedException(Name, HookPhase.PostStop, $"could not remove container {ShortId(containerId)}: {ex.Message}", ex);
        }

        context.Logger.ContainerRemoved(context.Task.TaskId?.Value ?? string.Empty, ShortId(containerId));
    }

    internal static string ShortId(string containerId) => containerId.Length > 12 ? containerId[..12] : containerId;
}
