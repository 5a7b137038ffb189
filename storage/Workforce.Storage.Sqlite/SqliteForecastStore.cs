using Microsoft.Data.Sqlite;
using Workforce.Core.Analytics;
using Workforce.Core.Forecasting;
using Workforce.Core.Storage;

namespace Workforce.Storage.Sqlite;

/// <summary>
/// <see cref="IForecastStore"/> on SQLite: every record kept whole as JSON. Versions, pointers, forecasts and
/// recommendations share one table keyed by kind and name; anomalies have their own, with the time columns they are
/// listed and purged by.
/// </summary>
public sealed class SqliteForecastStore(SqliteDatabase database) : IForecastStore
{
    private const string VersionKind = "version";
    private const string SeriesKind = "series";
    private const string ForecastKind = "forecast";
    private const string RecommendationKind = "recommendation";
    private const string ProgressKind = "progress";
    private const string Retraining = "retraining";

    public Task SaveAsync(ModelVersion version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(version);
        return Save(version.TenantId, VersionKind, version.Series, version.Version, StoredJson.Serialize(version), cancellationToken);
    }

    public Task<ModelVersion?> FindVersionAsync(string tenantId, string series, int version, CancellationToken cancellationToken = default) =>
        Find<ModelVersion>(tenantId, VersionKind, series, version);

