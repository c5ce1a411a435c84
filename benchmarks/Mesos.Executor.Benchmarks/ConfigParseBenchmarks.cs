using System;
using System.IO;
using BenchmarkDotNet.Attributes;
using Mesos.Executor.Reference.Configuration;

namespace Mesos.Executor.Benchmarks;

/// <summary>
/// Reading the repository's <c>config.yaml</c> (every key, with its comments) into the document,
/// as the reference executor does once at start-up (<see cref="ConfigLoader.Parse"/>).
/// </summary>
/// <remarks>
/// Steady state, after the JIT: the NativeAOT executor pays it once, cold, which costs more (its
/// whole start-up is in README "Footprint").
/// </remarks>
[MemoryDiagnoser]
public class ConfigParseBenchmarks
{
    private string _yaml = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory != null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Mesos.Executor.slnx")))
            {
                _yaml = File.ReadAllText(Path.Combine(directory.FullName, "config.yaml"));
                return;
            }
        }

        throw new FileNotFoundException("repository root (Mesos.Executor.slnx) not found above " + AppContext.BaseDirectory);
    }

    [Benchmark]
    public object Parse_ExampleConfig() => ConfigLoader.Parse(_yaml);
}
