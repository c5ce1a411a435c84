using System;
using System.Threading;

namespace Mesos.Executor.Benchmarks;

/// <summary>
/// Spaces operations out as a running executor does: its probes and updates come seconds apart,
/// so each one finds the thread pool's workers blocked (not spinning), wakes them, and pays for their
/// spinning before they block again. Back-to-back benchmarks never see that cost.
/// </summary>
/// <remarks>
/// Measured here (HTTP probe, 2-core VM): the CPU per probe grows with the gap up to about 10 ms and
/// stays flat from there to 100 ms, so 10 ms stands for "seconds apart" at a hundredth of the run time.
/// The idling itself costs some CPU (the sleeping thread's wake-up; in a VM a timer wake-up is
/// not free), which the <c>IdleOnly</c> benchmarks measure so it can be subtracted.
/// </remarks>
internal static class Pacing
{
    /// <summary>How long the process idles before each paced operation.</summary>
    public static readonly TimeSpan IdleGap = TimeSpan.FromMilliseconds(10);

    /// <summary>Idles for <see cref="IdleGap"/> on the calling thread (a blocking sleep: no thread-pool work).</summary>
    public static void Idle() => Thread.Sleep(IdleGap);
}
