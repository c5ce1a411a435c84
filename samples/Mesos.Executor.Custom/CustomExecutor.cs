using Mesos.Executor.Core;

namespace Mesos.Executor.Custom;

/// <summary>The composition, shared by <c>Main</c> and the tests (which add their own environment).</summary>
public static class CustomExecutor
{
    /// <summary>Core + our containerizer + our hook. Without <c>UseEnvironment</c>, <c>Build</c> reads the process's MESOS_* variables.</summary>
    /// <returns>The builder, ready to <c>Build</c>.</returns>
    public static MesosExecutorBuilder CreateBuilder() =>
        MesosExecutor.CreateBuilder()
            .UseContainerizer(new ProcessContainerizer())
            .AddHook(new TaskInfoEnvironmentHook());
}
