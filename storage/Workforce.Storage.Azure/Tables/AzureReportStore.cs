using System.Globalization;
using Azure.Data.Tables;
using Workforce.Core.Reports;
using Workforce.Core.Storage;
using ETag = Azure.ETag;
using RequestFailedException = Azure.RequestFailedException;

namespace Workforce.Storage.Azure.Tables;

/// <summary>
/// <see cref="IReportStore"/> on Tables, kept whole as JSON. In a tenant's partition: each report, a copy of it in
/// newest-first key order for the list, and each schedule. Two index partitions find rows across tenants: reports by
/// creation time (for purging) and schedules by next run (for the due query). An index row is written before the
/// row it points at and removed after, so a crash leaves a stray index row, never an unindexed row; readers check
/// each index row against its target and skip a stray one.
/// </summary>
internal sealed class AzureReportStore(AzureStorage storage, TimeProvider clock) : IReportStore
{
    private const string ReportPrefix = "rept_";
    private const string ListPrefix = "rlst_";
    private const string SchedulePrefix = "rsch_";

    /// <summary>Tenant ids are never of this form (only the platform's pseudo-tenant starts with '_').</summary>
    private const string AgeIndex = "_report_age";

    private const string DueIndex = "_report_due";

    /// <summary>A stray index row older than this is deleted when found: a save in progress finishes well within it.</summary>
    private static readonly TimeSpan StrayAfter = TimeSpan.FromMinutes(5);

    private TableClient Table => storage.Reports;

    public async Task SaveAsync(Report report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        var existing = await Table.FindAsync(report.TenantId, ReportPrefix + report.Id, cancellationToken);
        var previousCreated = existing?.GetInt64("CreatedAt");
        var moved = previousCreated is { } ticks && ticks != report.CreatedAt.UtcTicks;
        if (previousCreated is null || moved)
        {
            await Table.UpsertEntityAsync(IndexRow(AgeIndex, report.CreatedAt, report.TenantId, report.Id), TableUpdateMode.Replace, cancellationToken);
        }

        var body = StoredJson.Serialize(report);
        List<TableTransactionAction> actions =
        [
            TableActions.Upsert(BodyRow(report.TenantId, ReportPrefix + report.Id, body, report.CreatedAt)),
            TableActions.Upsert(BodyRow(report.TenantId, ListKey(report.CreatedAt, report.Id), body, report.CreatedAt)),
        ];
        if (moved)
        {
            actions.Add(TableActions.Delete(report.TenantId, ListKey(Time(previousCreated!.Value), report.Id), ETag.All));
        }

        await Table.SubmitTransactionAsync(actions, cancellationToken);
        if (moved)
        {
            await DeleteIfExistsAsync(AgeIndex, IndexKey(Time(previousCreated!.Value), report.TenantId, report.Id), cancellationToken);
        }
    }

    public async Task<Report?> FindAsync(string tenantId, string reportId, CancellationToken cancellationToken = default) =>
        await Table.FindAsync(tenantId, ReportPrefix + reportId, cancellationToken) is { } row ? StoredJson.Deserialize<Report>(row.GetLargeText("Body")!) : null;

