using System;
using System.Collections.Generic;

namespace Mesos.Executor.Fuzz;

/// <summary>
/// One parser of untrusted input, driven by a fuzzer's bytes. The property every target checks
/// (see <see cref="PropertyCheck"/>): <see cref="Run"/> returns, or throws one of
/// <see cref="IsExpected"/>'s exception types (the parser's documented ones); it never throws
/// another, never hangs (the fuzzer's and the replay's timeout), and never allocates more than
/// <see cref="AllocationBound"/> bytes.
/// </summary>
public abstract class FuzzTarget
{
    /// <summary>The name the runner and the corpus directory use, e.g. <c>agent-stream</c>.</summary>
    public abstract string Name { get; }

    /// <summary>What the target reaches, for the report.</summary>
    public abstract string Description { get; }

    /// <summary>
    /// The most the target may allocate for an input of <paramref name="inputLength"/> bytes:
    /// by default 1 MiB plus 256 bytes per input byte (objects of a few hundred bytes per input
    /// byte at most; anything growing faster, or independent of the input's size, fails).
    /// </summary>
    public virtual long AllocationBound(int inputLength) => (1L << 20) + (256L * inputLength);

    /// <summary>Feeds <paramref name="data"/> to the parser, and checks what it returned where that is cheap.</summary>
    public abstract void Run(ReadOnlySpan<byte> data);

    /// <summary>Whether <paramref name="exception"/> is one the parser documents.</summary>
    public abstract bool IsExpected(Exception exception);

    /// <summary>Seed inputs, taken from the test suite's examples (written by <c>seed</c>).</summary>
    public abstract IEnumerable<(string Name, byte[] Data)> Seeds();

    /// <summary>Runs the code paths that build caches (protobuf descriptors, JSON metadata), so that their one-time cost is not charged to an input.</summary>
    public virtual void Warm()
    {
        foreach (var (_, data) in Seeds())
        {
            try
            {
                Run(data);
            }
            catch (Exception ex) when (IsExpected(ex))
            {
            }
        }
    }
}
