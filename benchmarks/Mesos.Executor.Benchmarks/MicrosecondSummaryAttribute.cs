using System;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using Perfolizer.Horology;

namespace Mesos.Executor.Benchmarks;

/// <summary>Prints a class's times in microseconds, whatever its fastest benchmark.</summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class MicrosecondSummaryAttribute : Attribute, IConfigSource
{
    public IConfig Config { get; } = ManualConfig.CreateEmpty().WithSummaryStyle(SummaryStyle.Default.WithTimeUnit(TimeUnit.Microsecond));
}
