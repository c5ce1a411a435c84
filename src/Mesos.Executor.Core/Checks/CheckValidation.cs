using System;
using System.Globalization;
using Mesos.V1;

namespace Mesos.Executor.Core.Checks;

/// <summary>
/// Validates a task's <c>health_check</c> and <c>check</c> before launch, with the rules of Mesos's
/// agent (src/common/validation.cpp: validateHealthCheck, validateCheckInfo) plus the limits our
/// runner needs (finite durations, ports in 1..65535).
/// </summary>
internal static class CheckValidation
{
    /// <summary>Durations beyond this cannot be timed (about 49 days is the timer limit; we allow far more by chunking, but not infinity).</summary>
    private static readonly double MaxSeconds = TimeSpan.MaxValue.TotalSeconds / 2;

    /// <summary>Validates <paramref name="task"/>'s health check and check.</summary>
    /// <param name="task">The task to launch.</param>
    /// <returns><see langword="null"/> when valid; otherwise a message naming the offending field.</returns>
    public static string? Validate(TaskInfo task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return (task.HealthCheck is { } healthCheck ? ValidateHealthCheck(healthCheck) : null)
            ?? (task.Check is { } check ? ValidateCheck(check) : null);
    }

    private static string? ValidateHealthCheck(HealthCheck check)
    {
        const string Prefix = "health_check";
        if (!check.HasType)
        {
            return $"{Prefix}.type is required";
        }

        string? error;
        switch (check.Type)
        {
            case HealthCheck.Types.Type.Command:
                if (check.Command == null)
                {
                    return $"{Prefix}.command is required for a COMMAND health check";
                }

                error = ValidateCommand(check.Command, $"{Prefix}.command");
                break;
            case HealthCheck.Types.Type.Http:
                if (check.Http == null)
                {
                    return $"{Prefix}.http is required for an HTTP health check";
                }

                if (check.Http.HasScheme && check.Http.Scheme is not ("http" or "https"))
                {
                    return $"{Prefix}.http.scheme must be 'http' or 'https', not '{check.Http.Scheme}'";
                }

                error = ValidatePath(check.Http.HasPath, check.Http.Path, $"{Prefix}.http.path")
                    ?? ValidatePort(check.Http.HasPort, check.Http.Port, $"{Prefix}.http.port");
                break;
            case HealthCheck.Types.Type.Tcp:
                if (check.Tcp == null)
                {
                    return $"{Prefix}.tcp is required for a TCP health check";
                }

                error = ValidatePort(check.Tcp.HasPort, check.Tcp.Port, $"{Prefix}.tcp.port");
                break;
            default:
                return $"{Prefix}.type {check.Type} is not a valid health check type";
        }

        return error
            ?? ValidateSeconds(check.HasDelaySeconds, check.DelaySeconds, $"{Prefix}.delay_seconds")
            ?? ValidateSeconds(check.HasIntervalSeconds, check.IntervalSeconds, $"{Prefix}.interval_seconds")
            ?? ValidateSeconds(check.HasTimeoutSeconds, check.TimeoutSeconds, $"{Prefix}.timeout_seconds")
            ?? ValidateSeconds(check.HasGracePeriodSeconds, check.GracePeriodSeconds, $"{Prefix}.grace_period_seconds");
    }

    private static string? ValidateCheck(CheckInfo check)
    {
        const string Prefix = "check";
        if (!check.HasType)
        {
            return $"{Prefix}.type is required";
        }

        string? error;
        switch (check.Type)
        {
            case CheckInfo.Types.Type.Command:
                if (check.Command == null)
                {
                    return $"{Prefix}.command is required for a COMMAND check";
                }

                if (check.Command.Command_ == null)
                {
                    return $"{Prefix}.command.command is required for a COMMAND check";
                }

                error = ValidateCommand(check.Command.Command_, $"{Prefix}.command.command");
                break;
            case CheckInfo.Types.Type.Http:
                if (check.Http == null)
                {
                    return $"{Prefix}.http is required for an HTTP check";
                }

                error = ValidatePath(check.Http.HasPath, check.Http.Path, $"{Prefix}.http.path")
                    ?? ValidatePort(check.Http.HasPort, check.Http.Port, $"{Prefix}.http.port");
                break;
            case CheckInfo.Types.Type.Tcp:
                if (check.Tcp == null)
                {
                    return $"{Prefix}.tcp is required for a TCP check";
                }

                error = ValidatePort(check.Tcp.HasPort, check.Tcp.Port, $"{Prefix}.tcp.port");
                break;
            default:
                return $"{Prefix}.type {check.Type} is not a valid check type";
        }

        return error
            ?? ValidateSeconds(check.HasDelaySeconds, check.DelaySeconds, $"{Prefix}.delay_seconds")
            ?? ValidateSeconds(check.HasIntervalSeconds, check.IntervalSeconds, $"{Prefix}.interval_seconds")
            ?? ValidateSeconds(check.HasTimeoutSeconds, check.TimeoutSeconds, $"{Prefix}.timeout_seconds");
    }

    private static string? ValidateCommand(CommandInfo command, string field)
    {
        if (!command.HasValue)
        {
            return command.Shell
                ? $"{field}.value is required (the shell command)"
                : $"{field}.value is required (the executable path)";
        }

        if (command.Environment == null)
        {
            return null;
        }

        for (int i = 0; i < command.Environment.Variables.Count; i++)
        {
            var variable = command.Environment.Variables[i];
            string name = string.Create(CultureInfo.InvariantCulture, $"{field}.environment.variables[{i}]");
            switch (variable.Type)
            {
                case Mesos.V1.Environment.Types.Variable.Types.Type.Value:
                    if (!variable.HasValue)
                    {
                        return $"{name}.value is required for a VALUE variable";
                    }

                    if (variable.Secret != null)
                    {
                        return $"{name}.secret must not be set for a VALUE variable";
                    }

                    break;
                case Mesos.V1.Environment.Types.Variable.Types.Type.Secret:
                    if (variable.Secret == null)
                    {
                        return $"{name}.secret is required for a SECRET variable";
                    }

                    if (variable.HasValue)
                    {
                        return $"{name}.value must not be set for a SECRET variable";
                    }

                    break;
                default:
                    return $"{name}.type {variable.Type} is not a valid variable type";
            }
        }

        return null;
    }

    private static string? ValidatePath(bool hasPath, string path, string field) =>
        hasPath && !path.StartsWith('/') ? $"{field} must start with '/'" : null;

    private static string? ValidatePort(bool hasPort, uint port, string field) =>
        !hasPort ? $"{field} is required"
        : port is 0 or > 65535 ? string.Create(CultureInfo.InvariantCulture, $"{field} must be between 1 and 65535, not {port}")
        : null;

    private static string? ValidateSeconds(bool has, double seconds, string field) =>
        has && !(seconds >= 0 && seconds <= MaxSeconds)
            ? string.Create(CultureInfo.InvariantCulture, $"{field} must be a non-negative, finite number of seconds, not {seconds}")
            : null;
}