    /// <summary>Backwards through the unique index: the versions of one series are one key range, numbered.</summary>
    public Task<IReadOnlyList<ModelVersion>> ListVersionsAsync(string tenantId, string series, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return Read<IReadOnlyList<ModelVersion>>(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText =
                "SELECT body FROM forecast_documents WHERE tenant_id = $tenant AND kind = $kind AND name = $name ORDER BY number DESC LIMIT $limit";
            command.Parameters.AddWithValue("$tenant", tenantId);
            command.Parameters.AddWithValue("$kind", VersionKind);
            command.Parameters.AddWithValue("$name", series);
            command.Parameters.AddWithValue("$limit", limit);
            return command.ReadAll(row => StoredJson.Deserialize<ModelVersion>(row.GetString(0)));
        });
    }

    public Task SaveAsync(SeriesModels models, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(models);
        return Save(models.TenantId, SeriesKind, models.Series, 0, StoredJson.Serialize(models), cancellationToken);
    }

    public Task<SeriesModels?> FindSeriesAsync(string tenantId, string series, CancellationToken cancellationToken = default) =>
        Find<SeriesModels>(tenantId, SeriesKind, series, 0);

    public Task<IReadOnlyList<SeriesModels>> ListSeriesAsync(string tenantId, CancellationToken cancellationToken = default) =>
        List<SeriesModels>(tenantId, SeriesKind);

    public Task SaveAsync(SeriesForecast forecast, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(forecast);
        return Save(forecast.TenantId, ForecastKind, forecast.Series, 0, StoredJson.Serialize(forecast), cancellationToken);
    }

    public Task<SeriesForecast?> FindForecastAsync(string tenantId, string series, CancellationToken cancellationToken = default) =>
        Find<SeriesForecast>(tenantId, ForecastKind, series, 0);

    /// <summary>All in one write: each insert that finds its tenant, series and hour taken changes nothing.</summary>
    public Task<IReadOnlyList<RecordedAnomaly>> AddAsync(IReadOnlyList<RecordedAnomaly> anomalies, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(anomalies);
        if (anomalies.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<RecordedAnomaly>>([]);
        }

        return database.Writer.WriteAsync<IReadOnlyList<RecordedAnomaly>>(commands =>
        {
            // Built afresh on every run: the writer runs a write again when another in its batch fails.
            var added = new List<RecordedAnomaly>();
            foreach (var anomaly in anomalies)
            {
                var insert = commands.Get(
                    "INSERT INTO forecast_anomalies (tenant_id, series, hour, at, detected_at, body) VALUES ($tenant, $series, $hour, $at, $detected, $body) " +
                    "ON CONFLICT (tenant_id, series, hour) DO NOTHING");
                insert.Parameters.AddWithValue("$tenant", anomaly.TenantId);
                insert.Parameters.AddWithValue("$series", anomaly.Series);
                insert.Parameters.AddWithValue("$hour", Hour(anomaly.At));
                insert.Parameters.AddWithValue("$at", anomaly.At.UtcTicks);
                insert.Parameters.AddWithValue("$detected", anomaly.DetectedAt.UtcTicks);
                insert.Parameters.AddWithValue("$body", StoredJson.Serialize(anomaly));
                if (insert.ExecuteNonQuery() > 0)
                {
                    added.Add(anomaly);
                }
            }

            return added;
        }, cancellationToken);
    }

    public Task<IReadOnlyList<RecordedAnomaly>> ListAnomaliesAsync(string tenantId, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return Read<IReadOnlyList<RecordedAnomaly>>(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText =
                "SELECT body FROM forecast_anomalies INDEXED BY ix_anomalies_list WHERE tenant_id = $tenant AND at >= $from AND at < $to " +
                "ORDER BY at DESC, series LIMIT $limit";
            command.Parameters.AddWithValue("$tenant", tenantId);
            command.Parameters.AddWithValue("$from", from.UtcTicks);
            command.Parameters.AddWithValue("$to", to.UtcTicks);
            command.Parameters.AddWithValue("$limit", limit);
            return command.ReadAll(row => StoredJson.Deserialize<RecordedAnomaly>(row.GetString(0)));
        });
    }

    public Task SaveAsync(ScalingRecommendation recommendation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recommendation);
        return Save(recommendation.TenantId, RecommendationKind, recommendation.Capability, 0, StoredJson.Serialize(recommendation), cancellationToken);
    }

    public Task<IReadOnlyList<ScalingRecommendation>> ListRecommendationsAsync(string tenantId, CancellationToken cancellationToken = default) =>
        List<ScalingRecommendation>(tenantId, RecommendationKind);

    public Task<RetrainingProgress?> FindRetrainingProgressAsync(CancellationToken cancellationToken = default) =>
        Find<RetrainingProgress>(AnalyticsSeries.PlatformTenant, ProgressKind, Retraining, 0);

    public Task SaveAsync(RetrainingProgress progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(progress);
        return Save(AnalyticsSeries.PlatformTenant, ProgressKind, Retraining, 0, StoredJson.Serialize(progress), cancellationToken);
    }

    /// <summary>Oldest detection first through the age index, across tenants.</summary>
    public Task<int> PurgeAnomaliesAsync(DateTimeOffset detectedBefore, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return database.Writer.WriteAsync(commands =>
        {
            var purge = commands.Get(
                "DELETE FROM forecast_anomalies WHERE seq IN " +
                "(SELECT seq FROM forecast_anomalies INDEXED BY ix_anomalies_age WHERE detected_at < $before ORDER BY detected_at LIMIT $limit)");
            purge.Parameters.AddWithValue("$before", detectedBefore.UtcTicks);
            purge.Parameters.AddWithValue("$limit", limit);
            return purge.ExecuteNonQuery();
        }, cancellationToken);
    }

    /// <summary>The start of the hour <paramref name="at"/> falls in, in UTC ticks: what makes an anomaly one of its series and hour.</summary>
    private static long Hour(DateTimeOffset at) => at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerHour);

    private Task<int> Save(string tenantId, string kind, string name, int number, string body, CancellationToken cancellationToken) =>
        database.Writer.WriteAsync(commands =>
        {
            var save = commands.Get(
                "INSERT INTO forecast_documents (tenant_id, kind, name, number, body) VALUES ($tenant, $kind, $name, $number, $body) " +
                "ON CONFLICT (tenant_id, kind, name, number) DO UPDATE SET body = excluded.body");
            save.Parameters.AddWithValue("$tenant", tenantId);
            save.Parameters.AddWithValue("$kind", kind);
            save.Parameters.AddWithValue("$name", name);
            save.Parameters.AddWithValue("$number", number);
            save.Parameters.AddWithValue("$body", body);
            return save.ExecuteNonQuery();
        }, cancellationToken);

    private Task<T?> Find<T>(string tenantId, string kind, string name, int number)
        where T : class =>
        Read(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT body FROM forecast_documents WHERE tenant_id = $tenant AND kind = $kind AND name = $name AND number = $number";
            command.Parameters.AddWithValue("$tenant", tenantId);
            command.Parameters.AddWithValue("$kind", kind);
            command.Parameters.AddWithValue("$name", name);
            command.Parameters.AddWithValue("$number", number);
            return command.ExecuteScalar() is string body ? StoredJson.Deserialize<T>(body) : null;
        });

    /// <summary>In name order: text compares as UTF-8 bytes, which is code point order.</summary>
    private Task<IReadOnlyList<T>> List<T>(string tenantId, string kind) =>
        Read<IReadOnlyList<T>>(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT body FROM forecast_documents WHERE tenant_id = $tenant AND kind = $kind ORDER BY name, number";
            command.Parameters.AddWithValue("$tenant", tenantId);
            command.Parameters.AddWithValue("$kind", kind);
            return command.ReadAll(row => StoredJson.Deserialize<T>(row.GetString(0)));
        });

    private Task<T> Read<T>(Func<SqliteConnection, T> query)
    {
        using var connection = database.OpenReader();
        return Task.FromResult(query(connection));
    }
}
