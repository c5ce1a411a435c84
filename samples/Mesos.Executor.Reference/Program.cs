using System;

namespace Mesos.Executor.Reference;

internal static class Program
{
    private static int Main(string[] args)
    {
        Console.Error.WriteLine("mesos-executor: not implemented yet");
        return args.Length == 0 ? 1 : 1;
    }
}
