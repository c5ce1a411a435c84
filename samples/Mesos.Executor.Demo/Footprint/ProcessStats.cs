using System;
using System.Globalization;
using System.IO;

namespace Mesos.Executor.Demo.Footprint;

/// <summary>Reads a process's memory and CPU figures from /proc.</summary>
internal static class ProcessStats
{
    /// <summary>Clock ticks per second of /proc/&lt;pid&gt;/stat times (USER_HZ, 100 on Linux).</summary>
    private const double TicksPerSecond = 100;

    /// <summary>Peak (VmHWM) and current (VmRSS) resident set size, in KiB; zeros when the process is gone.</summary>
    /// <param name="pid">The process.</param>
    /// <returns>The sizes.</returns>
    public static (long PeakKiB, long CurrentKiB) Memory(int pid)
    {
        long peak = 0;
        long current = 0;
        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    peak = Kib(line);
                }
                else if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    current = Kib(line);
                }
            }
        }
        catch (IOException)
        {
        }

        return (peak, current);
    }

    /// <summary>User plus system CPU time the process has used so far (10 ms resolution).</summary>
    /// <param name="pid">The process.</param>
    /// <returns>The CPU time, or <see langword="null"/> when the process is gone.</returns>
    public static TimeSpan? CpuTime(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }

        // Fields after the command name (which may contain spaces) start at field 3 (state);
        // utime and stime are fields 14 and 15.
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
        long stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds((utime + stime) / TicksPerSecond);
    }

    /// <summary>The first child of a process (the executor under /usr/bin/time), or 0 if none yet.</summary>
    /// <param name="pid">The parent.</param>
    /// <returns>The child's pid or 0.</returns>
    public static int FirstChild(int pid)
    {
        try
        {
            string children = File.ReadAllText($"/proc/{pid}/task/{pid}/children").Trim();
            int space = children.IndexOf(' ', StringComparison.Ordinal);
            string first = space < 0 ? children : children[..space];
            return first.Length == 0 ? 0 : int.Parse(first, CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static long Kib(string line)
    {
        // "VmHWM:	   12345 kB"
        string value = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        int space = value.IndexOf(' ', StringComparison.Ordinal);
        return long.Parse(space < 0 ? value : value[..space], CultureInfo.InvariantCulture);
    }
}
