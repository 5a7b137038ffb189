using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using Workforce.Core.Analytics;
using ETag = Azure.ETag;

namespace Workforce.Storage.Azure.Tables;

/// <summary>
/// <see cref="IAnalyticsStore"/> on Tables (keys in <see cref="AnalyticsKeys"/>). A batch touches a few rollup
/// partitions (its minutes' day, its hours' month); each is written in entity-group transactions of at most 99
/// rollups and one marker of the batch, so a retried batch skips the transactions that committed before and counts
/// once. Rollups are merged optimistically: read, merged, replaced on their ETag, and read again on a conflict.
/// Samples are upserted (their key is their time, so a repeat writes the same row) into a table of their own.
/// </summary>
internal sealed class AzureAnalyticsStore(AzureStorage storage, TimeProvider clock) : IAnalyticsStore
{
    private const int MaxAttempts = 10;
    private const int RollupsPerTransaction = TableActions.MaxOperations - 1;

    /// <summary>
    /// How far before the cutoff <see cref="PurgeSamplesAsync"/> looks for batch markers: old markers are deleted a
    /// few partitions at a time as the cutoff passes them, and those older still go with their partition's rollups.
    /// </summary>
    private static readonly TimeSpan MinuteMarkerLookback = TimeSpan.FromDays(2);

    private static readonly TimeSpan HourMarkerLookback = TimeSpan.FromDays(62);

    private TableClient Rollups => storage.Analytics;

    private TableClient Samples => storage.AgentSamples;

    public async Task ApplyAsync(AnalyticsBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var partitions = batch.Rollups
            .GroupBy(r => (r.Resolution, Key: AnalyticsKeys.Partition(batch.TenantId, r.Resolution, r.Start)))
            .OrderBy(p => p.Key.Key, StringComparer.Ordinal);
        foreach (var partition in partitions)
        {
            // One transaction may not touch a row twice: rollups of one key are added together first, into copies.
            var rollups = partition
                .GroupBy(r => AnalyticsKeys.Rollup(r.Start, r.Series))
                .Select(same => (RowKey: same.Key, Rollup: same.First() with { Values = Sum(same) }))
                .OrderBy(r => r.RowKey, StringComparer.Ordinal)
                .ToList();
            var age = rollups.Max(r => r.Rollup.Start + AnalyticsRollup.LengthOf(r.Rollup.Resolution));
            var first = rollups[0].Rollup;
            // Indexed before anything is written to it, so a purge finds every partition that holds rows.
            var index = new TableEntity(AnalyticsKeys.IndexPartition(first.Resolution), AnalyticsKeys.IndexRow(first.Resolution, first.Start, batch.TenantId));
            index.Set("Partition", partition.Key.Key);
            index.Set("PeriodStart", AnalyticsKeys.PeriodStart(first.Resolution, first.Start).UtcTicks);
            await Rollups.UpsertEntityAsync(index, TableUpdateMode.Replace, cancellationToken);
            for (var chunk = 0; chunk * RollupsPerTransaction < rollups.Count; chunk++)
            {
                var marker = AnalyticsKeys.Marker(age, batch.Id, chunk);
                await ApplyChunkAsync(partition.Key.Key, marker, rollups.Skip(chunk * RollupsPerTransaction).Take(RollupsPerTransaction).ToList(), cancellationToken);
            }
        }

        foreach (var agent in batch.AgentSamples.GroupBy(s => AnalyticsKeys.SamplePartition(batch.TenantId, s.AgentId)))
        {
            var rows = agent.DistinctBy(s => s.At.UtcTicks).Select(s => TableActions.Upsert(SampleRow(agent.Key, s))).ToList();
            foreach (var chunk in rows.Chunk(TableActions.MaxOperations))
            {
                await Samples.SubmitTransactionAsync(chunk, cancellationToken);
            }
        }
    }

