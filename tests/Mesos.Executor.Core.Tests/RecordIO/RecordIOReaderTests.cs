using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Pipelines;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core.RecordIO;
using NUnit.Framework;

namespace Mesos.Executor.Core.Tests.RecordIO;

[TestFixture]
public sealed class RecordIOReaderTests
{
    // Three records of different sizes, one with a line feed and digits inside, one a single byte.
    private static readonly byte[][] s_records =
    [
        Encoding.ASCII.GetBytes("hello\n42\nworld"),
        [0x7f],
        Enumerable.Range(0, 300).Select(i => (byte)i).ToArray(),
    ];

    private static byte[] Stream3 => s_records.SelectMany(r => RecordIOWriter.Frame(r)).ToArray();

    [Test]
    [CancelAfter(30_000)]
    public async Task ReadRecordAsync_SplitAtEveryBytePosition_ReturnsEveryRecord(CancellationToken cancellationToken)
    {
        byte[] data = Stream3;
        for (int split = 1; split < data.Length; split++)
        {
            var stream = new ChunkedStream(data, [split, data.Length - split]);
            IReadOnlyList<byte[]> records = await ReadAllAsync(stream, cancellationToken);
            Assert.That(records, Is.EqualTo(s_records), $"split at {split}");
        }
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task ReadRecordAsync_OneByteReads_ReturnsEveryRecord(CancellationToken cancellationToken)
    {
        var stream = new ChunkedStream(Stream3, () => 1);

        IReadOnlyList<byte[]> records = await ReadAllAsync(stream, cancellationToken);

        Assert.That(records, Is.EqualTo(s_records));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task ReadRecordAsync_RandomChunkSizes_ReturnsEveryRecord(CancellationToken cancellationToken)
    {
        var random = new Random(1234);
        byte[] data = Enumerable.Repeat(Stream3, 20).SelectMany(b => b).ToArray();
        byte[][] expected = Enumerable.Repeat(s_records, 20).SelectMany(r => r).ToArray();
        for (int maxChunk = 1; maxChunk <= 64; maxChunk *= 2)
        {
            var stream = new ChunkedStream(data, () => random.Next(1, maxChunk + 1));
            IReadOnlyList<byte[]> records = await ReadAllAsync(stream, cancellationToken);
            Assert.That(records, Is.EqualTo(expected), $"chunks of 1..{maxChunk}");
        }
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task ReadRecordAsync_ManyRecordsInOneRead_ReturnsEachWithoutFurtherReads(CancellationToken cancellationToken)
    {
        byte[][] expected = Enumerable.Range(1, 500).Select(i => Encoding.ASCII.GetBytes($"record-{i}")).ToArray();
        byte[] data = expected.SelectMany(r => RecordIOWriter.Frame(r)).ToArray();
        var stream = new ChunkedStream(data, [data.Length], blockAtEnd: true);
        await using var reader = new RecordIOReader(stream);

        var records = new List<byte[]>();
        for (int i = 0; i < expected.Length; i++)
        {
            records.Add((await reader.ReadRecordAsync(cancellationToken))!);
        }

        Assert.That(records, Is.EqualTo(expected));
        // StreamPipeReader's default buffer is 4 KiB, so 5.4 KB arrives in two reads, never one per record.
        Assert.That(stream.ReadCount, Is.LessThanOrEqualTo(3));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task ReadRecordAsync_PipeWithSegmentedWrites_ReturnsEveryRecord(CancellationToken cancellationToken)
    {
        var pipe = new Pipe(new PipeOptions(minimumSegmentSize: 16, pauseWriterThreshold: 0));
        byte[] data = Enumerable.Repeat(Stream3, 5).SelectMany(b => b).ToArray();
        byte[][] expected = Enumerable.Repeat(s_records, 5).SelectMany(r => r).ToArray();

        Task writing = Task.Run(
            async () =>
            {
                var random = new Random(42);
                int position = 0;
                while (position < data.Length)
                {
                    int count = Math.Min(random.Next(1, 40), data.Length - position);
                    await pipe.Writer.WriteAsync(data.AsMemory(position, count), cancellationToken);
                    position += count;
                }

                await pipe.Writer.CompleteAsync();
            },
            cancellationToken);

        IReadOnlyList<byte[]> records = await ReadAllAsync(pipe.Reader.AsStream(), cancellationToken);
        await writing;

        Assert.That(records, Is.EqualTo(expected));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task ReadRecordAsync_LargeRecordInSmallChunks_ReturnsExactBytes(CancellationToken cancellationToken)
    {
        byte[] record = new byte[1_000_003];
        new Random(7).NextBytes(record);
        var stream = new ChunkedStream(RecordIOWriter.Frame(record), () => 4093);

        IReadOnlyList<byte[]> records = await ReadAllAsync(stream, cancellationToken);

        // SequenceEqual: NUnit's element-by-element collection comparison is slow for a megabyte.
        Assert.That(records, Has.Count.EqualTo(1));
        Assert.That(records[0].AsSpan().SequenceEqual(record), Is.True);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task ReadRecordAsync_CleanEndOfStream_ReturnsNullAndKeepsReturningNull(CancellationToken cancellationToken)
    {
        await using var reader = new RecordIOReader(new MemoryStream(RecordIOWriter.Frame("x"u8)));

        byte[]? first = await reader.ReadRecordAsync(cancellationToken);
        byte[]? end = await reader.ReadRecordAsync(cancellationToken);
        byte[]? again = await reader.ReadRecordAsync(cancellationToken);

        Assert.That(first, Is.EqualTo("x"u8.ToArray()));
        Assert.That(end, Is.Null);
        Assert.That(again, Is.Null);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task ReadRecordAsync_EmptyStream_ReturnsNull(CancellationToken cancellationToken)
    {
        await using var reader = new RecordIOReader(new MemoryStream());

        Assert.That(await reader.ReadRecordAsync(cancellationToken), Is.Null);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task ReadRecordAsync_LeadingZeros_AreAccepted(CancellationToken cancellationToken)
    {
        await using var reader = new RecordIOReader(new MemoryStream("0003\nabc"u8.ToArray()));

        Assert.That(await reader.ReadRecordAsync(cancellationToken), Is.EqualTo("abc"u8.ToArray()));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task ReadRecordAsync_RecordExactlyAtLimit_IsAccepted(CancellationToken cancellationToken)
    {
        await using var reader = new RecordIOReader(new MemoryStream("5\nabcde"u8.ToArray()), maxRecordSize: 5);

        Assert.That(await reader.ReadRecordAsync(cancellationToken), Is.EqualTo("abcde"u8.ToArray()));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task ReadRecordAsync_OversizedHeader_ThrowsWithoutWaitingForPayload(CancellationToken cancellationToken)
    {
        // The stream gives the header and then never anything else: waiting would hang until CancelAfter.
        var stream = new ChunkedStream("99999999999999\n"u8.ToArray(), () => 1, blockAtEnd: true);
        await using var reader = new RecordIOReader(stream);

        RecordIOFormatException? ex = await Assert.ThrowsAsync<RecordIOFormatException>(
            async () => await reader.ReadRecordAsync(cancellationToken));

        Assert.That(ex!.Message, Is.EqualTo("RecordIO record of 99999999999999 bytes exceeds the limit of 16777216 bytes."));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task ReadRecordAsync_OversizedHeader_DoesNotAllocateThePayload(CancellationToken cancellationToken)
    {
        // Just above the limit: allocating it would show as ~1 MB on this thread.
        var stream = new ChunkedStream("1048577\n"u8.ToArray(), [8], blockAtEnd: true);
        await using var reader = new RecordIOReader(stream, maxRecordSize: 1024 * 1024);
        await using (var warmUp = new RecordIOReader(new MemoryStream("1\na"u8.ToArray())))
        {
            _ = await warmUp.ReadRecordAsync(cancellationToken); // JIT and pools, so they don't count below
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        ValueTask<byte[]?> read = reader.ReadRecordAsync(cancellationToken);
        long after = GC.GetAllocatedBytesForCurrentThread();

        // The whole read ran synchronously on this thread (the data was there), so it was measured.
        Assert.That(read.IsCompleted, Is.True);
        Assert.That(after - before, Is.LessThan(64 * 1024));
        Assert.That(async () => await read, Throws.TypeOf<RecordIOFormatException>().With.Message.Contains("exceeds the limit of 1048576 bytes"));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task ReadRecordAsync_OversizedTwentyDigitHeader_ReportsTheDigits(CancellationToken cancellationToken)
    {
        // 20 digits, above ulong.MaxValue: must not overflow into a small valid length.
        await using var reader = new RecordIOReader(new MemoryStream("99999999999999999999\nx"u8.ToArray()));

        Assert.That(
            async () => await reader.ReadRecordAsync(cancellationToken),
            Throws.TypeOf<RecordIOFormatException>().With.Message.EqualTo("RecordIO record of 99999999999999999999 bytes exceeds the limit of 16777216 bytes."));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task ReadRecordAsync_NonDigitInLength_ThrowsNonDigitMessage(CancellationToken cancellationToken)
    {
        await using var reader = new RecordIOReader(new MemoryStream("12a\nxxxxxxxxxxxx"u8.ToArray()));

        Assert.That(
            async () => await reader.ReadRecordAsync(cancellationToken),
            Throws.TypeOf<RecordIOFormatException>().With.Message.EqualTo("Malformed RecordIO length header: byte 0x61 at offset 2 is not a decimal digit."));
    }

    [TestCase("-5\nabcde", (byte)'-')]
    [TestCase(" 5\nabcde", (byte)' ')]
    [TestCase("5\r\nabcde", (byte)'\r')]
    [TestCase("+5\nabcde", (byte)'+')]
    [CancelAfter(10_000)]
    public async Task ReadRecordAsync_SignsAndWhitespaceInLength_AreRejected(string input, byte offending, CancellationToken cancellationToken)
    {
        await using var reader = new RecordIOReader(new MemoryStream(Encoding.ASCII.GetBytes(input)));

        Assert.That(
            async () => await reader.ReadRecordAsync(cancellationToken),
            Throws.TypeOf<RecordIOFormatException>().With.Message.Contains($"byte 0x{offending:X2}"));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task ReadRecordAsync_NonDigitBeforeLineFeed_ThrowsWithoutWaitingForLineFeed(CancellationToken cancellationToken)
    {
        var stream = new ChunkedStream("12{"u8.ToArray(), () => 1, blockAtEnd: true);
        await using var reader = new RecordIOReader(stream);

        Assert.That(
            async () => await reader.ReadRecordAsync(cancellationToken),
            Throws.TypeOf<RecordIOFormatException>().With.Message.Contains("is not a decimal digit"));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task ReadRecordAsync_EmptyLength_ThrowsEmptyMessage(CancellationToken cancellationToken)
    {
        await using var reader = new RecordIOReader(new MemoryStream("\nabc"u8.ToArray()));

        Assert.That(
            async () => await reader.ReadRecordAsync(cancellationToken),
            Throws.TypeOf<RecordIOFormatException>().With.Message.EqualTo("Malformed RecordIO length header: the length is empty (a line feed with no digits before it)."));
    }

    [TestCase("0\n")]
    [TestCase("000\nabc")]
    [CancelAfter(10_000)]
    public async Task ReadRecordAsync_ZeroLength_ThrowsZeroMessage(string input, CancellationToken cancellationToken)
    {
        await using var reader = new RecordIOReader(new MemoryStream(Encoding.ASCII.GetBytes(input)));

        Assert.That(
            async () => await reader.ReadRecordAsync(cancellationToken),
            Throws.TypeOf<RecordIOFormatException>().With.Message.EqualTo("Malformed RecordIO length header: a record length of 0 is not allowed."));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task ReadRecordAsync_MoreThanTwentyDigits_ThrowsBeforeTheLineFeedArrives(CancellationToken cancellationToken)
    {
        // 21 zeros and then nothing: the reader must not wait for a line feed.
        var stream = new ChunkedStream(Encoding.ASCII.GetBytes(new string('0', 21)), () => 1, blockAtEnd: true);
        await using var reader = new RecordIOReader(stream);

        Assert.That(
            async () => await reader.ReadRecordAsync(cancellationToken),
            Throws.TypeOf<RecordIOFormatException>().With.Message.EqualTo("Malformed RecordIO length header: more than 20 digits."));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task ReadRecordAsync_StreamEndsInsideFirstHeader_ThrowsTruncatedHeaderMessage(CancellationToken cancellationToken)
    {
        await using var reader = new RecordIOReader(new ChunkedStream("12"u8.ToArray(), () => 1));

        Assert.That(
            async () => await reader.ReadRecordAsync(cancellationToken),
            Throws.TypeOf<RecordIOFormatException>().With.Message.EqualTo(
                "The RecordIO stream ended inside a record length header (2 bytes without a line feed)."));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task ReadRecordAsync_StreamEndsInsideLaterHeader_ReturnsRecordThenThrowsTruncatedHeaderMessage(CancellationToken cancellationToken)
    {
        await using var reader = new RecordIOReader(new ChunkedStream("5\nabcde3"u8.ToArray(), () => 3));

        Assert.That(await reader.ReadRecordAsync(cancellationToken), Is.EqualTo("abcde"u8.ToArray()));
        Assert.That(
            async () => await reader.ReadRecordAsync(cancellationToken),
            Throws.TypeOf<RecordIOFormatException>().With.Message.EqualTo(
                "The RecordIO stream ended inside a record length header (1 bytes without a line feed)."));
    }

    [TestCase("10\nabc", 3)]
    [TestCase("10\n", 0)]
    [CancelAfter(10_000)]
    public async Task ReadRecordAsync_StreamEndsInsidePayload_ThrowsTruncatedRecordMessage(string input, int received, CancellationToken cancellationToken)
    {
        await using var reader = new RecordIOReader(new ChunkedStream(Encoding.ASCII.GetBytes(input), () => 2));

        Assert.That(
            async () => await reader.ReadRecordAsync(cancellationToken),
            Throws.TypeOf<RecordIOFormatException>().With.Message.EqualTo(
                $"The RecordIO stream ended inside a record: {received} of 10 bytes received."));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task ReadRecordAsync_AfterFormatError_KeepsThrowing(CancellationToken cancellationToken)
    {
        await using var reader = new RecordIOReader(new MemoryStream("x\n1\na"u8.ToArray()));
        Assert.That(async () => await reader.ReadRecordAsync(cancellationToken), Throws.TypeOf<RecordIOFormatException>());

        Assert.That(
            async () => await reader.ReadRecordAsync(cancellationToken),
            Throws.TypeOf<RecordIOFormatException>().With.Message.Contains("earlier format error"));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task ReadRecordAsync_CancelledMidRecord_NextReadContinuesTheRecord(CancellationToken cancellationToken)
    {
        var pipe = new Pipe();
        await using var reader = new RecordIOReader(pipe.Reader.AsStream());
        await pipe.Writer.WriteAsync("6\nabc"u8.ToArray(), cancellationToken);

        using (var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            ValueTask<byte[]?> pending = reader.ReadRecordAsync(cts.Token);
            await cts.CancelAsync();
            Assert.That(async () => await pending, Throws.InstanceOf<OperationCanceledException>());
        }

        await pipe.Writer.WriteAsync("def"u8.ToArray(), cancellationToken);
        await pipe.Writer.CompleteAsync();

        Assert.That(await reader.ReadRecordAsync(cancellationToken), Is.EqualTo("abcdef"u8.ToArray()));
        Assert.That(await reader.ReadRecordAsync(cancellationToken), Is.Null);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task ReadRecordAsync_PartialRecord_WaitsInsteadOfSpinning(CancellationToken cancellationToken)
    {
        var stream = new ChunkedStream("10\nabc"u8.ToArray(), () => 1, blockAtEnd: true);
        await using var reader = new RecordIOReader(stream);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        ValueTask<byte[]?> pending = reader.ReadRecordAsync(cts.Token);

        // 6 reads deliver the data, the 7th blocks; a spinning reader would keep issuing reads.
        Assert.That(pending.IsCompleted, Is.False);
        Assert.That(stream.ReadCount, Is.EqualTo(7));
        await cts.CancelAsync();
        Assert.That(async () => await pending, Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task DisposeAsync_ClosesStreamUnlessLeaveOpen(CancellationToken cancellationToken)
    {
        var owned = new MemoryStream("1\na"u8.ToArray());
        var borrowed = new MemoryStream("1\na"u8.ToArray());
        var ownedReader = new RecordIOReader(owned);
        var borrowingReader = new RecordIOReader(borrowed, leaveOpen: true);
        _ = await ownedReader.ReadRecordAsync(cancellationToken);
        _ = await borrowingReader.ReadRecordAsync(cancellationToken);

        await ownedReader.DisposeAsync();
        await ownedReader.DisposeAsync();
        await borrowingReader.DisposeAsync();

        Assert.That(owned.CanRead, Is.False);
        Assert.That(borrowed.CanRead, Is.True);
        Assert.That(async () => await ownedReader.ReadRecordAsync(cancellationToken), Throws.TypeOf<ObjectDisposedException>());
    }

    [Test]
    public void Constructor_InvalidArguments_Throw()
    {
        Assert.That(() => new RecordIOReader(null!), Throws.ArgumentNullException);
        Assert.That(() => new RecordIOReader(new MemoryStream(), maxRecordSize: 0), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task ReadRecordAsync_RandomInput_OnlyRecordsNullOrFormatErrors(CancellationToken cancellationToken)
    {
        var random = new Random(20240611);
        // Mostly digits and line feeds, so that many inputs get past the header into payloads.
        byte[] alphabet = "0123456789\n\n\n1x\r "u8.ToArray();
        int outcomes = 0;
        int formatErrors = 0;
        for (int iteration = 0; iteration < 3000; iteration++)
        {
            byte[] data = iteration % 2 == 0 ? RandomBytes(random, alphabet) : MutatedValidStream(random);
            int maxChunk = random.Next(1, 16);
            var stream = new ChunkedStream(data, () => random.Next(1, maxChunk + 1));
            await using var reader = new RecordIOReader(stream, maxRecordSize: 64);
            try
            {
                int total = 0;
                while (await reader.ReadRecordAsync(cancellationToken) is { } record)
                {
                    total += record.Length;
                    Assert.That(record, Is.Not.Empty);
                    Assert.That(total, Is.LessThanOrEqualTo(data.Length));
                }

                outcomes++;
            }
            catch (RecordIOFormatException)
            {
                formatErrors++;
            }
        }

        // Both kinds of outcome really happened, so the loop exercised the reader.
        Assert.That(outcomes, Is.GreaterThan(100));
        Assert.That(formatErrors, Is.GreaterThan(100));
    }

    private static byte[] RandomBytes(Random random, byte[] alphabet)
    {
        byte[] data = new byte[random.Next(0, 64)];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = random.Next(4) == 0 ? (byte)random.Next(256) : alphabet[random.Next(alphabet.Length)];
        }

        return data;
    }

    // A valid stream of a few records, then maybe truncated and maybe with a few bytes overwritten.
    private static byte[] MutatedValidStream(Random random)
    {
        var data = new List<byte>();
        for (int i = random.Next(0, 4); i > 0; i--)
        {
            byte[] record = new byte[random.Next(1, 70)];
            random.NextBytes(record);
            data.AddRange(RecordIOWriter.Frame(record));
        }

        if (data.Count > 0 && random.Next(3) == 0)
        {
            data.RemoveRange(random.Next(data.Count), 1);
        }

        for (int i = random.Next(0, 3); i > 0 && data.Count > 0; i--)
        {
            data[random.Next(data.Count)] = (byte)random.Next(256);
        }

        return [.. data];
    }

    private static async Task<IReadOnlyList<byte[]>> ReadAllAsync(Stream stream, CancellationToken cancellationToken)
    {
        await using var reader = new RecordIOReader(stream);
        var records = new List<byte[]>();
        while (await reader.ReadRecordAsync(cancellationToken) is { } record)
        {
            records.Add(record);
        }

        return records;
    }
}
