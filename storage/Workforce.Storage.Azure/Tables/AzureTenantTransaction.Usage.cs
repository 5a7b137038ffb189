using Azure;
using Azure.Data.Tables;
using Workforce.Core.Notifications;
using Workforce.Core.Subscriptions;
using Workforce.Core.Usage;

namespace Workforce.Storage.Azure.Tables;

/// <summary>A usage event the commit would insert is already kept: it was metered before, and must not count again.</summary>
internal sealed class UsageAlreadyMeteredException(string rowKey, Exception inner) : Exception($"The usage event {rowKey} is already kept.", inner)
{
    public string RowKey { get; } = rowKey;
}

/// <summary>
/// Subscriptions and metering in the tenant's partition. The subscription lives on the tenant row; each period's
/// counters are one row, and each event a row of its own, all in the commit's entity-group transaction: the counter
/// row is conditional on the ETag it was read with, so concurrent admissions at a limit conflict and run again on
/// fresh counts, and an event row inserted a second time fails the commit, which then runs again without it.
/// </summary>
internal sealed partial class AzureTenantTransaction
{
    private readonly Dictionary<DateTimeOffset, StoredUsage> _usage = [];
    private readonly Dictionary<string, UsageEvent> _metered = new(StringComparer.Ordinal);
    private TableEntity? _tenantRow;
    private Subscription? _subscription;
    private bool _subscriptionChanged;

    public async ValueTask<Subscription> FindSubscriptionAsync()
    {
        if (_subscription is null)
        {
            _tenantRow = await Table.FindAsync(tenantId, RowKeys.Tenant, cancellationToken);
            _subscription = _tenantRow is null ? metering.DefaultSubscription(tenantId, clock.GetUtcNow())
                : TableRows.Subscription(_tenantRow) ?? metering.DefaultSubscription(tenantId, TableRows.Tenant(_tenantRow).CreatedAt);
        }

        return _subscription;
    }

    public void Save(Subscription subscription)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        EnsureSameTenant(subscription.TenantId);
        if (_subscription is null)
        {
            throw new InvalidOperationException("Read the subscription before saving it: the commit is conditional on the row it was read from.");
        }

        (_subscription, _subscriptionChanged) = (subscription, true);
    }

    public async ValueTask<PeriodUsage> FindUsageAsync(DateTimeOffset periodStart) => (await ReadUsageAsync(periodStart)).Usage;

    /// <summary>Collected, and counted when the transaction commits: the counters are read then, with their ETags.</summary>
    public void Meter(UsageEvent usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        var rowKey = RowKeys.UsageEvent(usage.OccurredAt, usage.Id);
        if (metering.Options.Metering && !meteredBefore.Contains(rowKey))
        {
            _metered.TryAdd(rowKey, usage);
        }
    }

    private async ValueTask<StoredUsage> ReadUsageAsync(DateTimeOffset periodStart)
    {
        if (!_usage.TryGetValue(periodStart, out var stored))
        {
            var latest = await Table.FindLatestUsageAsync(tenantId, periodStart, cancellationToken);
            var own = latest?.RowKey == RowKeys.Usage(periodStart);
            stored = new StoredUsage(TableRows.UsageAt(periodStart, latest), own ? latest!.ETag : null, Changed: false);
            _usage[periodStart] = stored;
        }

        return stored;
    }

    /// <summary>Counts the collected events into their periods' counters and returns the rows to write with the commit.</summary>
    private async Task<OperationGroup?> UsageOperationsAsync()
    {
        var now = clock.GetUtcNow();
        foreach (var usage in _metered.Values)
        {
            var subscription = await FindSubscriptionAsync();
            var periodStart = metering.PeriodOf(subscription, usage, now);
            var before = await ReadUsageAsync(periodStart);
            var after = before.Usage.Add(usage.Meter, usage.Quantity);
            _usage[periodStart] = before with { Usage = after, Changed = true };
            foreach (var notice in metering.Notices(subscription, usage.Meter, before.Usage, after, now))
            {
                // The warning is an event of the notification catalogue, raised in the commit that crossed the threshold.
                    this.Raise(NotificationEvents.OfQuota(notice));
            }
        }

        var operations = new List<TableTransactionAction>();
        operations.AddRange(_usage.Values.Where(u => u.Changed).Select(u => u.ETag is { } etag
            ? TableActions.Replace(TableRows.Usage(tenantId, u.Usage), etag)
            : TableActions.Insert(TableRows.Usage(tenantId, u.Usage))));
        operations.AddRange(_metered.Values.Select(u => TableActions.Insert(TableRows.UsageEvent(tenantId, u))));
        if (_subscriptionChanged)
        {
            operations.Add(_tenantRow is null
                ? TableActions.Insert(TableRows.Tenant(new Core.Tenants.Tenant(tenantId, tenantId, _subscription!.AnchoredAt), _subscription))
                : TableActions.Replace(TableRows.Tenant(TableRows.Tenant(_tenantRow), _subscription!), _tenantRow.ETag));
        }

        return operations.Count == 0 ? null : new OperationGroup(operations, 0);
    }

    private static bool IsUsageEventKept(TableTransactionFailedException e, IReadOnlyList<TableTransactionAction> operations, out string rowKey)
    {
        var failed = e.FailedTransactionActionIndex is { } index && index < operations.Count ? operations[index] : null;
        rowKey = failed?.Entity.RowKey ?? "";
        return e.Status == 409 && failed is { ActionType: TableTransactionActionType.Add } && rowKey.StartsWith(RowKeys.UsageEventPrefix, StringComparison.Ordinal);
    }

    /// <summary>A period's counters as read (no ETag: the row does not exist yet), and whether this transaction changed them.</summary>
    private sealed record StoredUsage(PeriodUsage Usage, ETag? ETag, bool Changed);
}
