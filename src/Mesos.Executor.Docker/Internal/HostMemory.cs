using System;
using System.Globalization;
using System.IO;

namespace Mesos.Executor.Docker.Internal;

/// <summary>The host's total memory (for Mesos's OOM score adjustment).</summary>
internal static class HostMemory
{
    /// <summary>MemTotal from <c>/proc/meminfo</c> in bytes, or <see langword="null"/> when unknown.</summary>
    public static long? TotalBytes(string path = "/proc/meminfo")
    {
        try
        {
            foreach (string line in File.ReadLines(path))
            {
                if (!line.StartsWith("MemTotal:", StringComparison.Ordinal))
                {
                    continue;
                }

                string[] parts = line["MemTotal:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return parts.Length >= 1 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out long kilobytes)
                    ? kilobytes * 1024
                    : null;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }

        return null;
    }
}
