using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace Mesos.Executor.Demo.Footprint;

/// <summary>Medians and the <c>key=value</c> lines of the report (invariant culture).</summary>
internal static class Report
{
    /// <summary>Writes one line, formatted with the invariant culture.</summary>
    /// <param name="output">Where.</param>
    /// <param name="line">The line.</param>
    public static void Line(TextWriter output, FormattableString line) => output.WriteLine(line.ToString(CultureInfo.InvariantCulture));

    /// <summary>The median (the mean of the two middle values for an even count); 0 for none.</summary>
    /// <param name="values">The values.</param>
    /// <returns>The median.</returns>
    public static double Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length == 0 ? 0
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
            : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>Nanoseconds as milliseconds.</summary>
    /// <param name="nanoseconds">The time.</param>
    /// <returns>Milliseconds.</returns>
    public static double Milliseconds(long nanoseconds) => nanoseconds / 1e6;
}
