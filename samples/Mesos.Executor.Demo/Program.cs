using System;
using System.Threading.Tasks;
using Mesos.Executor.Demo.Footprint;

namespace Mesos.Executor.Demo;

/// <summary>
/// <c>mesos-executor-demo</c>: <c>demo</c> runs the reference executor (in this process) against an
/// in-process fake agent and the real Docker engine; <c>footprint</c> measures an executor binary
/// the way a Mesos agent runs it (see benchmarks/footprint). The executor installed on agents,
/// <c>mesos-executor</c>, carries neither mode nor the fake agent.
/// </summary>
internal static class Program
{
    private const string Usage = "usage: mesos-executor-demo demo [options] | mesos-executor-demo footprint --executor PATH [options] (--help for each)";

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

        await Console.Error.WriteLineAsync(Usage);
        return args.Length == 0 || args[0] is "--help" or "-h" ? 0 : 2;
    }
}
