using System.Collections.Generic;

namespace Mesos.Executor.Reference.Configuration;

// The YAML document, as written (snake_case keys). Scalars stay strings here so that
// ConfigResolver can name the key in every error and so that environment variables (strings) map
// onto the same shape. Filled by ConfigYamlReader straight from the YAML parser's events: no
// reflection and no deserializer machinery (the executor ships as NativeAOT).

/// <summary>The root of <c>config.yaml</c>.</summary>
internal sealed class ConfigDocument
{
    /// <summary><c>logging</c>.</summary>
    public LoggingSection? Logging { get; set; }

    /// <summary><c>docker</c>.</summary>
    public DockerSection? Docker { get; set; }

    /// <summary><c>hooks</c>.</summary>
    public HooksSection? Hooks { get; set; }

    /// <summary><c>health_checks</c>.</summary>
    public HealthChecksSection? HealthChecks { get; set; }

    /// <summary><c>timeouts</c>.</summary>
    public TimeoutsSection? Timeouts { get; set; }

    /// <summary><c>memory</c>.</summary>
    public MemorySection? Memory { get; set; }

    // Keys that MESOS_EXECUTOR_* environment variables may set (operator opt-in; none by default).
    public List<string>? EnvironmentOverrides { get; set; }
}
