using Mesos.Executor.Core;
using Mesos.V1;

namespace Mesos.Executor.Custom;

/// <summary>The composition, shared by <c>Main</c> and the tests (which add their own environment).</summary>
public static class CustomExecutor
{
    /// <summary>The label every status update of this executor carries (see <see cref="MesosExecutorBuilder.ConfigureStatus"/>).</summary>
    public const string ExecutorLabel = "mesos-executor-custom";

    /// <summary>
    /// Core + our containerizer (owned: the executor disposes it) + our hook, and a label on every
    /// status update. Without <c>UseEnvironment</c>, <c>Build</c> reads the process's MESOS_* variables.
    /// </summary>
    /// <returns>The builder, ready to <c>Build</c>.</returns>
    public static MesosExecutorBuilder CreateBuilder() =>
        MesosExecutor.CreateBuilder()
            .UseContainerizer(new ProcessContainerizer(), ownsContainerizer: true)
            .AddHook(new TaskInfoEnvironmentHook())
            .ConfigureStatus(static status => status.Labels.Add(new Label { Key = "executor", Value = ExecutorLabel }));
}
