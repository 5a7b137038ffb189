using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Workforce.Core.Audit;
using Workforce.Core.Metrics;

namespace Workforce.Api.Audit;

/// <summary>
/// Takes the audit entries of a node's requests and writes them in batches (<see cref="FlushAsync"/>, about once a
/// second), so that recording costs a request an enqueue rather than a write. The trade: a kill -9 loses the entries of
/// at most the last second or so, those not yet flushed; a clean stop flushes them. A batch that fails is retried as it
/// was, and the log skips the ids it already has, so nothing is recorded twice. While the store is down entries wait
/// here, up to <see cref="MaxPending"/>; beyond that new ones are dropped and counted in the log, so a long outage
/// cannot exhaust the memory.
/// </summary>
public sealed partial class AuditRecorder(IAuditLog log, AuditOptions options, ILogger<AuditRecorder> logger, WorkforceMeter? meter = null) : IDisposable
{
    public const int MaxPending = 100_000;

    /// <summary>The most entries one write holds: one short transaction on SQLite, a few on Tables.</summary>
    public const int MaxBatch = 500;

    private readonly ConcurrentQueue<AuditEntry> _pending = new();
    private readonly SemaphoreSlim _flushing = new(1, 1);
    private List<AuditEntry>? _retrying;
    private int _count;
    private long _dropped;

    public static TimeSpan FlushInterval { get; } = TimeSpan.FromSeconds(1);

    /// <summary>Entries taken and not yet written.</summary>
    public int Pending => Volatile.Read(ref _count);

    public void Record(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!options.Enabled)
        {
            return;
        }

        if (Interlocked.Increment(ref _count) > MaxPending)
        {
            Interlocked.Decrement(ref _count);
            if (Interlocked.Increment(ref _dropped) % 1000 == 1)
            {
                LogDropped(logger, MaxPending);
            }

            return;
        }

        _pending.Enqueue(entry);
    }

    /// <summary>Writes everything taken so far, a batch at a time; a batch that fails stays first in line.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _flushing.WaitAsync(cancellationToken);
        try
        {
            while (true)
            {
                var batch = _retrying ?? Take();
                if (batch.Count == 0)
                {
                    return;
                }

                _retrying = batch;
                await log.AppendAsync(batch, cancellationToken);
                meter?.RecordBatch(Batches.Audit, batch.Count);
                _retrying = null;
                Interlocked.Add(ref _count, -batch.Count);
            }
        }
        finally
        {
            _flushing.Release();
        }
    }

    public void Dispose() => _flushing.Dispose();

    private List<AuditEntry> Take()
    {
        var batch = new List<AuditEntry>();
        while (batch.Count < MaxBatch && _pending.TryDequeue(out var entry))
        {
            batch.Add(entry);
        }

        return batch;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The audit log cannot be written and {MaxPending} entries wait; new entries are dropped until it can")]
    private static partial void LogDropped(ILogger logger, int maxPending);
}
