using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;

namespace Mesos.Executor.Custom;

/// <summary>
/// A complete custom executor in a dozen lines: Core reads the agent's MESOS_* environment,
/// subscribes, and drives the tasks; <see cref="ProcessContainerizer"/> runs them as local
/// processes; <see cref="TaskInfoEnvironmentHook"/> adds two variables to each. SIGTERM or Ctrl-C
/// shuts it down gracefully.
/// </summary>
internal static class Program
{
    private static async Task<int> Main()
    {
        using var shutdown = new CancellationTokenSource();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; shutdown.Cancel(); });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; shutdown.Cancel(); });

        try
        {
            await using MesosExecutor executor = CustomExecutor.CreateBuilder().Build();
            return await executor.RunAsync(shutdown.Token);
        }
        catch (ExecutorConfigurationException ex)
        {
            await System.Console.Error.WriteLineAsync(ex.Message);
            return ExecutorExitCodes.ConfigurationError;
        }
    }
}
