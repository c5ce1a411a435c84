using System.Collections.Generic;
using Mesos.Executor.Core;

namespace Mesos.Executor.Hooks.Internal;

/// <summary>Collects every problem of one options object and throws them together.</summary>
internal sealed class OptionErrors
{
    private readonly string _hookName;
    private readonly List<string> _errors = [];

    public OptionErrors(string hookName) => _hookName = hookName;

    public void Add(string error) => _errors.Add(error);

    /// <summary>Requires a non-empty list entry for each item of <paramref name="values"/>.</summary>
    public void RequireEntries(string key, IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            Add($"{key} must not be null");
            return;
        }

        for (int i = 0; i < values.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(values[i]))
            {
                Add($"{key}[{i}] is empty");
            }
        }
    }

    /// <exception cref="ExecutorConfigurationException">Any error was added.</exception>
    public void ThrowIfAny()
    {
        if (_errors.Count > 0)
        {
            throw new ExecutorConfigurationException($"invalid options for hook '{_hookName}': {string.Join("; ", _errors)}");
        }
    }
}
