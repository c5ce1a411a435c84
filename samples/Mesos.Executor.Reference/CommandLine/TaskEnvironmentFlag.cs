using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using Mesos.Executor.Core;

namespace Mesos.Executor.Reference.CommandLine;

/// <summary>
/// Reads the agent's <c>--task_environment</c> flag: the variables Mesos's Docker containerizer
/// wants in every task's environment. The result becomes
/// <see cref="Docker.DockerContainerizerOptions.TaskEnvironment"/>; the flag's format is the
/// agent's, so reading it is the reference executor's job, not the Docker package's (issue 12).
/// </summary>
internal static class TaskEnvironmentFlag
{
    /// <summary>
    /// Parses the agent's <c>--task_environment</c> value: a JSON object whose values are strings,
    /// such as <c>{"MESOS_ALLOCATION_ROLE":"web"}</c>.
    /// </summary>
    /// <param name="json">The flag's value.</param>
    /// <returns>The variables, in the order given.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is <see langword="null"/>.</exception>
    /// <exception cref="ExecutorConfigurationException">The value is not such an object, or a name is empty or contains <c>=</c>; the message lists every problem.</exception>
    public static IReadOnlyDictionary<string, string> ParseTaskEnvironment(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var errors = new List<string>();
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors.Add("the value must be a JSON object of strings");
            }
            else
            {
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    if (property.Value.ValueKind != JsonValueKind.String)
                    {
                        errors.Add($"the value of '{property.Name}' must be a string");
                    }
                    else if (string.IsNullOrEmpty(property.Name))
                    {
                        errors.Add("an environment variable has an empty name");
                    }
                    else if (property.Name.Contains('=', StringComparison.Ordinal))
                    {
                        errors.Add(string.Create(CultureInfo.InvariantCulture, $"environment variable name '{property.Name}' contains '='"));
                    }
                    else
                    {
                        result[property.Name] = property.Value.GetString()!;
                    }
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a name or value with an escaped lone surrogate ("\ud800"),
            // which JsonDocument accepts and only reading the string refuses (found by fuzzing).
            throw new ExecutorConfigurationException($"invalid task environment (--task_environment): not JSON: {ex.Message}", ex);
        }

        if (errors.Count > 0)
        {
            throw new ExecutorConfigurationException($"invalid task environment (--task_environment): {string.Join("; ", errors)}");
        }

        return result;
    }
}
