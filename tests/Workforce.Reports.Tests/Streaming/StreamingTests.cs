using System.Runtime.CompilerServices;
using Workforce.Core.Reports;

namespace Workforce.Reports.Tests.Streaming;

/// <summary>
/// CSV and JSON hold every row of the primary table, so they must stream it: a million rows, made one at a time as a
/// query would read them, go to a stream that only counts bytes. Two checks, each of which buffering would fail: at
/// every row, all but the last few thousand rows before it have already reached the stream; and the live heap, after
/// a full collection, does not grow with the rows written.
/// </summary>
public sealed class StreamingTests
{
    private const int Rows = 1_000_000;

    /// <summary>How many rows may sit in a renderer's buffers: a 64 KiB CSV buffer holds about 1,200 of these rows.</summary>
    private const int RowsInFlight = 10_000;

    /// <summary>Fewer bytes than any row takes in CSV or JSON ("task-00000,alpha,2026-03-01T00:00:00Z,1,1.25," is 44).</summary>
    private const int MinRowBytes = 40;

    private const long MaxHeapGrowth = 16 * 1024 * 1024;

    [Theory]
    [InlineData(ReportFormat.Csv)]
    [InlineData(ReportFormat.Json)]
    public async Task A_million_rows_stream_through_in_bounded_memory(ReportFormat format)
    {
        var output = new CountingStream();
        var probe = new Probe(output);
        var document = SampleReports.AgentActivity(probe.Rows(Rows));

        await Renderers.For(format).RenderAsync(document, output, TestContext.Current.CancellationToken);

        Assert.Equal(Rows, probe.Yielded);
        Assert.True(output.Length > (long)Rows * MinRowBytes, $"Only {output.Length} bytes for {Rows} rows.");
        Assert.True(probe.WorstLag <= RowsInFlight, $"Up to {probe.WorstLag} rows were held before reaching the stream.");
        var growth = probe.HeapAtEnd - probe.HeapAtStart;
        Assert.True(growth < MaxHeapGrowth, $"The live heap grew by {growth:N0} bytes over {Rows - Probe.HeapBaselineRow:N0} rows.");
    }

    private sealed class Probe(CountingStream output)
    {
        public const int HeapBaselineRow = 50_000;

        public int Yielded { get; private set; }

        public long WorstLag { get; private set; }

        public long HeapAtStart { get; private set; }

        public long HeapAtEnd { get; private set; }

        public async IAsyncEnumerable<IReadOnlyList<object?>> Rows(int count, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            for (var i = 0; i < count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (i % 1_000 == 0)
                {
                    // Rows that must have reached the stream, were each at least MinRowBytes long.
                    var written = output.Length / MinRowBytes;
                    WorstLag = Math.Max(WorstLag, i - written);
                }

                if (i == HeapBaselineRow)
                {
                    HeapAtStart = GC.GetTotalMemory(forceFullCollection: true);
                }

                if (i == count - 1)
                {
                    HeapAtEnd = GC.GetTotalMemory(forceFullCollection: true);
                }

                Yielded++;
                yield return SampleReports.PrimaryRow(i);
            }

            await Task.CompletedTask;
        }
    }

    /// <summary>A write-only stream that keeps nothing, like a network response, and counts what it was given.</summary>
    private sealed class CountingStream : Stream
    {
        private long _length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => Interlocked.Read(ref _length);

        public override long Position
        {
            get => Length;
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => Interlocked.Add(ref _length, count);

        public override void Write(ReadOnlySpan<byte> buffer) => Interlocked.Add(ref _length, buffer.Length);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Interlocked.Add(ref _length, buffer.Length);
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Interlocked.Add(ref _length, count);
            return Task.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
