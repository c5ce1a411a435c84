using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Analysers;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Validators;

namespace Mesos.Executor.Benchmarks;

/// <summary>
/// Adds the benchmark process's CPU time per operation to the summary: <c>CPU/op</c> (every thread
/// of the process, user + system), and, when the benchmark serves its own loopback peer on threads
/// named <see cref="ServerThreadName"/>, <c>Server CPU/op</c> (those threads) and <c>Client CPU/op</c>
/// (the difference: what the executor's code and the runtime under it cost).
/// </summary>
/// <remarks>
/// <para>
/// The window is BenchmarkDotNet's actual workload stage (the <see cref="HostSignal.BeforeActualRun"/>
/// and <see cref="HostSignal.AfterActualRun"/> signals; the benchmark process waits for the host to
/// acknowledge each one, so the window is exact), divided by the operations of that stage. Pilot,
/// warm-up, overhead and jitting stages are outside it. Inside it are the two forced GCs per
/// iteration that BenchmarkDotNet itself runs (well under a millisecond each with these heaps) and
/// anything the thread pool does, including its worker threads' spin-waiting, as in a real executor.
/// </para>
/// <para>
/// Source: the on-CPU time (user + system, nanoseconds) of every thread of the process, from
/// <c>/proc/PID/task/TID/schedstat</c>, read by the host process between the two signals (so it
/// works with the default out-of-process toolchain and with <c>--inProcess</c>). Threads started
/// inside the window count from zero. Should a thread exit inside the window (it takes its time
/// with it), the process's own <c>utime + stime</c> of <c>/proc/PID/stat</c> is used instead, which
/// counts in clock ticks (10 ms; within 1-2 % over a short job's actual stage). The server threads'
/// share is the same per-thread time of every thread whose <c>comm</c> is <see cref="ServerThreadName"/>.
/// </para>
/// <para>
/// Loopback TCP does the receiving side's kernel work mostly on the sending thread, so the split
/// between client and server is approximate (each side carries some of the other's kernel cost);
/// <c>CPU/op</c>, which holds both, is the firm upper bound.
/// </para>
/// </remarks>
internal sealed class ProcessCpuDiagnoser : IDiagnoser
{
    /// <summary>The thread name (<c>/proc/…/comm</c>, at most 15 characters) of in-process servers whose CPU is counted apart.</summary>
    public const string ServerThreadName = "bench-server";

    public static readonly ProcessCpuDiagnoser Instance = new();

    private readonly Dictionary<BenchmarkCase, Sample> _before = [];
    private readonly Dictionary<BenchmarkCase, (double Process, double? Server)> _used = [];

    private ProcessCpuDiagnoser()
    {
    }

    public IEnumerable<string> Ids => [nameof(ProcessCpuDiagnoser)];

    public IEnumerable<IExporter> Exporters => [];

    public IEnumerable<IAnalyser> Analysers => [];

    public RunMode GetRunMode(BenchmarkCase benchmarkCase) => RunMode.NoOverhead;

    public void Handle(HostSignal signal, DiagnoserActionParameters parameters)
    {
        if (parameters.Process is not { } process)
        {
            return;
        }

        switch (signal)
        {
            case HostSignal.BeforeActualRun:
                _before[parameters.BenchmarkCase] = Sample.Of(process);
                break;
            case HostSignal.AfterActualRun when _before.Remove(parameters.BenchmarkCase, out Sample? before):
                _used[parameters.BenchmarkCase] = Sample.Of(process).Since(before);
                break;
        }
    }

    public IEnumerable<Metric> ProcessResults(DiagnoserResults results)
    {
        if (!_used.Remove(results.BenchmarkCase, out var used))
        {
            yield break;
        }

        long operations = results.Measurements
            .Where(m => m.IterationMode == IterationMode.Workload && m.IterationStage == IterationStage.Actual)
            .Sum(m => m.Operations);
        if (operations == 0)
        {
            yield break;
        }

        yield return new Metric(CpuDescriptor.Process, used.Process / operations);
        if (used.Server is { } server)
        {
            yield return new Metric(CpuDescriptor.Server, server / operations);
            yield return new Metric(CpuDescriptor.Client, (used.Process - server) / operations);
        }
    }

