using System;
using System.IO;
using System.Linq;
using Mesos.Executor.Fuzz;
using SharpFuzz;

// Usage (see benchmarks/fuzz/run.sh, which instruments the assemblies and runs AFL++):
//   Mesos.Executor.Fuzz <target>                 run <target> under afl-fuzz (SharpFuzz's fork server)
//   Mesos.Executor.Fuzz list                     the targets
//   Mesos.Executor.Fuzz seed <directory>         write every target's seeds to <directory>/<target>/
//   Mesos.Executor.Fuzz check <target> <file>... run files through <target>'s property check
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: Mesos.Executor.Fuzz <target> | list | seed <directory> | check <target> <file>...");
    return 2;
}

switch (args[0])
{
    case "list":
        foreach (FuzzTarget target in FuzzTargets.All)
        {
            Console.WriteLine($"{target.Name}\t{target.Description}");
        }

        return 0;
    case "seed":
        foreach (FuzzTarget target in FuzzTargets.All)
        {
            string directory = Path.Combine(args[1], target.Name);
            Directory.CreateDirectory(directory);
            foreach (var (name, data) in target.Seeds())
            {
                File.WriteAllBytes(Path.Combine(directory, name), data);
            }
        }

        return 0;
    case "check":
    {
        FuzzTarget target = FuzzTargets.Get(args[1]);
        target.Warm();
        int failures = 0;
        foreach (string file in args.Skip(2))
        {
            try
            {
                PropertyCheck.Check(target, File.ReadAllBytes(file));
                Console.WriteLine($"ok   {file}");
            }
            catch (FuzzPropertyException ex)
            {
                failures++;
                Console.WriteLine($"FAIL {file}: {ex.Message}");
                Console.WriteLine(ex.InnerException?.ToString());
            }
        }

        return failures == 0 ? 0 : 1;
    }

    default:
    {
        FuzzTarget target = FuzzTargets.Get(args[0]);
        bool warm = false;
        Fuzzer.Run(stream =>
        {
            // Instrumented code may run only inside Fuzzer.Run (it writes to AFL's shared map).
            if (!warm)
            {
                target.Warm();
                warm = true;
            }

            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            PropertyCheck.Check(target, buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        });
        return 0;
    }
}
