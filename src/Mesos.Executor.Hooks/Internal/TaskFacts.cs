using System;
using System.Collections.Generic;
using System.IO;
using Mesos.Executor.Core;
using Mesos.V1;

namespace Mesos.Executor.Hooks.Internal;

/// <summary>Small readers shared by the hooks.</summary>
internal static class TaskFacts
{
    public static string TaskId(HookContext context) => context.Task.TaskId?.Value ?? string.Empty;

    /// <summary>The values of every label named <paramref name="name"/> on the task, or <see langword="null"/> when there is none.</summary>
    public static List<string>? LabelValues(TaskInfo task, string name)
    {
        List<string>? values = null;
        if (task.Labels is null)
        {
            return null;
        }

        foreach (Label label in task.Labels.Labels_)
        {
            if (string.Equals(label.Key, name, StringComparison.Ordinal))
            {
                (values ??= []).Add(label.HasValue ? label.Value : string.Empty);
            }
        }

        return values;
    }

    /// <summary>The identity of a namespace file (<c>net:[4026531840]</c>), or <see langword="null"/> when it is gone.</summary>
    public static string? NamespaceIdentity(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Docker parameters (<c>--key=value</c>) whose key, without leading dashes, is one of <paramref name="keys"/>.</summary>
    public static IEnumerable<Parameter> DockerParameters(ContainerInfo? container, params string[] keys)
    {
        if (container?.Docker is null)
        {
            yield break;
        }

        foreach (Parameter parameter in container.Docker.Parameters)
        {
            string key = parameter.Key.TrimStart('-');
            foreach (string wanted in keys)
            {
                if (string.Equals(key, wanted, StringComparison.Ordinal))
                {
                    yield return parameter;
                    break;
                }
            }
        }
    }

    /// <summary>
    /// The task's Docker settings, created when missing (container type DOCKER, no image: the
    /// containerizer's default applies) so that a pre-create hook can set them.
    /// </summary>
    public static ContainerInfo.Types.DockerInfo EnsureDocker(TaskInfo task)
    {
        task.Container ??= new ContainerInfo { Type = ContainerInfo.Types.Type.Docker };
        return task.Container.Docker ??= new ContainerInfo.Types.DockerInfo();
    }

    /// <summary>Removes the given parameters from the task's Docker settings.</summary>
    public static void RemoveParameters(ContainerInfo.Types.DockerInfo docker, IEnumerable<Parameter> parameters)
    {
        foreach (Parameter parameter in new List<Parameter>(parameters))
        {
            docker.Parameters.Remove(parameter);
        }
    }
}
