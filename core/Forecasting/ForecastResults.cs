namespace Workforce.Core.Forecasting;

/// <summary>One forecast hour: the point forecast and its prediction interval (both bounds clamped at 0).</summary>
public sealed record ForecastPoint(DateTimeOffset At, double Value, double Lower, double Upper);

/// <summary>
/// Mase: mean absolute error over the rolling-origin backtest scaled by seasonal-naive's (168 h, or 24 h when there is
/// less than two weeks) in-sample MAE; Smape in percent (0–200); Coverage: share (0–1) of backtest actuals inside the
/// prediction intervals.
/// </summary>
public sealed record BacktestMetrics(double Mase, double Smape, double Coverage)
{
    /// <summary>
    /// The promotion rule, shared by the server and the operators' command-line tool: better than seasonal-naive
    /// (MASE below 1) and than the version in service, if any.
    /// </summary>
    public bool Beats(BacktestMetrics? inService) => Mase < 1 && (inService is null || Mase < inService.Mase);
}

/// <summary>One method's fitted parameters (on the whole history: what <see cref="Forecaster.Forecast"/> takes) and its backtest.</summary>
public sealed record CandidateResult(string Method, IReadOnlyDictionary<string, double> Parameters, BacktestMetrics Backtest);

/// <summary>
/// Chosen: the candidate with the lowest MASE. Forecast: Horizon points after the history's end, with intervals at the
/// settings' coverage.
/// </summary>
public sealed record TrainingResult(CandidateResult Chosen, IReadOnlyList<CandidateResult> Candidates, IReadOnlyList<ForecastPoint> Forecast);

/// <summary>An hour whose value is far from what the method expected; Score is the robust z-score of its residual.</summary>
public sealed record DetectedAnomaly(DateTimeOffset At, double Value, double Expected, double Score);
