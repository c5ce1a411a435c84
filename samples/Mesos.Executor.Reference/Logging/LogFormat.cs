namespace Mesos.Executor.Reference.Logging;

/// <summary>How log lines look.</summary>
internal enum LogFormat
{
    /// <summary><c>2026-11-25T01:02:03.456Z INFO  [category] message {TaskId=t1}</c>.</summary>
    Text,

    /// <summary>One JSON object per line.</summary>
    Json,
}
