namespace Mesos.Executor.Reference.Configuration;

/// <summary><c>logging</c>: where and how much the executor logs.</summary>
internal sealed class LoggingSection
{
    /// <summary><c>logging.level</c>: trace, debug, info, warning, error, critical or none.</summary>
    public string? Level { get; set; }

    /// <summary><c>logging.format</c>: text or json.</summary>
    public string? Format { get; set; }
}
