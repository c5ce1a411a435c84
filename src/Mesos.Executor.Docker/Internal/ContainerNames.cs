using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.Extensions.Logging;

namespace Mesos.Executor.Docker.Internal;

/// <summary>
/// Allocates container names: the spec's name; else <c>--container</c> (the name the agent gave the
/// executor's container) for the first task and names the agent still recognises as that container's
/// for later ones; else a fresh <c>mesos-&lt;uuid&gt;</c>. A name is held until its creation fails.
/// Thread-safe.
/// </summary>
internal sealed class ContainerNames
{
    private const string MesosPrefix = "mesos-";

    private readonly string? _configured;
    private readonly ILogger _logger;
    private readonly Func<Guid> _newGuid;
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private int _derived;

    /// <param name="configured">The agent's <c>--container</c> name, if any.</param>
    /// <param name="logger">Where a taken <paramref name="configured"/> name is logged.</param>
    /// <param name="newGuid">The source of fresh names' UUIDs (<see cref="Guid.NewGuid"/>).</param>
    public ContainerNames(string? configured, ILogger logger, Func<Guid>? newGuid = null)
    {
        _configured = configured;
        _logger = logger;
        _newGuid = newGuid ?? Guid.NewGuid;
    }

    /// <summary>A name for the task <paramref name="taskId"/>'s container.</summary>
    /// <param name="requested">The spec's name (<see cref="Core.ContainerSpec.ContainerName"/>), which wins.</param>
    /// <param name="taskId">The task, for the log.</param>
    public string Allocate(string? requested, string taskId)
    {
        lock (_lock)
        {
            string name;
            if (requested is { Length: > 0 })
            {
                name = requested;
            }
            else if (_configured is { } configured)
            {
                if (_names.Contains(configured))
                {
                    name = DerivedName(configured, ++_derived);
                    Log.ContainerNameTaken(_logger, configured, taskId, name);
                }
                else
                {
                    name = configured;
                }
            }
            else
            {
                name = MesosPrefix + _newGuid().ToString("D");
            }

            _names.Add(name);
            return name;
        }
    }

    /// <summary>Gives <paramref name="name"/> back: no container has it (its creation failed), so the next task may.</summary>
    public void Release(string name)
    {
        lock (_lock)
        {
            _names.Remove(name);
        }
    }

    /// <summary>
    /// A name for the <paramref name="index"/>-th extra task of an executor whose first container is
    /// <paramref name="name"/>. For <c>mesos-&lt;ContainerID&gt;</c> it is
    /// <c>mesos-&lt;index&gt;.&lt;ContainerID&gt;.task</c>: the agent's recovery parses
    /// <c>mesos-&lt;a&gt;.&lt;ContainerID&gt;.&lt;b&gt;</c> as belonging to that container, so it does not kill it
    /// as an orphan. Other names get <c>-&lt;index&gt;</c>.
    /// </summary>
    internal static string DerivedName(string name, int index)
    {
        if (name.StartsWith(MesosPrefix, StringComparison.Ordinal) && !name.Contains('.', StringComparison.Ordinal))
        {
            return $"{MesosPrefix}{index}.{name[MesosPrefix.Length..]}.task";
        }

        return $"{name}-{index}";
    }
}
