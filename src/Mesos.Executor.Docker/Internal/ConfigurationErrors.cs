using System.Collections.Generic;
using Mesos.Executor.Core;

namespace Mesos.Executor.Docker.Internal;

/// <summary>Collects every configuration problem and throws them together.</summary>
internal sealed class ConfigurationErrors
{
    private readonly List<string> _errors = [];
    private readonly string _subject;

    public ConfigurationErrors(string subject) => _subject = subject;

    public bool HasErrors => _errors.Count > 0;

    public void Add(string error) => _errors.Add(error);

    public void AddRange(IEnumerable<string> errors) => _errors.AddRange(errors);

    public IReadOnlyList<string> Errors => _errors;

    /// <exception cref="ExecutorConfigurationException">At least one error was added.</exception>
    public void ThrowIfAny()
    {
        if (_errors.Count == 0)
        {
            return;
        }

        throw new ExecutorConfigurationException(
            $"invalid {_subject}: {string.Join("; ", _errors)}");
    }
}
