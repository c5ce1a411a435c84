using System;

namespace Mesos.Executor.Fuzz;

/// <summary>A fuzz target broke its property: the fuzzer records the input as a crash.</summary>
public sealed class FuzzPropertyException : Exception
{
    /// <summary>Creates the exception.</summary>
    public FuzzPropertyException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What broke.</param>
    public FuzzPropertyException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What broke.</param>
    /// <param name="innerException">The unexpected exception.</param>
    public FuzzPropertyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Runs one input through a target and checks the property (exceptions and allocation).</summary>
public static class PropertyCheck
{
    /// <summary>Runs <paramref name="data"/> through <paramref name="target"/>.</summary>
    /// <param name="target">The target.</param>
    /// <param name="data">The input.</param>
    /// <exception cref="FuzzPropertyException">An undocumented exception, or an allocation beyond the bound.</exception>
    public static void Check(FuzzTarget target, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(target);
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            target.Run(data);
        }
        catch (Exception ex) when (target.IsExpected(ex))
        {
        }
        catch (Exception ex) when (ex is not FuzzPropertyException)
        {
            throw new FuzzPropertyException($"{target.Name}: undocumented {ex.GetType().FullName}: {ex.Message}", ex);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        long bound = target.AllocationBound(data.Length);
        if (allocated > bound)
        {
            throw new FuzzPropertyException($"{target.Name}: allocated {allocated} bytes for a {data.Length}-byte input (bound {bound})");
        }
    }
}