    public async IAsyncEnumerable<AnalyticsRollup> ReadRollupsAsync(
        string tenantId, RollupResolution resolution, string seriesPrefix, DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(seriesPrefix);
        for (var period = AnalyticsKeys.PeriodStart(resolution, from); period < to; period = AnalyticsKeys.NextPeriod(resolution, period))
        {
            var filter = TableFilter.RowsBetween(AnalyticsKeys.Partition(tenantId, resolution, period), AnalyticsKeys.Time(from), AnalyticsKeys.Time(to));
            if (seriesPrefix.Length > 0)
            {
                var after = seriesPrefix[..^1] + (char)(seriesPrefix[^1] + 1);
                filter = TableFilter.And(filter, TableClient.CreateQueryFilter($"Series ge {seriesPrefix} and Series lt {after}"));
            }

            await foreach (var row in Rollups.QueryAllAsync(filter, cancellationToken))
            {
                if (row.GetString("Series") is { } series && series.StartsWith(seriesPrefix, StringComparison.Ordinal))
                {
                    yield return new AnalyticsRollup(series, resolution, new DateTimeOffset(row.GetInt64("Start")!.Value, TimeSpan.Zero), RollupValues.FromJson(row.GetLargeText("Values")!));
                }
            }
        }
    }

    public async IAsyncEnumerable<AgentSample> ReadAgentSamplesAsync(
        string tenantId, Guid agentId, DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var filter = TableFilter.RowsBetween(AnalyticsKeys.SamplePartition(tenantId, agentId), AnalyticsKeys.Time(from), AnalyticsKeys.Time(to));
        await foreach (var row in Samples.QueryAllAsync(filter, cancellationToken))
        {
            yield return new AgentSample(
                agentId, new DateTimeOffset(row.GetInt64("At")!.Value, TimeSpan.Zero), row.GetNumber("CpuPercent") ?? 0, row.GetNumber("MemoryMb") ?? 0, (int)(row.GetNumber("Threads") ?? 0));
        }
    }

    /// <summary>
    /// Visits the indexed partitions of periods up to the cutoff's, oldest first, and deletes their rollups that
    /// started before it. A partition whose whole period is past the cutoff goes entirely, its markers and index row too.
    /// </summary>
    public async Task<int> PurgeRollupsAsync(RollupResolution resolution, DateTimeOffset before, int limit, CancellationToken cancellationToken = default)
    {
        var purged = 0;
        var indexPartition = AnalyticsKeys.IndexPartition(resolution);
        var indexRows = TableClient.CreateQueryFilter($"PartitionKey eq {indexPartition} and RowKey lt {AnalyticsKeys.AfterPeriod(resolution, before)}");
        await foreach (var index in Rollups.QueryAllAsync(indexRows, cancellationToken))
        {
            if (purged >= limit)
            {
                break;
            }

            var partition = index.GetString("Partition")!;
            var deleted = await DeleteAsync(Rollups, TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey lt {AnalyticsKeys.Time(before)}"), limit - purged, cancellationToken);
            purged += deleted;
            var wholePeriodPast = AnalyticsKeys.NextPeriod(resolution, new DateTimeOffset(index.GetInt64("PeriodStart")!.Value, TimeSpan.Zero)) <= before;
            if (purged < limit && wholePeriodPast)
            {
                await DeleteAsync(Rollups, TableFilter.Partition(partition), int.MaxValue, cancellationToken);
                await DeleteRowsAsync(Rollups, indexPartition, [index.RowKey], cancellationToken);
            }
        }

        return purged;
    }

    /// <summary>
    /// Samples, across agents: the table holds only the retention window and what is due for purging, so a scan of
    /// it filtered on the stored sample time is bounded by that. The stored time, not the service's Timestamp: a
    /// sample can be written late (a retried flush) and is as old as when it was taken. Then the markers of applied
    /// batches, with what is left of the limit, in the partitions of the periods just before the cutoff.
    /// </summary>
    public async Task<int> PurgeSamplesAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken = default)
    {
        var purged = await DeleteAsync(Samples, TableFilter.Below("At", before.UtcTicks), limit, cancellationToken);
        foreach (var (resolution, lookback) in new[] { (RollupResolution.Minute, MinuteMarkerLookback), (RollupResolution.Hour, HourMarkerLookback) })
        {
            var indexRows = TableClient.CreateQueryFilter(
                $"PartitionKey eq {AnalyticsKeys.IndexPartition(resolution)} and RowKey ge {AnalyticsKeys.Period(resolution, before - lookback)} and RowKey lt {AnalyticsKeys.AfterPeriod(resolution, before)}");
            await foreach (var index in Rollups.QueryAllAsync(indexRows, cancellationToken))
            {
                if (purged >= limit)
                {
                    return purged;
                }

                var markers = TableFilter.RowsBetween(index.GetString("Partition")!, AnalyticsKeys.MarkerPrefix, AnalyticsKeys.MarkerPrefix + AnalyticsKeys.Time(before));
                purged += await DeleteAsync(Rollups, markers, limit - purged, cancellationToken);
            }
        }

        return purged;
    }

