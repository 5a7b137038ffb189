using System.Globalization;
using Azure.Data.Tables;
using Workforce.Core.Analytics;
using Workforce.Core.Forecasting;
using Workforce.Core.Storage;
using ETag = Azure.ETag;
using RequestFailedException = Azure.RequestFailedException;
using Response = Azure.Response;

namespace Workforce.Storage.Azure.Tables;

/// <summary>
/// <see cref="IForecastStore"/> on Tables, every record kept whole as JSON in its tenant's partition, under a key
/// that starts with its kind: versions by series and inverted number (newest first is key order), pointers and
/// forecasts by series, recommendations by capability. An anomaly is two rows written in one transaction: one by
/// series and hour, whose insert fails if the hour is taken (which is how a repeat is caught), and a copy by inverted
/// time and series for the newest-first range read. The index partition <see cref="AgeIndex"/> finds anomalies
/// across tenants by detection time for purging; as in <see cref="AzureReportStore"/>, its row is written before the
/// rows it points at and removed after them, so a crash leaves a stray index row, never an unpurgeable anomaly.
/// </summary>
internal sealed class AzureForecastStore(AzureStorage storage, TimeProvider clock) : IForecastStore
{
    private const string VersionPrefix = "ver_";
    private const string SeriesPrefix = "ser_";
    private const string ForecastPrefix = "fct_";
    private const string RecommendationPrefix = "rec_";
    private const string AnomalyPrefix = "ano_";
    private const string AnomalyListPrefix = "alst_";
    private const string RetrainingProgressKey = "prg_retraining";

    /// <summary>Tenant ids are never of this form (only the platform's pseudo-tenant starts with '_').</summary>
    private const string AgeIndex = "_anomaly_age";

    /// <summary>A stray index row older than this is deleted when found: an add in progress finishes well within it.</summary>
    private static readonly TimeSpan StrayAfter = TimeSpan.FromMinutes(5);

    private TableClient Table => storage.Forecasts;

    public Task SaveAsync(ModelVersion version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentOutOfRangeException.ThrowIfNegative(version.Version);
        return Upsert(version.TenantId, VersionKey(version.Series, version.Version), StoredJson.Serialize(version), cancellationToken);
    }

    public Task<ModelVersion?> FindVersionAsync(string tenantId, string series, int version, CancellationToken cancellationToken = default) =>
        version < 0 ? Task.FromResult<ModelVersion?>(null) : Find<ModelVersion>(tenantId, VersionKey(series, version), cancellationToken);

    public async Task<IReadOnlyList<ModelVersion>> ListVersionsAsync(string tenantId, string series, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return await Take<ModelVersion>(TableFilter.RowsStartingWith(tenantId, VersionsOf(series)), limit, cancellationToken);
    }

    public Task SaveAsync(SeriesModels models, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(models);
        return Upsert(models.TenantId, SeriesPrefix + Escape(models.Series), StoredJson.Serialize(models), cancellationToken);
    }

    public Task<SeriesModels?> FindSeriesAsync(string tenantId, string series, CancellationToken cancellationToken = default) =>
        Find<SeriesModels>(tenantId, SeriesPrefix + Escape(series), cancellationToken);

    /// <summary>Sorted here: escaping moves some characters in key order, and a tenant has few series.</summary>
    public async Task<IReadOnlyList<SeriesModels>> ListSeriesAsync(string tenantId, CancellationToken cancellationToken = default) =>
        [.. (await All<SeriesModels>(tenantId, SeriesPrefix, cancellationToken)).OrderBy(s => s.Series, StringComparer.Ordinal)];

    public Task SaveAsync(SeriesForecast forecast, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(forecast);
        return Upsert(forecast.TenantId, ForecastPrefix + Escape(forecast.Series), StoredJson.Serialize(forecast), cancellationToken);
    }

    public Task<SeriesForecast?> FindForecastAsync(string tenantId, string series, CancellationToken cancellationToken = default) =>
        Find<SeriesForecast>(tenantId, ForecastPrefix + Escape(series), cancellationToken);

