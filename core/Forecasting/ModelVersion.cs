namespace Workforce.Core.Forecasting;

/// <summary>
/// One training of a series' model: the method chosen, its fitted parameters, the window it learnt from and how it
/// backtested (with every candidate's metrics, for comparison). Versions count up from 1 per series.
/// </summary>
public sealed record ModelVersion(
    string TenantId,
    string Series,
    int Version,
    string Method,
    IReadOnlyDictionary<string, double> Parameters,
    BacktestMetrics Backtest,
    IReadOnlyList<CandidateResult> Candidates,
    DateTimeOffset WindowStart,
    DateTimeOffset WindowEnd,
    int Points,
    DateTimeOffset TrainedAt)
{
    /// <summary>Whether the version may go into service in place of <paramref name="current"/>: <see cref="BacktestMetrics.Beats"/>.</summary>
    public bool Beats(ModelVersion? current) => Backtest.Beats(current?.Backtest);
}

/// <summary>
/// A series' models: the version in service (null before one was promoted), those promoted before it (newest last,
/// what a rollback returns to), the latest version trained (0 while the series is too short to train), and the end of
/// the data last read for it, trained on or found too short.
/// </summary>
public sealed record SeriesModels(string TenantId, string Series, int? Current, IReadOnlyList<int> Previous, int LatestVersion, DateTimeOffset? TrainedUpTo);

/// <summary>The series' forecast now: hourly points with their prediction interval, from the version in service.</summary>
/// <param name="Confident">The version's measured interval coverage reaches the configured threshold.</param>
public sealed record SeriesForecast(string TenantId, string Series, int ModelVersion, string Method, DateTimeOffset MadeAt, bool Confident, IReadOnlyList<ForecastPoint> Points);

/// <summary>A point of a series that its model did not expect; one per series and hour.</summary>
public sealed record RecordedAnomaly(string TenantId, string Series, DateTimeOffset At, double Value, double Expected, double Score, DateTimeOffset DetectedAt);

public sealed record AgentsAt(DateTimeOffset At, int Agents);

/// <summary>How many agents a capability needs in each of the next hours; <see cref="Capability"/> <c>*</c> is the tenant's whole workforce.</summary>
public sealed record ScalingRecommendation(string TenantId, string Capability, DateTimeOffset MadeAt, int ModelVersion, double TargetUtilisation, IReadOnlyList<AgentsAt> Hours);
