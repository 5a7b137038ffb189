using Workforce.Core.Forecasting;

namespace Workforce.Core.Tests.Forecasting;

/// <summary>The forecasting port over dictionaries; <see cref="FailPointerWrites"/> stands for a crash between a version's write and the pointer's.</summary>
internal sealed class InMemoryForecastStore : IForecastStore
{
    private readonly Dictionary<(string, string, int), ModelVersion> _versions = [];
    private readonly Dictionary<(string, string), SeriesModels> _series = [];
    private readonly Dictionary<(string, string), SeriesForecast> _forecasts = [];
    private readonly Dictionary<(string, string, DateTimeOffset), RecordedAnomaly> _anomalies = [];
    private readonly Dictionary<(string, string), ScalingRecommendation> _recommendations = [];

    private RetrainingProgress? _progress;

    public bool FailPointerWrites { get; set; }

    public Task<RetrainingProgress?> FindRetrainingProgressAsync(CancellationToken cancellationToken = default) => Task.FromResult(_progress);

    public Task SaveAsync(RetrainingProgress progress, CancellationToken cancellationToken = default)
    {
        _progress = progress;
        return Task.CompletedTask;
    }

    public Task SaveAsync(ModelVersion version, CancellationToken cancellationToken = default)
    {
        _versions[(version.TenantId, version.Series, version.Version)] = version;
        return Task.CompletedTask;
    }

    public Task<ModelVersion?> FindVersionAsync(string tenantId, string series, int version, CancellationToken cancellationToken = default) =>
        Task.FromResult(_versions.GetValueOrDefault((tenantId, series, version)));

    public Task<IReadOnlyList<ModelVersion>> ListVersionsAsync(string tenantId, string series, int limit, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ModelVersion>>([.. _versions.Values.Where(v => v.TenantId == tenantId && v.Series == series).OrderByDescending(v => v.Version).Take(limit)]);

    public Task SaveAsync(SeriesModels models, CancellationToken cancellationToken = default)
    {
        if (FailPointerWrites)
        {
            throw new IOException("The process died before the pointer was written.");
        }

        _series[(models.TenantId, models.Series)] = models;
        return Task.CompletedTask;
    }

    public Task<SeriesModels?> FindSeriesAsync(string tenantId, string series, CancellationToken cancellationToken = default) =>
        Task.FromResult(_series.GetValueOrDefault((tenantId, series)));

    public Task<IReadOnlyList<SeriesModels>> ListSeriesAsync(string tenantId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<SeriesModels>>([.. _series.Values.Where(s => s.TenantId == tenantId).OrderBy(s => s.Series, StringComparer.Ordinal)]);

    public Task SaveAsync(SeriesForecast forecast, CancellationToken cancellationToken = default)
    {
        _forecasts[(forecast.TenantId, forecast.Series)] = forecast;
        return Task.CompletedTask;
    }

    public Task<SeriesForecast?> FindForecastAsync(string tenantId, string series, CancellationToken cancellationToken = default) =>
        Task.FromResult(_forecasts.GetValueOrDefault((tenantId, series)));

    public Task<IReadOnlyList<RecordedAnomaly>> AddAsync(IReadOnlyList<RecordedAnomaly> anomalies, CancellationToken cancellationToken = default)
    {
        var added = anomalies.Where(a => _anomalies.TryAdd((a.TenantId, a.Series, a.At), a)).ToList();
        return Task.FromResult<IReadOnlyList<RecordedAnomaly>>(added);
    }

    public Task<IReadOnlyList<RecordedAnomaly>> ListAnomaliesAsync(string tenantId, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<RecordedAnomaly>>([.. _anomalies.Values.Where(a => a.TenantId == tenantId && a.At >= from && a.At < to).OrderByDescending(a => a.At).Take(limit)]);

    public Task SaveAsync(ScalingRecommendation recommendation, CancellationToken cancellationToken = default)
    {
        _recommendations[(recommendation.TenantId, recommendation.Capability)] = recommendation;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ScalingRecommendation>> ListRecommendationsAsync(string tenantId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ScalingRecommendation>>([.. _recommendations.Values.Where(r => r.TenantId == tenantId).OrderBy(r => r.Capability, StringComparer.Ordinal)]);

    public Task<int> PurgeAnomaliesAsync(DateTimeOffset detectedBefore, int limit, CancellationToken cancellationToken = default)
    {
        var doomed = _anomalies.Where(a => a.Value.DetectedAt < detectedBefore).Take(limit).Select(a => a.Key).ToList();
        doomed.ForEach(key => _anomalies.Remove(key));
        return Task.FromResult(doomed.Count);
    }
}