    private async Task ApplyChunkAsync(string partition, string marker, List<(string RowKey, AnalyticsRollup Rollup)> rollups, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await Rollups.FindAsync(partition, marker, cancellationToken) is not null)
            {
                return;
            }

            var stored = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
            foreach (var start in rollups.Select(r => r.Rollup.Start).Distinct())
            {
                var time = AnalyticsKeys.Time(start);
                await foreach (var row in Rollups.QueryAllAsync(TableFilter.RowsBetween(partition, time + "|", time + "}"), cancellationToken))
                {
                    stored[row.RowKey] = row;
                }
            }

            var actions = new List<TableTransactionAction>(rollups.Count + 1) { TableActions.Insert(new TableEntity(partition, marker)) };
            foreach (var (rowKey, rollup) in rollups)
            {
                if (stored.TryGetValue(rowKey, out var row))
                {
                    var values = RollupValues.FromJson(row.GetLargeText("Values")!);
                    values.Merge(rollup.Values);
                    actions.Add(TableActions.Replace(RollupRow(partition, rowKey, rollup, values), row.ETag));
                }
                else
                {
                    actions.Add(TableActions.Insert(RollupRow(partition, rowKey, rollup, rollup.Values)));
                }
            }

            try
            {
                await Rollups.SubmitTransactionAsync(actions, cancellationToken);
                return;
            }
            catch (TableTransactionFailedException e) when (e.IsConflict() && attempt < MaxAttempts)
            {
                // Another node merged into the same rollups meanwhile (or applied this very batch): read again.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10 * attempt)), clock, cancellationToken);
            }
        }
    }

    /// <summary>Deletes up to <paramref name="limit"/> rows the filter matches, a partition's transaction at a time.</summary>
    private static async Task<int> DeleteAsync(TableClient table, string filter, int limit, CancellationToken cancellationToken)
    {
        var deleted = 0;
        string? next = null;
        while (deleted < limit)
        {
            var size = Math.Min(limit - deleted, TableReads.MaxPageSize);
            var page = await table.QueryPageAsync(filter, size, next, cancellationToken, select: ["PartitionKey", "RowKey"]);
            foreach (var partition in page.Entities.GroupBy(e => e.PartitionKey))
            {
                deleted += await DeleteRowsAsync(table, partition.Key, [.. partition.Select(e => e.RowKey)], cancellationToken);
            }

            // A full page may have more after it; the rows it held are gone, so then the query starts over.
            if ((next = page.Continuation) is null && page.Entities.Count < size)
            {
                break;
            }
        }

        return deleted;
    }

    /// <returns>How many were deleted: a chunk that another purge deleted meanwhile counts as none.</returns>
    private static async Task<int> DeleteRowsAsync(TableClient table, string partitionKey, IReadOnlyList<string> rowKeys, CancellationToken cancellationToken)
    {
        var deleted = 0;
        foreach (var chunk in rowKeys.Chunk(TableActions.MaxOperations))
        {
            try
            {
                await table.SubmitTransactionAsync([.. chunk.Select(rowKey => TableActions.Delete(partitionKey, rowKey, ETag.All))], cancellationToken);
                deleted += chunk.Length;
            }
            catch (TableTransactionFailedException e) when (e.Status == 404)
            {
            }
        }

        return deleted;
    }

    private static RollupValues Sum(IEnumerable<AnalyticsRollup> rollups)
    {
        var sum = new RollupValues();
        foreach (var rollup in rollups)
        {
            sum.Merge(rollup.Values);
        }

        return sum;
    }

    private static TableEntity RollupRow(string partition, string rowKey, AnalyticsRollup rollup, RollupValues values)
    {
        var row = new TableEntity(partition, rowKey);
        row.Set("Series", rollup.Series);
        row.Set("Start", rollup.Start.UtcTicks);
        row.SetLargeText("Values", values.ToJson());
        return row;
    }

    private static TableEntity SampleRow(string partition, AgentSample sample)
    {
        var row = new TableEntity(partition, AnalyticsKeys.Time(sample.At));
        row.Set("At", sample.At.UtcTicks);
        row.Set("CpuPercent", sample.CpuPercent);
        row.Set("MemoryMb", sample.MemoryMb);
        row.Set("Threads", sample.ThreadCount);
        return row;
    }
}
