using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core.RecordIO;
using NUnit.Framework;

namespace Mesos.Executor.Core.Tests.RecordIO;

[TestFixture]
public sealed class RecordIOWriterTests
{
    [Test]
    public void Frame_Record_PrefixesDecimalLengthAndLineFeed()
    {
        Assert.That(RecordIOWriter.Frame("{\"type\":\"HEARTBEAT\"}"u8), Is.EqualTo("20\n{\"type\":\"HEARTBEAT\"}"u8.ToArray()));
        Assert.That(RecordIOWriter.Frame([0]), Is.EqualTo(new byte[] { (byte)'1', (byte)'\n', 0 }));
    }

    [Test]
    public void WriteRecord_SeveralRecords_AppendsEachFramed()
    {
        var output = new ArrayBufferWriter<byte>();

        RecordIOWriter.WriteRecord(output, "abc"u8);
        RecordIOWriter.WriteRecord(output, new byte[1234]);

        byte[] expected = [.. "3\nabc1234\n"u8, .. new byte[1234]];
        Assert.That(output.WrittenSpan.ToArray(), Is.EqualTo(expected));
    }

    [Test]
    public void WriteRecord_EmptyRecord_Throws()
    {
        Assert.That(() => RecordIOWriter.WriteRecord(new ArrayBufferWriter<byte>(), ReadOnlySpan<byte>.Empty), Throws.ArgumentException);
        Assert.That(() => RecordIOWriter.Frame(ReadOnlySpan<byte>.Empty), Throws.ArgumentException);
        Assert.That(() => RecordIOWriter.WriteRecord(null!, "a"u8), Throws.ArgumentNullException);
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task WriteRecord_ThenReader_RoundTripsRecordsOfManySizes(CancellationToken cancellationToken)
    {
        var random = new Random(99);
        int[] sizes = [1, 2, 9, 10, 11, 99, 100, 4095, 4096, 4097, 65_536, 1_000_000];
        byte[][] records = sizes.Select(size =>
        {
            byte[] record = new byte[size];
            random.NextBytes(record);
            return record;
        }).ToArray();
        var output = new ArrayBufferWriter<byte>();
        foreach (byte[] record in records)
        {
            RecordIOWriter.WriteRecord(output, record);
        }

        await using var reader = new RecordIOReader(new MemoryStream(output.WrittenSpan.ToArray()));
        var read = new List<byte[]>();
        while (await reader.ReadRecordAsync(cancellationToken) is { } record)
        {
            read.Add(record);
        }

        // SequenceEqual: NUnit's element-by-element collection comparison is slow for megabytes.
        Assert.That(read.Select(r => r.Length), Is.EqualTo(sizes));
        Assert.That(read.Zip(records).All(pair => pair.First.AsSpan().SequenceEqual(pair.Second)), Is.True);
        byte[] framedOneByOne = records.SelectMany(r => RecordIOWriter.Frame(r)).ToArray();
        Assert.That(output.WrittenSpan.SequenceEqual(framedOneByOne), Is.True);
    }
}
