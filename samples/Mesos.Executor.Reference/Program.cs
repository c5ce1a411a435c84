using System;
using System.Threading.Tasks;
using Mesos.Executor.Reference.Configuration;
using Mesos.Executor.Reference.Demo;
using Mesos.Executor.Reference.Footprint;

namespace Mesos.Executor.Reference;

/// <summary>
/// <c>mesos-executor</c>: a Mesos executor for Docker tasks, a drop-in for Mesos's
/// <c>mesos-docker-executor</c>. <c>mesos-executor demo</c> runs it against an in-process fake
/// agent; <c>mesos-executor footprint</c> measures another copy of it (see benchmarks/footprint).
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "demo")
        {
            return await DemoCommand.RunAsync(args[1..], Console.Out);
        }

        if (args.Length > 0 && args[0] == "footprint")
        {
            return await FootprintCommand.RunAsync(args[1..], Console.Out);
        }

        using var stderr = Console.OpenStandardError();
        return await ExecutorHost.RunAsync(args, ConfigSources.FromProcess(), Console.Out, stderr);
    }
}
