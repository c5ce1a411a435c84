using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using Mesos.Executor.TestSupport;
using NUnit.Framework;

namespace Mesos.Executor.Integration.Tests.Footprint;

/// <summary>
/// The code layout of the published executor (issue 13): the methods recorded in
/// <c>samples/Mesos.Executor.Reference/hot-methods.txt</c> by <c>benchmarks/footprint/layout/record.sh</c>
/// come first in its managed code, and the record still names the methods of the binary. Read from
/// the symbols of <c>artifacts/executor/mesos-executor.dbg</c> with binutils (<c>nm</c>, <c>readelf</c>),
/// which NativeAOT needs anyway.
/// </summary>
[TestFixture]
public sealed class CodeLayoutTests
{
    // Renamed or removed methods drop out of the record as the code changes; below this share it
    // no longer describes the executor and should be recorded again.
    private const double MinimumPresentShare = 0.9;

    [Test]
    public void PublishedExecutor_RecordedMethods_ComeFirstInTheManagedCode()
    {
        string root = RepositoryRoot();
        string dbg = Path.Join(root, "artifacts", "executor", "mesos-executor.dbg");
        if (!File.Exists(dbg))
        {
            string problem = $"no published executor symbols at {dbg} (run ./build.sh --target=Publish)";
            if (DockerTestEnvironment.IsCI)
            {
                Assert.Fail(problem);
            }

            Assert.Ignore(problem);
        }

        HashSet<string> recorded = File.ReadLines(Path.Join(root, "samples", "Mesos.Executor.Reference", "hot-methods.txt"))
            .Where(line => line.Length > 0 && line[0] != '#')
            .ToHashSet(StringComparer.Ordinal);
        (ulong start, ulong size) = Section(dbg, "__managedcode");
        List<(ulong Address, string Name)> symbols = CodeSymbols(dbg);
        List<(ulong Address, string Name)> methods = symbols.Where(s => s.Address >= start && s.Address < start + size).ToList();

        int present = symbols.Select(s => s.Name).Where(recorded.Contains).Distinct(StringComparer.Ordinal).Count();
        Assert.That(present, Is.GreaterThanOrEqualTo((int)(recorded.Count * MinimumPresentShare)),
            $"{present} of the {recorded.Count} recorded methods are in the binary: run benchmarks/footprint/layout/record.sh");

        ulong recordedEnd = methods.Where(m => recorded.Contains(m.Name)).Max(m => m.Address);
        List<string> misplaced = methods.Where(m => m.Address < recordedEnd && !recorded.Contains(m.Name)).Select(m => m.Name).Take(5).ToList();
        Assert.That(misplaced, Is.Empty, "methods that were not recorded lie among the recorded ones: the order file (IlcOrderFile) was not applied");
        Assert.That(recordedEnd - start, Is.LessThan(size / 2), "the recorded methods are the hot part of the code, not most of it");
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory != null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Mesos.Executor.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("no Mesos.Executor.slnx above " + AppContext.BaseDirectory);
    }

    private static (ulong Start, ulong Size) Section(string file, string name)
    {
        // "  [18] __managedcode     NOBITS          000000000050e060 001000 502453 00  AX  0   0 32"
        foreach (string line in Run("readelf", "-SW", file))
        {
            string[] parts = line.Replace("[ ", "[", StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length > 6 && parts[1] == name)
            {
                return (ulong.Parse(parts[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture), ulong.Parse(parts[5], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            }
        }

        throw new InvalidOperationException($"{file} has no section {name}");
    }

    private static List<(ulong Address, string Name)> CodeSymbols(string file)
    {
        // "000000000057e6e0 0000000000000120 t Mesos_Executor_Core_..." (sized code symbols only)
        var symbols = new List<(ulong, string)>();
        foreach (string line in Run("nm", "-S", "--defined-only", file))
        {
            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 4 && parts[2] is "t" or "T")
            {
                symbols.Add((ulong.Parse(parts[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture), parts[3]));
            }
        }

        return symbols;
    }

    private static List<string> Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        var lines = new List<string>();
        while (process.StandardOutput.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, $"{program} {string.Join(' ', arguments)}");
        return lines;
    }
}
