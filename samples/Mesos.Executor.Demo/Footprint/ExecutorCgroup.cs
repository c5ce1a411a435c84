using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Mesos.Executor.Demo.Footprint;

/// <summary>
/// The cgroup v1 group of one measured executor (one directory per controller hierarchy, named
/// <c>&lt;run-id&gt;-&lt;n&gt;</c>). The process enters it before it executes its first instruction
/// (<see cref="MeasuredExecutor"/> starts it through a shell that writes its own pid into
/// <see cref="ProcsFiles"/> and then execs the executor), so <c>cpuacct.usage</c> holds all of its
/// CPU: in nanoseconds, of every thread, exited ones included, with no clock tick. With
/// <see cref="Limits"/> the group also gets the budget the Mesos containerizer gives a custom
/// executor's own resources (0.1 CPU as a CFS quota, 32 MB).
/// </summary>
internal sealed class ExecutorCgroup
{
    /// <summary>The CFS period the Mesos cgroups isolator sets (<c>cpu.cfs_period_us</c>, 100 ms).</summary>
    public const long CfsPeriodMicroseconds = 100_000;

    /// <summary>The quota of 0.1 CPU per period (<c>cpu.cfs_quota_us</c>).</summary>
    public const long CfsQuotaMicroseconds = 10_000;

    /// <summary>32 MiB, the memory of a custom executor's own resources (<c>memory.limit_in_bytes</c>).</summary>
    public const long MemoryLimitBytes = 32L * 1024 * 1024;

    private readonly string _cpuacct;
    private readonly string? _cpu;
    private readonly string? _memory;

    private ExecutorCgroup(string cpuacct, string? cpu, string? memory, bool limits)
    {
        _cpuacct = cpuacct;
        _cpu = cpu;
        _memory = memory;
        Limits = limits;
    }

    /// <summary>Whether the CFS quota and the memory limit are set.</summary>
    public bool Limits { get; }

    /// <summary>
    /// The <c>cgroup.procs</c> files the process writes its pid into (one per distinct hierarchy),
    /// cpuacct's last: the writes into the others are not counted as the executor's CPU.
    /// </summary>
    public IReadOnlyList<string> ProcsFiles
    {
        get
        {
            var files = new List<string>();
            foreach (string? directory in new[] { _memory, _cpu, _cpuacct })
            {
                string? file = directory == null ? null : Path.Join(directory, "cgroup.procs");
                if (file != null && !files.Contains(file))
                {
                    files.Add(file);
                }
            }

            return files;
        }
    }

    /// <summary>Creates the group (and sets the limits).</summary>
    /// <param name="hierarchy">Where.</param>
    /// <param name="name">The group's name, unique per run.</param>
    /// <param name="limits">Whether to set the CFS quota and the memory limit.</param>
    /// <returns>The group.</returns>
    /// <exception cref="InvalidOperationException">Limits were asked for and the cpu or memory controller is missing.</exception>
    public static ExecutorCgroup Create(CgroupHierarchy hierarchy, string name, bool limits)
    {
        ArgumentNullException.ThrowIfNull(hierarchy);
        if (limits && (hierarchy.CpuBase == null || hierarchy.MemoryBase == null))
        {
            throw new InvalidOperationException("--cgroup-limits needs the cgroup v1 cpu and memory controllers");
        }

        string cpuacct = Path.Join(hierarchy.CpuacctBase, name);
        string? cpu = hierarchy.CpuBase == null ? null : Path.Join(hierarchy.CpuBase, name);
        string? memory = hierarchy.MemoryBase == null ? null : Path.Join(hierarchy.MemoryBase, name);
        foreach (string? directory in new[] { cpuacct, cpu, memory })
        {
            if (directory != null)
            {
                _ = Directory.CreateDirectory(directory);
            }
        }

        if (limits)
        {
            // As the Mesos cgroups isolator does for an executor with cpus=0.1, mem=32 and
            // --cgroups_enable_cfs: period first, then the quota; the memory limit before any
            // page is charged.
            Write(cpu!, "cpu.cfs_period_us", CfsPeriodMicroseconds);
            Write(cpu!, "cpu.cfs_quota_us", CfsQuotaMicroseconds);
            Write(memory!, "memory.limit_in_bytes", MemoryLimitBytes);
        }

        return new ExecutorCgroup(cpuacct, cpu, memory, limits);
    }

    /// <summary>All CPU the group's processes have used, in nanoseconds (<c>cpuacct.usage</c>); still readable after they exited.</summary>
    /// <returns>The CPU time.</returns>
    public long CpuNanoseconds() => Read(_cpuacct, "cpuacct.usage");

    /// <summary>The CFS throttling so far (<c>cpu.stat</c>): periods, throttled periods and the time throttled.</summary>
    /// <returns>The figures; zeros without the cpu controller.</returns>
    public (long Periods, long Throttled, TimeSpan ThrottledTime) Throttling()
    {
        long periods = 0;
        long throttled = 0;
        long time = 0;
        if (_cpu != null)
        {
            foreach (string line in File.ReadLines(Path.Join(_cpu, "cpu.stat")))
            {
                string[] parts = line.Split(' ');
                if (parts.Length != 2)
                {
                    continue;
                }

                long value = long.Parse(parts[1], CultureInfo.InvariantCulture);
                switch (parts[0])
                {
                    case "nr_periods": periods = value; break;
                    case "nr_throttled": throttled = value; break;
                    case "throttled_time": time = value; break;
                    default: break;
                }
            }
        }

        return (periods, throttled, TimeSpan.FromTicks(time / 100));
    }

    /// <summary>The memory charged to the group: now, at most so far, and how often the limit was hit.</summary>
    /// <returns>The figures in bytes; zeros without the memory controller.</returns>
    public (long Usage, long MaxUsage, long FailCount) Memory() => _memory == null
        ? (0, 0, 0)
        : (Read(_memory, "memory.usage_in_bytes"), Read(_memory, "memory.max_usage_in_bytes"), Read(_memory, "memory.failcnt"));

    /// <summary>Removes the group's directories once its processes are gone (retrying briefly while the kernel lets go of them).</summary>
    /// <returns>A task that completes when done; failures are reported on stderr, not thrown.</returns>
    public async Task RemoveAsync()
    {
        foreach (string? directory in new[] { _cpuacct, _cpu, _memory })
        {
            if (directory == null)
            {
                continue;
            }

            for (int attempt = 0; Directory.Exists(directory) && !TryRemoveDirectory(directory); attempt++)
            {
                if (attempt == 40)
                {
                    await Console.Error.WriteLineAsync($"footprint: could not remove {directory}");
                    break;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System, CancellationToken.None);
            }
        }
    }

    /// <summary>rmdir, which is how a cgroup is removed (its control files cannot be deleted).</summary>
    /// <param name="directory">The group directory.</param>
    /// <returns>Whether it is gone.</returns>
    public static bool TryRemoveDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: false);
            return true;
        }
        catch (DirectoryNotFoundException)
        {
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static long Read(string directory, string file) =>
        long.Parse(File.ReadAllText(Path.Join(directory, file)).Trim(), CultureInfo.InvariantCulture);

    private static void Write(string directory, string file, long value) =>
        File.WriteAllText(Path.Join(directory, file), value.ToString(CultureInfo.InvariantCulture));
}
