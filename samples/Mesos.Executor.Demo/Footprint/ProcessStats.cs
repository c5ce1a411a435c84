using System;
using System.Collections.Generic;
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
        Dictionary<string, long> status = Fields($"/proc/{pid}/status");
        return (status.GetValueOrDefault("VmHWM"), status.GetValueOrDefault("VmRSS"));
    }

    /// <summary>The number of threads (<c>Threads:</c> of /proc/&lt;pid&gt;/status); 0 when the process is gone.</summary>
    /// <param name="pid">The process.</param>
    /// <returns>The count.</returns>
    public static long Threads(int pid) => Fields($"/proc/{pid}/status").GetValueOrDefault("Threads");

    /// <summary>
    /// The memory totals of /proc/&lt;pid&gt;/smaps_rollup in KiB (<c>Rss</c>, <c>Pss</c>,
    /// <c>Pss_Anon</c>, <c>Pss_File</c>, <c>Anonymous</c>, ...); empty when the process is gone.
    /// PSS charges each shared page to the processes that map it in equal parts: the binary's code,
    /// mapped by every executor on the host, counts once in the sum over them.
    /// </summary>
    /// <param name="pid">The process.</param>
    /// <returns>The fields by name.</returns>
    public static Dictionary<string, long> Rollup(int pid) => Fields($"/proc/{pid}/smaps_rollup");

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

    /// <summary>
    /// The TCP connections accepted so far in the network namespace of a process (<c>PassiveOpens</c>
    /// of /proc/&lt;pid&gt;/net/snmp). For a container that only serves its health check, that is the
    /// number of probes: each HTTP or TCP probe opens one connection.
    /// </summary>
    /// <param name="pid">A process in the namespace (the container's init).</param>
    /// <returns>The count, or <see langword="null"/> when the process is gone.</returns>
    public static long? TcpPassiveOpens(int pid)
    {
        string[]? names = null;
        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid}/net/snmp"))
            {
                if (!line.StartsWith("Tcp: ", StringComparison.Ordinal))
                {
                    continue;
                }

                // A line of names, then a line of values.
                string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (names == null)
                {
                    names = fields;
                    continue;
                }

                int index = Array.IndexOf(names, "PassiveOpens");
                return index < 0 ? null : long.Parse(fields[index], CultureInfo.InvariantCulture);
            }
        }
        catch (IOException)
        {
        }

        return null;
    }

    // "Name:   12345 kB" lines (status, smaps_rollup); a missing file gives an empty table.
    private static Dictionary<string, long> Fields(string path)
    {
        var fields = new Dictionary<string, long>(StringComparer.Ordinal);
        try
        {
            foreach (string line in File.ReadLines(path))
            {
                int colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0)
                {
                    continue;
                }

                string value = line[(colon + 1)..].Trim();
                int space = value.IndexOf(' ', StringComparison.Ordinal);
                if (long.TryParse(space < 0 ? value : value[..space], NumberStyles.Integer, CultureInfo.InvariantCulture, out long number))
                {
                    fields[line[..colon]] = number;
                }
            }
        }
        catch (IOException)
        {
        }

        return fields;
    }
}
