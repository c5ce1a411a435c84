using System;
using System.Buffers;
using System.Globalization;

namespace Mesos.Executor.Core.RecordIO;

/// <summary>
/// Writes Mesos RecordIO records: the record's length in decimal ASCII, a line feed, then the
/// record's bytes (docs/recordio.md). The counterpart of <c>RecordIOReader</c>.
/// </summary>
/// <remarks>
/// Internal (issue 12): the executor only reads RecordIO. The fake agent of Mesos.Executor.Testing
/// compiles this file in as its own internal copy to frame the events it streams.
/// </remarks>
internal static class RecordIOWriter
{
    // int.MaxValue has 10 digits; plus the line feed.
    private const int MaxHeaderBytes = 11;

    /// <summary>Writes one framed record (<c>&lt;length&gt;\n&lt;record&gt;</c>) to <paramref name="output"/>.</summary>
    /// <param name="output">Where to write.</param>
    /// <param name="record">The record's bytes; must not be empty (Mesos never sends an empty record and <c>RecordIOReader</c> rejects one).</param>
    /// <exception cref="ArgumentNullException"><paramref name="output"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="record"/> is empty.</exception>
    public static void WriteRecord(IBufferWriter<byte> output, ReadOnlySpan<byte> record)
    {
        ArgumentNullException.ThrowIfNull(output);
        ThrowIfEmpty(record);

        Span<byte> header = output.GetSpan(MaxHeaderBytes);
        int written = WriteHeader(header, record.Length);
        output.Advance(written);
        output.Write(record);
    }

    /// <summary>Returns one framed record (<c>&lt;length&gt;\n&lt;record&gt;</c>) as a new array.</summary>
    /// <param name="record">The record's bytes; must not be empty.</param>
    /// <returns>The header followed by the record.</returns>
    /// <exception cref="ArgumentException"><paramref name="record"/> is empty.</exception>
    public static byte[] Frame(ReadOnlySpan<byte> record)
    {
        ThrowIfEmpty(record);

        Span<byte> header = stackalloc byte[MaxHeaderBytes];
        int headerBytes = WriteHeader(header, record.Length);
        byte[] framed = GC.AllocateUninitializedArray<byte>(headerBytes + record.Length);
        header[..headerBytes].CopyTo(framed);
        record.CopyTo(framed.AsSpan(headerBytes));
        return framed;
    }

    private static int WriteHeader(Span<byte> destination, int length)
    {
        bool formatted = length.TryFormat(destination, out int digits, default, CultureInfo.InvariantCulture);
        System.Diagnostics.Debug.Assert(formatted, "an int always fits in 11 bytes");
        destination[digits] = (byte)'\n';
        return digits + 1;
    }

    private static void ThrowIfEmpty(ReadOnlySpan<byte> record)
    {
        if (record.IsEmpty)
        {
            throw new ArgumentException("A RecordIO record must not be empty: Mesos never sends one and readers reject a zero length.", nameof(record));
        }
    }
}
