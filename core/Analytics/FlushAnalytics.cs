using Microsoft.Extensions.Logging;

namespace Workforce.Core.Analytics;

/// <summary>
/// Writes what the node counted since the last flush, one batch per tenant, and a sample of the server's own
/// resources. A batch that fails to write is kept and tried again under the same id next time, so it counts once;
/// if the store stays away long enough, the oldest are dropped rather than let memory grow.
/// Called by one loop per node (<c>AnalyticsFlushing</c>), never concurrently.
/// </summary>
public sealed partial class FlushAnalytics(AnalyticsRecorder recorder, IAnalyticsStore store, ISystemMetrics system, ILogger<FlushAnalytics> logger, Metrics.WorkforceMeter? meter = null)
{
    private const int MaxUnwritten = 10_000;

    private readonly string _node = Guid.NewGuid().ToString("N")[..12];
    private readonly List<AnalyticsBatch> _unwritten = [];
    private long _sequence;

    public async Task ExecuteAsync(CancellationToken cancellationToken = default)
    {
        _unwritten.AddRange(recorder.Drain(NextId));
        _unwritten.Add(ServerBatch(system.Read()));
        if (_unwritten.Count > MaxUnwritten)
        {
            LogDropped(logger, _unwritten.Count - MaxUnwritten);
            _unwritten.RemoveRange(0, _unwritten.Count - MaxUnwritten);
        }

        var written = 0;
        try
        {
            foreach (var batch in _unwritten)
            {
                await store.ApplyAsync(batch, cancellationToken);
                written++;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFlushFailed(logger, e, _unwritten.Count - written);
        }
        finally
        {
            _unwritten.RemoveRange(0, written);
            if (written > 0)
            {
                meter?.RecordBatch(Metrics.Batches.Analytics, written);
            }
        }
    }

    private AnalyticsBatch ServerBatch(SystemSample sample)
    {
        var rollups = new List<AnalyticsRollup>(2);
        foreach (var resolution in new[] { RollupResolution.Minute, RollupResolution.Hour })
        {
            var values = new RollupValues();
            values.Sample(AnalyticsValues.CpuCentiPercent, (long)Math.Round(sample.CpuPercent * 100));
            values.Sample(AnalyticsValues.MemoryMb, (long)Math.Round(sample.MemoryMb));
            values.Sample(AnalyticsValues.ManagedHeapMb, (long)Math.Round(sample.ManagedHeapMb));
            values.Sample(AnalyticsValues.Threads, sample.Threads);
            values.Sample(AnalyticsValues.UptimeSeconds, (long)sample.Uptime.TotalSeconds);
            if (sample.DiskFreeMb is { } free && sample.DiskTotalMb is { } total)
            {
                values.Sample(AnalyticsValues.DiskFreeMb, (long)free);
                values.Sample(AnalyticsValues.DiskTotalMb, (long)total);
            }

            rollups.Add(new AnalyticsRollup(AnalyticsSeries.Server(sample.Server), resolution, AnalyticsRollup.StartOf(resolution, sample.At), values));
        }

        return new AnalyticsBatch(AnalyticsSeries.PlatformTenant, NextId(), rollups, []);
    }

    private string NextId() => $"{_node}-{++_sequence}";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Analytics could not be written; {Batches} batches kept to try again")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception, int batches);

    [LoggerMessage(Level = LogLevel.Error, Message = "Analytics store away too long: dropped the {Batches} oldest unwritten batches")]
    private static partial void LogDropped(ILogger logger, int batches);
}
