namespace Mesos.Executor.Integration.Tests.Reference;

/// <summary>Files the executor's stdout and stderr are appended to, as the agent's default logger does.</summary>
/// <param name="StandardOutput">The stdout file.</param>
/// <param name="StandardError">The stderr file.</param>
internal sealed record ExecutorOutputFiles(string StandardOutput, string StandardError);
