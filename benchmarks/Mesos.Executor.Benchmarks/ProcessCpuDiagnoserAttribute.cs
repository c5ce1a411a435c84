using System;
using BenchmarkDotNet.Configs;

namespace Mesos.Executor.Benchmarks;

/// <summary>Adds <see cref="ProcessCpuDiagnoser"/> (<c>CPU/op</c> columns) to a benchmark class.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Assembly)]
internal sealed class ProcessCpuDiagnoserAttribute : Attribute, IConfigSource
{
    public IConfig Config { get; } = ManualConfig.CreateEmpty().AddDiagnoser(ProcessCpuDiagnoser.Instance);
}
