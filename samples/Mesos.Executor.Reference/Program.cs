using System;
using System.Threading.Tasks;
using Mesos.Executor.Reference.Configuration;

namespace Mesos.Executor.Reference;

/// <summary>
/// <c>mesos-executor</c>: a Mesos executor for Docker tasks, a drop-in for Mesos's
/// <c>mesos-docker-executor</c>. Its demo and the footprint harness live in
/// <c>mesos-executor-demo</c> (samples/Mesos.Executor.Demo), so this binary holds no test code.
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        using var stderr = Console.OpenStandardError();
        return await ExecutorHost.RunAsync(args, ConfigSources.FromProcess(), Console.Out, stderr);
    }
}
