using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;

namespace Mesos.Executor.Fuzz.Tests;

/// <summary>
/// Replays the fuzzers' committed corpus and every saved crash (tests/Mesos.Executor.Fuzz/corpus
/// and crashes, one directory per target) through each target's property: a value or the
/// parser's documented exception, within the allocation bound, and within <see cref="HangLimit"/>.
/// A crash file stays here after its fix, as the regression test of that fix.
/// </summary>
[TestFixture]
public sealed class FuzzReplayTests
{
    /// <summary>Far above any input's time (milliseconds on this machine): only a hang reaches it.</summary>
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(10);

    public static IEnumerable<TestCaseData> Inputs()
    {
        foreach (string kind in new[] { "corpus", "crashes" })
        {
            string root = Path.Combine(AppContext.BaseDirectory, kind);
            if (!Directory.Exists(root))
            {
                continue;
            }

            foreach (string directory in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
            {
                string target = Path.GetFileName(directory);
                foreach (string file in Directory.GetFiles(directory).Order(StringComparer.Ordinal))
                {
                    yield return new TestCaseData(target, Path.GetRelativePath(AppContext.BaseDirectory, file))
                        .SetArgDisplayNames(kind, target, Path.GetFileName(file));
                }
            }
        }
    }

    [OneTimeSetUp]
    public void WarmTargets()
    {
        foreach (FuzzTarget target in FuzzTargets.All)
        {
            target.Warm();
        }
    }

    [Test]
    public void Corpus_EveryTargetHasSeeds()
    {
        string root = Path.Combine(AppContext.BaseDirectory, "corpus");
        Assert.That(
            FuzzTargets.All.Where(t => !Directory.Exists(Path.Combine(root, t.Name)) || Directory.GetFiles(Path.Combine(root, t.Name)).Length == 0).Select(t => t.Name),
            Is.Empty);
    }

    [Test]
    public void Crashes_EveryDirectoryNamesATarget()
    {
        string root = Path.Combine(AppContext.BaseDirectory, "crashes");
        var names = FuzzTargets.All.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        Assert.That(Directory.Exists(root) ? Directory.GetDirectories(root).Select(Path.GetFileName).Where(n => !names.Contains(n!)) : [], Is.Empty);
    }

    [TestCaseSource(nameof(Inputs))]
    public void Replay_Input_KeepsTheProperty(string target, string relativePath)
    {
        FuzzTarget fuzzTarget = FuzzTargets.Get(target);
        byte[] data = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, relativePath));

        // On its own thread: a hang fails the test instead of stopping the run (the thread is a
        // background one, so a hung replay does not keep the test host alive either).
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                PropertyCheck.Check(fuzzTarget, data);
            }
            catch (FuzzPropertyException ex)
            {
                failure = ex;
            }
        }) { IsBackground = true };
        thread.Start();

        Assert.That(thread.Join(HangLimit), Is.True, $"{relativePath} hung {target} for {HangLimit}");
        Assert.That(failure, Is.Null, () => failure!.ToString());
    }

    [Test]
    public void Check_UndocumentedException_IsAPropertyFailure()
    {
        var ex = Assert.Throws<FuzzPropertyException>(() => PropertyCheck.Check(new ThrowingTarget(new InvalidCastException("boom")), [1]));

        Assert.That(ex!.Message, Does.Contain("InvalidCastException"));
    }

    [Test]
    public void Check_AllocationBeyondTheBound_IsAPropertyFailure()
    {
        var ex = Assert.Throws<FuzzPropertyException>(() => PropertyCheck.Check(new AllocatingTarget(), [1, 2, 3]));

        Assert.That(ex!.Message, Does.Contain("allocated"));
    }

    private sealed class ThrowingTarget(Exception exception) : FuzzTarget
    {
        public override string Name => "throwing";

        public override string Description => "throws";

        public override void Run(ReadOnlySpan<byte> data) => throw exception;

        public override bool IsExpected(Exception exception) => exception is FormatException;

        public override IEnumerable<(string Name, byte[] Data)> Seeds() => [];
    }

    private sealed class AllocatingTarget : FuzzTarget
    {
        public override string Name => "allocating";

        public override string Description => "allocates";

        public override long AllocationBound(int inputLength) => 1024;

        public override void Run(ReadOnlySpan<byte> data) => GC.KeepAlive(new byte[1 << 20]);

        public override bool IsExpected(Exception exception) => false;

        public override IEnumerable<(string Name, byte[] Data)> Seeds() => [];
    }
}
