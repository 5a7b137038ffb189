using Workforce.Core.Forecasting;

namespace Workforce.Api.Forecasting;

/// <summary>Numbers a model may leave undefined (a MASE over a flat series) go out as null, never as NaN.</summary>
internal static class Finite
{
    public static double? Of(double value) => double.IsFinite(value) ? Math.Round(value, 4) : null;
}

public sealed record ForecastPointResponse(DateTimeOffset At, double? Value, double? Lower, double? Upper);

public sealed record ForecastResponse(string Series, int ModelVersion, string Method, DateTimeOffset MadeAt, bool Confident, IReadOnlyList<ForecastPointResponse> Points)
{
    public static ForecastResponse Of(SeriesForecast forecast)
    {
        ArgumentNullException.ThrowIfNull(forecast);
        return new(forecast.Series, forecast.ModelVersion, forecast.Method, forecast.MadeAt, forecast.Confident,
            [.. forecast.Points.Select(point => new ForecastPointResponse(point.At, Finite.Of(point.Value), Finite.Of(point.Lower), Finite.Of(point.Upper)))]);
    }
}

public sealed record ForecastListResponse(IReadOnlyList<ForecastResponse> Items);

public sealed record AnomalyResponse(string Series, DateTimeOffset At, double? Value, double? Expected, double? Score, DateTimeOffset DetectedAt)
{
    public static AnomalyResponse Of(RecordedAnomaly anomaly)
    {
        ArgumentNullException.ThrowIfNull(anomaly);
        return new(anomaly.Series, anomaly.At, Finite.Of(anomaly.Value), Finite.Of(anomaly.Expected), Finite.Of(anomaly.Score), anomaly.DetectedAt);
    }
}

public sealed record AnomalyListResponse(IReadOnlyList<AnomalyResponse> Items);

public sealed record RecommendationResponse(string Capability, DateTimeOffset MadeAt, int ModelVersion, double TargetUtilisation, int AgentsNow, IReadOnlyList<AgentsAt> Hours)
{
    public static RecommendationResponse Of(ScalingRecommendation recommendation)
    {
        ArgumentNullException.ThrowIfNull(recommendation);
        return new(recommendation.Capability, recommendation.MadeAt, recommendation.ModelVersion, recommendation.TargetUtilisation,
            recommendation.Hours.Count == 0 ? 0 : recommendation.Hours[0].Agents, recommendation.Hours);
    }
}

public sealed record RecommendationListResponse(IReadOnlyList<RecommendationResponse> Items);

public sealed record MetricsResponse(double? Mase, double? Smape, double? Coverage)
{
    public static MetricsResponse Of(BacktestMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return new(Finite.Of(metrics.Mase), Finite.Of(metrics.Smape), Finite.Of(metrics.Coverage));
    }
}

public sealed record CandidateResponse(string Method, MetricsResponse Backtest);

public sealed record ModelVersionResponse(
    int Version, string Method, IReadOnlyDictionary<string, double?> Parameters, MetricsResponse Backtest, IReadOnlyList<CandidateResponse> Candidates,
    DateTimeOffset WindowStart, DateTimeOffset WindowEnd, int Points, DateTimeOffset TrainedAt, bool InService)
{
    public static ModelVersionResponse Of(ModelVersion version, int? inService)
    {
        ArgumentNullException.ThrowIfNull(version);
        return new(version.Version, version.Method, version.Parameters.ToDictionary(parameter => parameter.Key, parameter => Finite.Of(parameter.Value)),
            MetricsResponse.Of(version.Backtest), [.. version.Candidates.Select(candidate => new CandidateResponse(candidate.Method, MetricsResponse.Of(candidate.Backtest)))],
            version.WindowStart, version.WindowEnd, version.Points, version.TrainedAt, version.Version == inService);
    }
}

/// <param name="Previous">Versions that were in service before the current one, newest last: what a rollback returns to.</param>
public sealed record SeriesModelsResponse(string Series, int? InService, IReadOnlyList<int> Previous, int LatestVersion, DateTimeOffset? TrainedUpTo, IReadOnlyList<ModelVersionResponse> Versions)
{
    public static SeriesModelsResponse Of(SeriesModels models, IReadOnlyList<ModelVersion> versions)
    {
        ArgumentNullException.ThrowIfNull(models);
        return new(models.Series, models.Current, models.Previous, models.LatestVersion, models.TrainedUpTo, [.. versions.Select(version => ModelVersionResponse.Of(version, models.Current))]);
    }
}

public sealed record SeriesModelsListResponse(IReadOnlyList<SeriesModelsResponse> Items);
