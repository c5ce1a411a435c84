using System;
using System.Collections.Generic;
using System.IO;

namespace Mesos.Executor.Demo.Footprint;

/// <summary>
/// Where the harness creates the cgroup v1 groups of the executors it measures: for each of the
/// controllers <c>cpuacct</c>, <c>cpu</c> and <c>memory</c>, the directory
/// <c>&lt;mount&gt;&lt;the harness's own group&gt;/mesos-executor-footprint</c>. Nested under the
/// harness's own group, so whatever limits and accounting the harness runs under still cover the
/// executors (as the agent's executor groups sit under its own hierarchy). Controllers may be
/// mounted apart (<c>/sys/fs/cgroup/cpu</c>, <c>/sys/fs/cgroup/cpuacct</c>) or together
/// (<c>/sys/fs/cgroup/cpu,cpuacct</c>); both are read from <c>/proc/self/mountinfo</c>.
/// </summary>
internal sealed class CgroupHierarchy
{
    /// <summary>The directory name under the harness's own group.</summary>
    public const string GroupName = "mesos-executor-footprint";

    private CgroupHierarchy(string cpuacct, string? cpu, string? memory)
    {
        CpuacctBase = cpuacct;
        CpuBase = cpu;
        MemoryBase = memory;
    }

    /// <summary>The parent directory of the executors' groups in the cpuacct hierarchy.</summary>
    public string CpuacctBase { get; }

    /// <summary>The same in the cpu hierarchy (the CFS quota), or <see langword="null"/> when not mounted.</summary>
    public string? CpuBase { get; }

    /// <summary>The same in the memory hierarchy, or <see langword="null"/> when not mounted.</summary>
    public string? MemoryBase { get; }

    /// <summary>Finds the hierarchies and creates the parent directories.</summary>
    /// <param name="reason">Why there are none, when the result is <see langword="null"/>.</param>
    /// <returns>The hierarchy, or <see langword="null"/> without cgroup v1 cpuacct or without the right to create groups.</returns>
    public static CgroupHierarchy? Find(out string reason)
    {
        Dictionary<string, string> own = OwnGroups();
        string? cpuacct = BaseDirectory("cpuacct", own);
        if (cpuacct == null)
        {
            reason = "no cgroup v1 cpuacct controller is mounted";
            return null;
        }

        string? cpu = BaseDirectory("cpu", own);
        string? memory = BaseDirectory("memory", own);
        try
        {
            foreach (string? directory in new[] { cpuacct, cpu, memory })
            {
                if (directory != null)
                {
                    _ = Directory.CreateDirectory(directory);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            reason = $"cannot create {cpuacct} ({ex.Message}; run as root)";
            return null;
        }

        reason = string.Empty;
        return new CgroupHierarchy(cpuacct, cpu, memory);
    }

    /// <summary>Removes the parent directories if no group is left in them (another run may still use them).</summary>
    public void RemoveIfEmpty()
    {
        foreach (string? directory in new[] { CpuacctBase, CpuBase, MemoryBase })
        {
            if (directory != null)
            {
                ExecutorCgroup.TryRemoveDirectory(directory);
            }
        }
    }

    // controller -> the harness's group path, from /proc/self/cgroup ("4:memory:/a/b", "1:cpu,cpuacct:/").
    private static Dictionary<string, string> OwnGroups()
    {
        var groups = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in File.ReadLines("/proc/self/cgroup"))
        {
            string[] parts = line.Split(':', 3);
            if (parts.Length == 3 && parts[1].Length > 0)
            {
                foreach (string controller in parts[1].Split(','))
                {
                    groups[controller] = parts[2];
                }
            }
        }

        return groups;
    }

    private static string? BaseDirectory(string controller, Dictionary<string, string> own)
    {
        // mountinfo: "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS".
        foreach (string line in File.ReadLines("/proc/self/mountinfo"))
        {
            int separator = line.IndexOf(" - ", StringComparison.Ordinal);
            if (separator < 0)
            {
                continue;
            }

            string[] before = line[..separator].Split(' ');
            string[] after = line[(separator + 3)..].Split(' ');
            if (before.Length < 5 || after.Length < 3 || after[0] != "cgroup" || Array.IndexOf(after[2].Split(','), controller) < 0)
            {
                continue;
            }

            string root = Unescape(before[3]);
            string mountPoint = Unescape(before[4]);
            string group = own.GetValueOrDefault(controller, "/");

            // The group as seen from this mount: below its root (a container sees "/" as its root).
            string relative = root == "/" ? group : group.StartsWith(root, StringComparison.Ordinal) ? group[root.Length..] : "/";
            return Path.Join(mountPoint, relative.TrimStart('/'), GroupName);
        }

        return null;
    }

    // mountinfo escapes space, tab, newline and backslash as octal (\040).
    private static string Unescape(string field) =>
        field.Replace("\\040", " ", StringComparison.Ordinal).Replace("\\011", "\t", StringComparison.Ordinal)
            .Replace("\\012", "\n", StringComparison.Ordinal).Replace("\\134", "\\", StringComparison.Ordinal);
}
