using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Mesos.Executor.Reference.Memory;
using NUnit.Framework;

namespace Mesos.Executor.Integration.Tests.Reference;

/// <summary>
/// Which mappings the executor gives back to the kernel, and that doing so in a live process
/// lowers its resident set and leaves it working.
/// </summary>
[TestFixture]
public sealed class MappedFilePagesTests
{
    private const string Smaps = """
        55d667f57000-55d66885b000 r-xp 00017000 08:01 1234   /usr/libexec/mesos/mesos-executor
        Size:               9232 kB
        Rss:                5668 kB
        Anonymous:             0 kB
        55d66885b000-55d66887a000 r--p 00671000 08:01 1234   /usr/libexec/mesos/mesos-executor
        Rss:                 124 kB
        Anonymous:             0 kB
        55d668b1c000-55d668b1e000 r--p 00bd3000 08:01 1234   /usr/libexec/mesos/mesos-executor
        Rss:                   8 kB
        Anonymous:             8 kB
        55d668b1e000-55d668b49000 rw-p 00bd5000 08:01 1234   /usr/libexec/mesos/mesos-executor
        Rss:                 180 kB
        Anonymous:            84 kB
        55d668b49000-55d668e80000 rw-p 00000000 00:00 0
        Rss:                3308 kB
        Anonymous:          3308 kB
        7fd7d2a65000-7fd7d2af2000 r-xp 00028000 08:01 99     /usr/lib/x86_64-linux-gnu/libc.so.6
        Rss:                1044 kB
        Anonymous:             0 kB
        7fd7d2af2000-7fd7d2b00000 r-xp 00000000 00:01 7      /memfd:doublemapper (deleted)
        Rss:                  64 kB
        Anonymous:             0 kB
        7fd7d2b00000-7fd7d2b10000 r--s 00000000 08:01 55     /usr/share/shared.db
        Rss:                  64 kB
        Anonymous:             0 kB
        7fd7d2b10000-7fd7d2b20000 r--p 00000000 08:01 56     /usr/lib/not-touched.so
        Rss:                   0 kB
        Anonymous:             0 kB
        7ffd1c1fe000-7ffd1c200000 r-xp 00000000 00:00 0      [vdso]
        Rss:                   4 kB
        Anonymous:             0 kB
        """;

    [Test]
    public void Parse_Smaps_ReleasesOnlyCleanReadOnlyPrivateFileMappings()
    {
        List<MappedFilePages.Mapping> mappings = MappedFilePages.Parse(Smaps.Split('\n'));

        Assert.Multiple(() =>
        {
            Assert.That(mappings, Has.Count.EqualTo(10));
            Assert.That(mappings[0].Start, Is.EqualTo(0x55d667f57000UL));
            Assert.That(mappings[0].End, Is.EqualTo(0x55d66885b000UL));
            Assert.That(mappings[0].Path, Is.EqualTo("/usr/libexec/mesos/mesos-executor"));
            Assert.That(mappings[0].RssKiB, Is.EqualTo(5668));
            Assert.That(
                mappings.Where(m => m.Releasable).Select(m => m.Start),
                Is.EqualTo(new[] { 0x55d667f57000UL, 0x55d66885b000UL, 0x7fd7d2a65000UL }),
                "code, read-only data and libc; not RELRO (copy-on-write pages), data, anonymous memory, memfd, shared, untouched or [vdso] mappings");
        });
    }

    [Test]
    public void Release_InThisProcess_LowersTheResidentFilePagesAndTheProcessKeepsWorking()
    {
        if (!File.Exists("/proc/self/smaps"))
        {
            Assert.Fail("/proc/self/smaps is missing: this test needs Linux");
        }

        long before = ReleasableResidentKiB();
        Assume.That(before, Is.GreaterThan(0), "this process has resident read-only file pages");

        long released = MappedFilePages.Release();
        long after = ReleasableResidentKiB();

        // Whatever runs next faults its pages back in: code in the runtime, the JIT and libc.
        string still = string.Join(",", Enumerable.Range(0, 1000).Select(i => (i * 7 % 13).ToString(System.Globalization.CultureInfo.InvariantCulture)).Distinct().Order());

        Assert.Multiple(() =>
        {
            Assert.That(released, Is.GreaterThan(0));
            Assert.That(after, Is.LessThan(before), "resident KiB of the released mappings");
            Assert.That(still, Is.EqualTo("0,1,10,11,12,2,3,4,5,6,7,8,9"));
        });
    }

    [Test]
    public void Release_UnreadableSmaps_ReturnsMinusOne()
    {
        Assert.That(MappedFilePages.Release("/nonexistent/smaps"), Is.EqualTo(-1));
    }

    private static long ReleasableResidentKiB() =>
        MappedFilePages.Parse(File.ReadLines("/proc/self/smaps")).Where(m => m.Releasable).Sum(m => m.RssKiB);
}
