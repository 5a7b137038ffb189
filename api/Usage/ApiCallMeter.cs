using System.Collections.Concurrent;
using Workforce.Core;
using Workforce.Core.Metrics;
using Workforce.Core.Plans;
using Workforce.Core.Storage;
using Workforce.Core.Subscriptions;
using Workforce.Core.Usage;

namespace Workforce.Api.Usage;

/// <summary>
/// Counts a node's authenticated API calls per tenant and admits them against the tenant's quota. Counting every
/// call in a transaction of its own would double the write load, so calls are counted here and written in batches
/// (<see cref="FlushAsync"/>, about once a second): the check reads the tenant's counters as of the last flush plus
/// what this node counted since, so a node never admits past the limit on its own; nodes together may overshoot by
/// what the others counted in their last second. A kill -9 loses at most that last second of counts, in the
/// tenant's favour; a flush that fails is retried under the same batch id, so it never counts twice.
/// </summary>
public sealed class ApiCallMeter(IWorkforceStore store, MeterApiCalls meterApiCalls, UsageMetering metering, TimeProvider clock, WorkforceMeter? meter = null)
{
    private readonly ConcurrentDictionary<string, TenantCalls> _tenants = new(StringComparer.Ordinal);
    private readonly string _node = Guid.NewGuid().ToString("N")[..12];
    private long _nextBatch;

    /// <summary>How long the tenant's counters as read stay the basis of admission.</summary>
    public static TimeSpan RefreshInterval { get; } = TimeSpan.FromSeconds(1);

    /// <summary>Counts the call, unless the tenant's API calls are used up.</summary>
    /// <returns>The refusal, or null when the call is admitted and counted.</returns>
    public async ValueTask<QuotaRefusal?> AdmitAsync(Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!metering.Options.Metering)
        {
            return null;
        }

        var calls = _tenants.GetOrAdd(caller.TenantId, _ => new TenantCalls());
        var now = clock.GetUtcNow();
        var basis = calls.Basis;
        if (basis is null || now - basis.ReadAt >= RefreshInterval)
        {
            await RefreshAsync(caller.TenantId, calls, cancellationToken);
            basis = calls.Basis!;
        }

        lock (calls)
        {
            var usage = basis.Usage with { ApiCalls = basis.Usage.ApiCalls + calls.SinceRead };
            if (basis.Subscription.Admit(basis.Plan, usage, Meter.ApiCalls, 1, now) is { } refusal)
            {
                return refusal;
            }

            calls.SinceRead++;
            calls.Unflushed++;
            calls.FirstUnflushedAt ??= now;
            return null;
        }
    }

    /// <summary>Reads the tenant's subscription afresh at its next call: it changed on this node, and must apply at once.</summary>
    public void Invalidate(string tenantId)
    {
        if (_tenants.TryGetValue(tenantId, out var calls))
        {
            lock (calls)
            {
                calls.Basis = null;
            }
        }
    }

    /// <summary>
    /// The tenant's plan and counters as this node last read them, with its own calls since, for the RateLimit
    /// headers; null before the tenant's first call here.
    /// </summary>
    public QuotaStanding? LastKnown(string tenantId)
    {
        if (!_tenants.TryGetValue(tenantId, out var calls) || calls.Basis is not { } basis)
        {
            return null;
        }

        return new QuotaStanding(basis.Plan, basis.Usage with { ApiCalls = basis.Usage.ApiCalls + calls.SinceRead }, basis.Subscription.PeriodContaining(basis.ReadAt));
    }

    /// <summary>Writes each tenant's calls counted since the last flush as one batch; a batch that fails stays and is retried under its id.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        foreach (var (tenantId, calls) in _tenants)
        {
            ApiCallBatch? batch;
            lock (calls)
            {
                if (calls.Retrying is null && calls.Unflushed > 0)
                {
                    calls.Retrying = new ApiCallBatch(tenantId, $"{_node}:{Interlocked.Increment(ref _nextBatch)}", calls.Unflushed, calls.FirstUnflushedAt!.Value);
                    (calls.Unflushed, calls.FirstUnflushedAt) = (0, null);
                }

                batch = calls.Retrying;
            }

            if (batch is null)
            {
                continue;
            }

            await meterApiCalls.ExecuteAsync(batch, cancellationToken);
            meter?.RecordBatch(Batches.ApiCalls, (int)Math.Min(batch.Calls, int.MaxValue));
            lock (calls)
            {
                calls.Retrying = null;
            }
        }
    }

    private async Task RefreshAsync(string tenantId, TenantCalls calls, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var subscription = await store.FindSubscriptionAsync(tenantId, cancellationToken) ?? metering.DefaultSubscription(tenantId, now);
        var usage = await store.FindUsageAsync(tenantId, subscription.PeriodContaining(now).Start, cancellationToken);
        lock (calls)
        {
            // What is not yet flushed is in no counter the read saw; what was flushed since the last read is.
            calls.SinceRead = calls.Unflushed + (calls.Retrying?.Calls ?? 0);
            calls.Basis = new Basis(subscription, subscription.PlanAt(now, metering.Plans), usage, now);
        }
    }

    private sealed record Basis(Subscription Subscription, Plan Plan, PeriodUsage Usage, DateTimeOffset ReadAt);

    private sealed class TenantCalls
    {
        public Basis? Basis { get; set; }

        /// <summary>Calls counted since <see cref="Basis"/> was read, which its counters do not hold.</summary>
        public long SinceRead { get; set; }

        public long Unflushed { get; set; }

        public DateTimeOffset? FirstUnflushedAt { get; set; }

        /// <summary>A batch taken for writing and not yet written.</summary>
        public ApiCallBatch? Retrying { get; set; }
    }
}
