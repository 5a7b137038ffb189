namespace Workforce.Core.Forecasting;

/// <summary>
/// Trained model versions, each series' pointer to the version in service, the current forecasts, anomalies and
/// scaling recommendations, per tenant. A retraining writes its version before it moves the pointer, so a crash in
/// between leaves the version in service as it was.
/// </summary>
public interface IForecastStore
{
    /// <summary>Adds the version; a version already kept under the same number is replaced.</summary>
    Task SaveAsync(ModelVersion version, CancellationToken cancellationToken = default);

    Task<ModelVersion?> FindVersionAsync(string tenantId, string series, int version, CancellationToken cancellationToken = default);

    /// <summary>The series' versions, newest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<ModelVersion>> ListVersionsAsync(string tenantId, string series, int limit, CancellationToken cancellationToken = default);

    /// <summary>Adds the series' pointer or replaces it whole.</summary>
    Task SaveAsync(SeriesModels models, CancellationToken cancellationToken = default);

    Task<SeriesModels?> FindSeriesAsync(string tenantId, string series, CancellationToken cancellationToken = default);

    /// <summary>Every series of the tenant that has been trained, in series order.</summary>
    Task<IReadOnlyList<SeriesModels>> ListSeriesAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>Adds the forecast or replaces the series' one.</summary>
    Task SaveAsync(SeriesForecast forecast, CancellationToken cancellationToken = default);

    Task<SeriesForecast?> FindForecastAsync(string tenantId, string series, CancellationToken cancellationToken = default);

    /// <summary>Keeps the anomalies; one already kept for the same tenant, series and hour is left as it was.</summary>
    /// <returns>Those that were new.</returns>
    Task<IReadOnlyList<RecordedAnomaly>> AddAsync(IReadOnlyList<RecordedAnomaly> anomalies, CancellationToken cancellationToken = default);

    /// <summary>The tenant's anomalies at or after <paramref name="from"/> and before <paramref name="to"/>, newest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<RecordedAnomaly>> ListAnomaliesAsync(string tenantId, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken = default);

    /// <summary>Adds the recommendation or replaces the capability's one.</summary>
    Task SaveAsync(ScalingRecommendation recommendation, CancellationToken cancellationToken = default);

    /// <summary>The tenant's recommendations, one per capability, in capability order.</summary>
    Task<IReadOnlyList<ScalingRecommendation>> ListRecommendationsAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>Where the hourly retraining stopped; null before it first stopped.</summary>
    Task<RetrainingProgress?> FindRetrainingProgressAsync(CancellationToken cancellationToken = default);

    Task SaveAsync(RetrainingProgress progress, CancellationToken cancellationToken = default);

    /// <summary>Deletes up to <paramref name="limit"/> anomalies of any tenant detected before the cutoff.</summary>
    Task<int> PurgeAnomaliesAsync(DateTimeOffset detectedBefore, int limit, CancellationToken cancellationToken = default);
}