    public void DisplayResults(ILogger logger)
    {
    }

    public IEnumerable<ValidationError> Validate(ValidationParameters validationParameters)
    {
        if (!OperatingSystem.IsLinux())
        {
            yield return new ValidationError(true, $"{nameof(ProcessCpuDiagnoser)} reads /proc and needs Linux.");
        }
    }

    /// <summary>The process's and its server threads' CPU time at one moment.</summary>
    /// <param name="Threads">Every live thread's on-CPU time, in nanoseconds, by thread id.</param>
    /// <param name="ServerThreads">The ids of the threads named <see cref="ServerThreadName"/>.</param>
    /// <param name="ProcessTicksNanoseconds">The process's <c>utime + stime</c> (dead threads included), in nanoseconds, at tick resolution.</param>
    private sealed record Sample(Dictionary<int, long> Threads, HashSet<int> ServerThreads, double ProcessTicksNanoseconds)
    {
        public static Sample Of(Process process)
        {
            var threads = new Dictionary<int, long>();
            var server = new HashSet<int>();
            foreach (string task in Directory.EnumerateDirectories($"/proc/{process.Id}/task"))
            {
                try
                {
                    int id = int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture);

                    // schedstat: "<on-CPU ns> <run-queue wait ns> <time slices>".
                    string schedstat = File.ReadAllText(Path.Combine(task, "schedstat"));
                    threads[id] = long.Parse(schedstat.AsSpan(0, schedstat.IndexOf(' ', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
                    if (File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n') == ServerThreadName)
                    {
                        server.Add(id);
                    }
                }
                catch (IOException)
                {
                    // The thread exited while we looked.
                }
            }

            process.Refresh();
            return new Sample(threads, server, process.TotalProcessorTime.Ticks * 100.0);
        }

        /// <summary>The CPU used since <paramref name="before"/>: the process's, and its server threads' (<see langword="null"/> when it has none).</summary>
        public (double Process, double? Server) Since(Sample before)
        {
            double process = Threads.Sum(t => t.Value - before.Threads.GetValueOrDefault(t.Key));
            if (before.Threads.Keys.Any(id => !Threads.ContainsKey(id)))
            {
                // A thread exited inside the window and took its time with it: fall back to the
                // process's own total, which keeps dead threads' time but counts in clock ticks.
                process = ProcessTicksNanoseconds - before.ProcessTicksNanoseconds;
            }

            double? server = ServerThreads.Count == 0
                ? null
                : ServerThreads.Sum(id => Threads[id] - before.Threads.GetValueOrDefault(id));
            return (process, server);
        }
    }

    private sealed class CpuDescriptor(string id, string displayName, string legend, int priority) : IMetricDescriptor
    {
        public static readonly CpuDescriptor Process = new(
            "ProcessCpuPerOp", "CPU/op", "Process CPU time (user + system, all threads) per operation over the actual iterations; includes any in-process server", 0);

        public static readonly CpuDescriptor Client = new(
            "ClientCpuPerOp", "Client CPU/op", "CPU/op minus the in-process server threads' on-CPU time: the code under test and the runtime under it", 1);

        public static readonly CpuDescriptor Server = new(
            "ServerCpuPerOp", "Server CPU/op", $"On-CPU time per operation of the in-process server threads ('{ServerThreadName}')", 2);

        public string Id => id;

        public string DisplayName => displayName;

        public string Legend => legend;

        public string NumberFormat => "N1";

        public UnitType UnitType => UnitType.Time;

        public string Unit => "ns";

        public bool TheGreaterTheBetter => false;

        public int PriorityInCategory => priority;

        public bool GetIsAvailable(Metric metric) => true;
    }
}