    /// <summary>
    /// One by one: a point read skips an hour already taken without writing; otherwise the index row, then the
    /// anomaly's two rows inserted together. An insert that loses a race to another add of the same hour fails whole,
    /// and its index row is removed unless it is the winner's too.
    /// </summary>
    public async Task<IReadOnlyList<RecordedAnomaly>> AddAsync(IReadOnlyList<RecordedAnomaly> anomalies, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(anomalies);
        var added = new List<RecordedAnomaly>();
        foreach (var anomaly in anomalies)
        {
            var key = AnomalyKey(anomaly.Series, anomaly.At);
            if (await Table.FindAsync(anomaly.TenantId, key, cancellationToken) is not null)
            {
                continue;
            }

            var index = new TableEntity(AgeIndex, IndexKey(anomaly.DetectedAt, anomaly.TenantId, anomaly.Series, anomaly.At));
            index.Set("At", anomaly.DetectedAt.UtcTicks);
            index.Set("TenantId", anomaly.TenantId);
            index.Set("Series", anomaly.Series);
            index.Set("Hour", Hour(anomaly.At));
            await Table.UpsertEntityAsync(index, TableUpdateMode.Replace, cancellationToken);

            var body = StoredJson.Serialize(anomaly);
            var row = BodyRow(anomaly.TenantId, key, body);
            row.Set("At", anomaly.At.UtcTicks);
            row.Set("DetectedAt", anomaly.DetectedAt.UtcTicks);
            try
            {
                await Table.SubmitTransactionAsync(
                    [TableActions.Insert(row), TableActions.Insert(BodyRow(anomaly.TenantId, AnomalyListKey(anomaly.At, anomaly.Series), body))],
                    cancellationToken);
                added.Add(anomaly);
            }
            catch (TableTransactionFailedException e) when (e.Status == 409)
            {
                var winner = await Table.FindAsync(anomaly.TenantId, key, cancellationToken);
                if (winner?.GetInt64("DetectedAt") != anomaly.DetectedAt.UtcTicks)
                {
                    await DeleteIfExistsAsync(AgeIndex, index.RowKey, cancellationToken);
                }
            }
        }

        return added;
    }

    /// <summary>The copies in key order: inverted time, so [from, to) is one key range, newest first.</summary>
    public async Task<IReadOnlyList<RecordedAnomaly>> ListAnomaliesAsync(string tenantId, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        if (to <= from)
        {
            return [];
        }

        // The newest included is one tick before `to`; the oldest is `from`, with any series (a bar follows the time, '}' sorts after it).
        var filter = TableFilter.RowsBetween(tenantId, AnomalyListPrefix + Inverted(to.UtcTicks - 1), AnomalyListPrefix + Inverted(from.UtcTicks) + "}");
        return await Take<RecordedAnomaly>(filter, limit, cancellationToken);
    }

