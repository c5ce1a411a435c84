using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;

namespace Mesos.Executor.Reference.Memory;

/// <summary>
/// Gives the clean, read-only pages of memory-mapped files (the executor binary's code and
/// read-only data, libc) back to the kernel with <c>madvise(MADV_DONTNEED)</c>. They stay in the
/// page cache: whatever is still used faults back in (a minor fault, no I/O), and what was only
/// needed once (start-up, configuration, the launch path) stops
/// counting in the executor's resident set. Mappings holding private (copy-on-write) pages, such
/// as the relocated RELRO segment, are never touched: dropping them would lose their contents.
/// </summary>
/// <remarks>
/// A released page comes back with the file's current contents. The executable itself cannot be
/// rewritten in place while it runs (the kernel refuses with ETXTBSY; upgrades replace it by
/// rename, and the mapping keeps the old inode). A shared library rewritten in place would change
/// under every process mapping it anyway, since mapped clean pages are the page cache's pages.
/// </remarks>
internal static partial class MappedFilePages
{
    private const int MadviseDontNeed = 4;

    /// <summary>Releases the resident pages of every clean, read-only file mapping of this process.</summary>
    /// <param name="smapsPath">The smaps file to read (tests pass a missing one).</param>
    /// <returns>The resident KiB released (as smaps reported them before the call), or -1 when smaps cannot be read.</returns>
    public static long Release(string smapsPath = "/proc/self/smaps")
    {
        List<Mapping> mappings;
        try
        {
            mappings = Parse(File.ReadLines(smapsPath));
        }
        catch (IOException)
        {
            return -1;
        }
        catch (UnauthorizedAccessException)
        {
            return -1;
        }
        catch (NotSupportedException)
        {
            return -1;
        }

        long released = 0;
        foreach (Mapping mapping in mappings)
        {
            if (mapping.Releasable && madvise((nint)mapping.Start, (nuint)(mapping.End - mapping.Start), MadviseDontNeed) == 0)
            {
                released += mapping.RssKiB;
            }
        }

        return released;
    }

    /// <summary>The mappings of an smaps text, with what decides whether they may be released.</summary>
    /// <param name="lines">The smaps lines.</param>
    /// <returns>The mappings in order.</returns>
    internal static List<Mapping> Parse(IEnumerable<string> lines)
    {
        var mappings = new List<Mapping>();
        Mapping? current = null;
        foreach (string line in lines)
        {
            int dash = line.IndexOf('-', StringComparison.Ordinal);
            int space = line.IndexOf(' ', StringComparison.Ordinal);
            if (dash > 0 && space > dash && ulong.TryParse(line.AsSpan(0, dash), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong start)
                && ulong.TryParse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong end))
            {
                // "start-end perms offset dev inode [path]"
                string[] fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
                current = new Mapping(start, end, fields.Length > 1 ? fields[1] : string.Empty, fields.Length > 5 ? fields[5].Trim() : string.Empty);
                mappings.Add(current);
            }
            else if (current != null)
            {
                if (line.StartsWith("Rss:", StringComparison.Ordinal))
                {
                    current.RssKiB = Kilobytes(line);
                }
                else if (line.StartsWith("Anonymous:", StringComparison.Ordinal))
                {
                    current.AnonymousKiB = Kilobytes(line);
                }
            }
        }

        return mappings;
    }

    private static long Kilobytes(string line)
    {
        ReadOnlySpan<char> value = line.AsSpan(line.IndexOf(':', StringComparison.Ordinal) + 1).Trim();
        int unit = value.IndexOf(' ');
        return long.TryParse(unit < 0 ? value : value[..unit], NumberStyles.None, CultureInfo.InvariantCulture, out long kib) ? kib : 0;
    }

    [LibraryImport("libc", EntryPoint = "madvise", SetLastError = true)]
    private static partial int madvise(nint address, nuint length, int advice);

    /// <summary>One mapping of smaps.</summary>
    internal sealed class Mapping
    {
        public Mapping(ulong start, ulong end, string permissions, string path)
        {
            Start = start;
            End = end;
            Permissions = permissions;
            Path = path;
        }

        public ulong Start { get; }

        public ulong End { get; }

        public string Permissions { get; }

        public string Path { get; }

        public long RssKiB { get; set; }

        public long AnonymousKiB { get; set; }

        /// <summary>
        /// A private mapping of a real file, readable but never writable, with no copy-on-write
        /// pages and something resident: released pages come back unchanged from the file.
        /// </summary>
        public bool Releasable =>
            Path.StartsWith('/') && !Path.StartsWith("/memfd:", StringComparison.Ordinal) && !Path.StartsWith("/dev/", StringComparison.Ordinal)
            && Permissions is "r--p" or "r-xp" && AnonymousKiB == 0 && RssKiB > 0;
    }
}
