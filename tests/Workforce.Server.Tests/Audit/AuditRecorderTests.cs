using Microsoft.Extensions.Logging.Abstractions;
using Workforce.Api.Audit;
using Workforce.Core.Audit;
using Workforce.Core.Storage;

namespace Workforce.Server.Tests.Audit;

public sealed class AuditRecorderTests
{
    [Fact]
    public async Task Entries_wait_for_the_flush_and_a_failed_batch_is_written_later_once_and_in_order()
    {
        var log = new FlakyAuditLog { Failures = 1 };
        using var recorder = new AuditRecorder(log, new AuditOptions(), NullLogger<AuditRecorder>.Instance);
        var entries = Enumerable.Range(0, 3).Select(Entry).ToList();
        entries.ForEach(recorder.Record);

        Assert.Empty(log.Written);
        await Assert.ThrowsAsync<StorageUnavailableException>(() => recorder.FlushAsync(CancellationToken.None));
        recorder.Record(Entry(3));
        await recorder.FlushAsync(CancellationToken.None);

        Assert.Equal(["0", "1", "2", "3"], log.Written.Select(e => e.Id));
        Assert.Equal(0, recorder.Pending);
    }

    [Fact]
    public async Task Large_backlogs_are_written_in_bounded_batches()
    {
        var log = new FlakyAuditLog();
        using var recorder = new AuditRecorder(log, new AuditOptions(), NullLogger<AuditRecorder>.Instance);
        for (var i = 0; i < AuditRecorder.MaxBatch * 2 + 1; i++)
        {
            recorder.Record(Entry(i));
        }

        await recorder.FlushAsync(CancellationToken.None);

        Assert.Equal([AuditRecorder.MaxBatch, AuditRecorder.MaxBatch, 1], log.Batches);
    }

    [Fact]
    public async Task Nothing_is_recorded_when_the_audit_log_is_off()
    {
        var log = new FlakyAuditLog();
        using var recorder = new AuditRecorder(log, new AuditOptions { Enabled = false }, NullLogger<AuditRecorder>.Instance);

        recorder.Record(Entry(0));
        await recorder.FlushAsync(CancellationToken.None);

        Assert.Empty(log.Written);
    }

    private static AuditEntry Entry(int i) =>
        new(i.ToString(System.Globalization.CultureInfo.InvariantCulture), "t", DateTimeOffset.UnixEpoch.AddSeconds(i), "key:x", "POST v1/tasks", null, 202, null, null, null);

    private sealed class FlakyAuditLog : IAuditLog
    {
        public int Failures { get; set; }

        public List<AuditEntry> Written { get; } = [];

        public List<int> Batches { get; } = [];

        public Task AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken = default)
        {
            if (Failures-- > 0)
            {
                throw new StorageUnavailableException("down");
            }

            Batches.Add(entries.Count);
            Written.AddRange(entries);
            return Task.CompletedTask;
        }

        public Task<Page<AuditEntry>> QueryAsync(AuditQuery query, PageRequest page, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<int> PurgeAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