    public Task SaveAsync(ScalingRecommendation recommendation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recommendation);
        return Upsert(recommendation.TenantId, RecommendationPrefix + Escape(recommendation.Capability), StoredJson.Serialize(recommendation), cancellationToken);
    }

    public async Task<IReadOnlyList<ScalingRecommendation>> ListRecommendationsAsync(string tenantId, CancellationToken cancellationToken = default) =>
        [.. (await All<ScalingRecommendation>(tenantId, RecommendationPrefix, cancellationToken)).OrderBy(r => r.Capability, StringComparer.Ordinal)];

    public Task<RetrainingProgress?> FindRetrainingProgressAsync(CancellationToken cancellationToken = default) =>
        Find<RetrainingProgress>(AnalyticsSeries.PlatformTenant, RetrainingProgressKey, cancellationToken);

    public Task SaveAsync(RetrainingProgress progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(progress);
        return Upsert(AnalyticsSeries.PlatformTenant, RetrainingProgressKey, StoredJson.Serialize(progress), cancellationToken);
    }

    /// <summary>Oldest detection first through the age index: each anomaly's two rows go together, then its index row.</summary>
    public async Task<int> PurgeAnomaliesAsync(DateTimeOffset detectedBefore, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var purged = 0;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {AgeIndex} and RowKey lt {Ticks(detectedBefore.UtcTicks)}");
        await foreach (var index in Table.QueryAsync<TableEntity>(filter, Math.Min(limit, TableReads.MaxPageSize), cancellationToken: cancellationToken))
        {
            if (purged >= limit)
            {
                break;
            }

            var (tenantId, series, hour) = (index.GetString("TenantId")!, index.GetString("Series")!, index.GetInt64("Hour")!.Value);
            if (await Table.FindAsync(tenantId, AnomalyKey(series, Time(hour)), cancellationToken) is { } row
                && row.GetInt64("DetectedAt") == index.GetInt64("At"))
            {
                try
                {
                    await Table.SubmitTransactionAsync(
                        [TableActions.Delete(tenantId, row.RowKey, row.ETag), TableActions.Delete(tenantId, AnomalyListKey(Time(row.GetInt64("At")!.Value), series), ETag.All)],
                        cancellationToken);
                    purged++;
                }
                catch (TableTransactionFailedException e) when (e.IsConflict())
                {
                    // Purged meanwhile: left to the next purge.
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

    private Task<Response> Upsert(string tenantId, string rowKey, string body, CancellationToken cancellationToken) =>
        Table.UpsertEntityAsync(BodyRow(tenantId, rowKey, body), TableUpdateMode.Replace, cancellationToken);

    private async Task<T?> Find<T>(string tenantId, string rowKey, CancellationToken cancellationToken)
        where T : class =>
        await Table.FindAsync(tenantId, rowKey, cancellationToken) is { } row ? StoredJson.Deserialize<T>(row.GetLargeText("Body")!) : null;

    private async Task<List<T>> All<T>(string tenantId, string prefix, CancellationToken cancellationToken)
    {
        var documents = new List<T>();
        await foreach (var row in Table.QueryAllAsync(TableFilter.RowsStartingWith(tenantId, prefix), cancellationToken))
        {
            documents.Add(StoredJson.Deserialize<T>(row.GetLargeText("Body")!));
        }

        return documents;
    }

    /// <summary>The first <paramref name="limit"/> rows in key order, asking for no more than that.</summary>
    private async Task<List<T>> Take<T>(string filter, int limit, CancellationToken cancellationToken)
    {
        var documents = new List<T>(Math.Min(limit, TableReads.MaxPageSize));
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, Math.Min(limit, TableReads.MaxPageSize), cancellationToken: cancellationToken))
        {
            documents.Add(StoredJson.Deserialize<T>(row.GetLargeText("Body")!));
            if (documents.Count >= limit)
            {
                break;
            }
        }

        return documents;
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

    private static TableEntity BodyRow(string tenantId, string rowKey, string body)
    {
        var row = new TableEntity(tenantId, rowKey);
        row.SetLargeText("Body", body);
        return row;
    }

    /// <summary>The series' versions, one key range: the escaped series holds no bar, so no other series' range overlaps it.</summary>
    private static string VersionsOf(string series) => VersionPrefix + Escape(series) + "|";

    /// <summary>Newest first: the number inverted, zero-padded.</summary>
    private static string VersionKey(string series, int version) =>
        VersionsOf(series) + (int.MaxValue - version).ToString("D10", CultureInfo.InvariantCulture);

    /// <summary>One per series and hour: inserting a second for the hour conflicts.</summary>
    private static string AnomalyKey(string series, DateTimeOffset at) => AnomalyPrefix + Escape(series) + "|" + Ticks(Hour(at));

    private static string AnomalyListKey(DateTimeOffset at, string series) => AnomalyListPrefix + Inverted(at.UtcTicks) + "|" + Escape(series);

    /// <summary>Detection time first, so a cutoff is a key range; tenant ids hold no bar, escaped series neither.</summary>
    private static string IndexKey(DateTimeOffset detectedAt, string tenantId, string series, DateTimeOffset at) =>
        $"{Ticks(detectedAt.UtcTicks)}|{tenantId}|{Escape(series)}|{Ticks(Hour(at))}";

    /// <summary>
    /// Series and capabilities are any text: the characters keys may not hold are escaped as %XX
    /// (<see cref="AnalyticsKeys.Escape"/>, which escapes '%' too), and so is the bar that separates a key's parts.
    /// </summary>
    private static string Escape(string text) => AnalyticsKeys.Escape(text).Replace("|", "%7C", StringComparison.Ordinal);

    private static long Hour(DateTimeOffset at) => at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerHour);

    private static string Ticks(long ticks) => ticks.ToString("D19", CultureInfo.InvariantCulture);

    private static string Inverted(long ticks) => Ticks(long.MaxValue - ticks);

    private static DateTimeOffset Time(long ticks) => new(ticks, TimeSpan.Zero);
}