    /// <summary>The list copies in key order; the cursor is the row key of the last one shown.</summary>
    public async Task<Core.Storage.Page<Report>> ListAsync(string tenantId, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(page);
        var filter = TableFilter.RowsStartingWith(tenantId, ListPrefix);
        if (page.Cursor is { } cursor)
        {
            var after = PageCursors.Decode("reports", cursor);
            filter = after.StartsWith(ListPrefix, StringComparison.Ordinal)
                ? TableFilter.And(filter, TableClient.CreateQueryFilter($"RowKey gt {after}"))
                : throw new InvalidCursorException("The cursor is not valid.");
        }

        var rows = new List<TableEntity>(page.Limit + 1);
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, Math.Min(page.Limit + 1, TableReads.MaxPageSize), cancellationToken: cancellationToken))
        {
            rows.Add(row);
            if (rows.Count > page.Limit)
            {
                break;
            }
        }

        var reports = rows.Take(page.Limit).Select(row => StoredJson.Deserialize<Report>(row.GetLargeText("Body")!)).ToList();
        return new Core.Storage.Page<Report>(reports, rows.Count > page.Limit ? PageCursors.Encode("reports", rows[page.Limit - 1].RowKey) : null);
    }

    /// <summary>Oldest first through the age index: each report goes with its list copy, then its index row.</summary>
    public async Task<IReadOnlyList<Report>> PurgeAsync(DateTimeOffset createdBefore, int limit, CancellationToken cancellationToken = default)
    {
        var purged = new List<Report>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {AgeIndex} and RowKey lt {Ticks(createdBefore)}");
        await foreach (var index in Table.QueryAsync<TableEntity>(filter, Math.Min(limit, TableReads.MaxPageSize), cancellationToken: cancellationToken))
        {
            if (purged.Count >= limit)
            {
                break;
            }

            var (tenantId, reportId) = (index.GetString("TenantId")!, index.GetString("Id")!);
            if (await Table.FindAsync(tenantId, ReportPrefix + reportId, cancellationToken) is { } row
                && row.GetInt64("CreatedAt") == index.GetInt64("At"))
            {
                try
                {
                    await Table.SubmitTransactionAsync(
                        [TableActions.Delete(tenantId, row.RowKey, row.ETag), TableActions.Delete(tenantId, ListKey(Time(index.GetInt64("At")!.Value), reportId), ETag.All)],
                        cancellationToken);
                    purged.Add(StoredJson.Deserialize<Report>(row.GetLargeText("Body")!));
                }
                catch (TableTransactionFailedException e) when (e.IsConflict())
                {
                    // Saved or purged meanwhile: left to the next purge.
                    continue;
                }
            }
            else if (!IsStray(index))
            {
                continue;
            }

            await DeleteIfExistsAsync(AgeIndex, index.RowKey, cancellationToken);
        }

        return purged;
    }

    public async Task SaveAsync(ReportSchedule schedule, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var existing = await Table.FindAsync(schedule.TenantId, SchedulePrefix + schedule.Id, cancellationToken);
        var previousNext = existing?.GetInt64("NextRunAt");
        if (previousNext != schedule.NextRunAt.UtcTicks)
        {
            await Table.UpsertEntityAsync(IndexRow(DueIndex, schedule.NextRunAt, schedule.TenantId, schedule.Id), TableUpdateMode.Replace, cancellationToken);
        }

        var row = BodyRow(schedule.TenantId, SchedulePrefix + schedule.Id, StoredJson.Serialize(schedule), schedule.CreatedAt);
        row.Set("NextRunAt", schedule.NextRunAt.UtcTicks);
        await Table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
        if (previousNext is { } ticks && ticks != schedule.NextRunAt.UtcTicks)
        {
            await DeleteIfExistsAsync(DueIndex, IndexKey(Time(ticks), schedule.TenantId, schedule.Id), cancellationToken);
        }
    }

    public async Task<ReportSchedule?> FindScheduleAsync(string tenantId, string scheduleId, CancellationToken cancellationToken = default) =>
        await Table.FindAsync(tenantId, SchedulePrefix + scheduleId, cancellationToken) is { } row ? Schedule(row) : null;

    public async Task<IReadOnlyList<ReportSchedule>> ListSchedulesAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        var schedules = new List<ReportSchedule>();
        await foreach (var row in Table.QueryAllAsync(TableFilter.RowsStartingWith(tenantId, SchedulePrefix), cancellationToken))
        {
            schedules.Add(Schedule(row));
        }

        return [.. schedules.OrderBy(s => s.CreatedAt).ThenBy(s => s.Id, StringComparer.Ordinal)];
    }

    public async Task<bool> RemoveScheduleAsync(string tenantId, string scheduleId, CancellationToken cancellationToken = default)
    {
        if (await Table.FindAsync(tenantId, SchedulePrefix + scheduleId, cancellationToken) is not { } row)
        {
            return false;
        }

        try
        {
            await Table.DeleteEntityAsync(tenantId, row.RowKey, ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }

        await DeleteIfExistsAsync(DueIndex, IndexKey(Time(row.GetInt64("NextRunAt")!.Value), tenantId, scheduleId), cancellationToken);
        return true;
    }

    /// <summary>The due index in key order (next run, then tenant and id), each row checked against its schedule.</summary>
    public async Task<IReadOnlyList<ReportSchedule>> FindDueSchedulesAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        var due = new List<ReportSchedule>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {DueIndex} and RowKey lt {Ticks(now.AddTicks(1))}");
        await foreach (var index in Table.QueryAsync<TableEntity>(filter, Math.Min(limit, TableReads.MaxPageSize), cancellationToken: cancellationToken))
        {
            if (due.Count >= limit)
            {
                break;
            }

            var schedule = await FindScheduleAsync(index.GetString("TenantId")!, index.GetString("Id")!, cancellationToken);
            if (schedule is not null && schedule.NextRunAt.UtcTicks == index.GetInt64("At"))
            {
                due.Add(schedule);
            }
            else if (IsStray(index))
            {
                await DeleteIfExistsAsync(DueIndex, index.RowKey, cancellationToken);
            }
        }

        return due;
    }

    private bool IsStray(TableEntity index) => index.Timestamp is { } written && written < clock.GetUtcNow() - StrayAfter;

    private async Task DeleteIfExistsAsync(string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        try
        {
            await Table.DeleteEntityAsync(partitionKey, rowKey, ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
    }

    private static ReportSchedule Schedule(TableEntity row) => StoredJson.Deserialize<ReportSchedule>(row.GetLargeText("Body")!);

    private static TableEntity BodyRow(string tenantId, string rowKey, string body, DateTimeOffset createdAt)
    {
        var row = new TableEntity(tenantId, rowKey);
        row.Set("CreatedAt", createdAt.UtcTicks);
        row.SetLargeText("Body", body);
        return row;
    }

    private static TableEntity IndexRow(string partition, DateTimeOffset at, string tenantId, string id)
    {
        var row = new TableEntity(partition, IndexKey(at, tenantId, id));
        row.Set("At", at.UtcTicks);
        row.Set("TenantId", tenantId);
        row.Set("Id", id);
        return row;
    }

    /// <summary>Time first, so a cutoff is a key range; tenant ids and report ids hold no bar.</summary>
    private static string IndexKey(DateTimeOffset at, string tenantId, string id) => $"{Ticks(at)}|{tenantId}|{id}";

    /// <summary>Newest first, then by id.</summary>
    private static string ListKey(DateTimeOffset createdAt, string id) =>
        ListPrefix + (long.MaxValue - createdAt.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "_" + id;

    private static string Ticks(DateTimeOffset at) => at.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);

    private static DateTimeOffset Time(long ticks) => new(ticks, TimeSpan.Zero);
}
