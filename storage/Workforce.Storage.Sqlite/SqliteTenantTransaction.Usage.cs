using Workforce.Core.Notifications;
using Workforce.Core.Storage;
using Workforce.Core.Subscriptions;
using Workforce.Core.Usage;

namespace Workforce.Storage.Sqlite;

/// <summary>
/// Subscriptions and metering inside the transaction: an event is a row inserted once (its id is the primary key),
/// and only an event inserted now moves its period's counters, so a retried or replayed event counts once. The
/// counters are written once per transaction, however many events it meters (<see cref="WriteCounters"/>).
/// </summary>
internal sealed partial class SqliteTenantTransaction
{
    private readonly Dictionary<DateTimeOffset, PeriodUsage> _usage = [];
    private readonly HashSet<DateTimeOffset> _changedPeriods = [];
    private long _storageDelta;
    private Subscription? _subscription;

    public ValueTask<Subscription> FindSubscriptionAsync() => ValueTask.FromResult(Subscription());

    public ValueTask<PeriodUsage> FindUsageAsync(DateTimeOffset periodStart) => ValueTask.FromResult(Usage(periodStart));

    private Subscription Subscription()
    {
        if (_subscription is null)
        {
            var command = commands.Get(Sql.FindSubscription);
            command.Parameters.AddWithValue("$tenant", tenantId);
            using var reader = command.ExecuteReader();
            _subscription = !reader.Read() ? metering.DefaultSubscription(tenantId, clock.GetUtcNow())
                : reader.IsDBNull(1) ? metering.DefaultSubscription(tenantId, new DateTimeOffset(reader.GetInt64(0), TimeSpan.Zero))
                : StoredJson.Deserialize<Subscription>(reader.GetString(1));
        }

        return _subscription;
    }

    public void Save(Subscription subscription)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        EnsureSameTenant(subscription.TenantId);
        var command = commands.Get(Sql.UpsertSubscription);
        command.Parameters.AddWithValue("$tenant", tenantId);
        command.Parameters.AddWithValue("$body", StoredJson.Serialize(subscription));
        command.ExecuteNonQuery();
        _subscription = subscription;
    }

    private PeriodUsage Usage(DateTimeOffset periodStart)
    {
        if (!_usage.TryGetValue(periodStart, out var usage))
        {
            var command = commands.Get(Sql.FindUsage);
            command.Parameters.AddWithValue("$tenant", tenantId);
            command.Parameters.AddWithValue("$start", periodStart.UtcTicks);
            using var reader = command.ExecuteReader();
            var found = reader.Read();
            var storage = found ? reader.GetInt64(0) : 0;
            usage = found && !reader.IsDBNull(1)
                ? new PeriodUsage(periodStart, reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), storage, Math.Max(storage, reader.GetInt64(4)))
                : PeriodUsage.Empty(periodStart, storage);
            _usage[periodStart] = usage;
        }

        return usage;
    }

    public void Meter(UsageEvent usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        if (!metering.Options.Metering)
        {
            return;
        }

        var insert = commands.Get(Sql.InsertUsageEvent);
        insert.Parameters.AddWithValue("$tenant", tenantId);
        insert.Parameters.AddWithValue("$id", usage.Id);
        insert.Parameters.AddWithValue("$meter", MeterNames.Of(usage.Meter));
        insert.Parameters.AddWithValue("$quantity", usage.Quantity);
        insert.Parameters.AddWithValue("$occurred", usage.OccurredAt.UtcTicks);
        if (insert.ExecuteNonQuery() == 0)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var subscription = Subscription();
        var periodStart = metering.PeriodOf(subscription, usage, now);
        var before = Usage(periodStart);
        var after = before.Add(usage.Meter, usage.Quantity);
        _usage[periodStart] = after;
        _changedPeriods.Add(periodStart);
        _storageDelta += usage.Meter == Core.Usage.Meter.StorageBytes ? usage.Quantity : 0;
        foreach (var notice in metering.Notices(subscription, usage.Meter, before, after, now))
        {
            // The warning is an event of the notification catalogue, raised in the commit that crossed the threshold.
            this.Raise(NotificationEvents.OfQuota(notice));
        }
    }

    /// <summary>Writes the counters the transaction's events moved; the store calls it when the work is done, before the commit.</summary>
    public void WriteCounters()
    {
        foreach (var periodStart in _changedPeriods)
        {
            var usage = _usage[periodStart];
            var counters = commands.Get(Sql.UpsertUsage);
            counters.Parameters.AddWithValue("$tenant", tenantId);
            counters.Parameters.AddWithValue("$start", periodStart.UtcTicks);
            counters.Parameters.AddWithValue("$tasks", usage.Tasks);
            counters.Parameters.AddWithValue("$compute", usage.ComputeSeconds);
            counters.Parameters.AddWithValue("$calls", usage.ApiCalls);
            counters.Parameters.AddWithValue("$peak", usage.StoragePeakBytes);
            counters.ExecuteNonQuery();
        }

        if (_storageDelta != 0)
        {
            var storage = commands.Get(Sql.AddStorage);
            storage.Parameters.AddWithValue("$tenant", tenantId);
            storage.Parameters.AddWithValue("$delta", _storageDelta);
            storage.ExecuteNonQuery();
        }

        _changedPeriods.Clear();
        _storageDelta = 0;
    }
}
