using Workforce.Core.Analytics;
using Workforce.Core.Storage;

namespace Workforce.Core.Usage;

/// <summary>A batch of one tenant's API calls counted by one node; its id (node and sequence) makes a retried flush count once.</summary>
public sealed record ApiCallBatch(string TenantId, string Id, long Calls, DateTimeOffset FirstCallAt);

/// <summary>Meters batches of API calls: counting every call in its own transaction would double the write load.</summary>
/// <remarks>A metered batch also counts in the tenant's analytics, once it is written.</remarks>
public sealed class MeterApiCalls(IWorkforceStore store, AnalyticsRecorder analytics)
{
    public async Task ExecuteAsync(ApiCallBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        await store.TransactAsync(batch.TenantId, tx =>
        {
            tx.Meter(new UsageEvent($"api:{batch.Id}", Meter.ApiCalls, batch.Calls, batch.FirstCallAt));
            return ValueTask.FromResult(true);
        }, cancellationToken);
        analytics.RecordApiCalls(batch.TenantId, batch.Calls, batch.FirstCallAt);
    }
}
