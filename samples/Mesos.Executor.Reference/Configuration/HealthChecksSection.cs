namespace Mesos.Executor.Reference.Configuration;

/// <summary><c>health_checks</c>: whether the tasks' checks run.</summary>
internal sealed class HealthChecksSection
{
    /// <summary><c>health_checks.enabled</c>: run TaskInfo.health_check.</summary>
    public string? Enabled { get; set; }

    /// <summary><c>health_checks.checks_enabled</c>: run TaskInfo.check (generalized checks).</summary>
    public string? ChecksEnabled { get; set; }
}
