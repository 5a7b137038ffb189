namespace Workforce.Core.Forecasting;

/// <summary>
/// Horizon: hours forecast after the history's end (1 to 672, four weeks). IntervalCoverage: the prediction intervals' target coverage (0–1).
/// BacktestDays: the rolling-origin backtest's span at the end of the history. AnomalyThreshold: the robust z-score
/// from which a residual is an anomaly.
/// </summary>
public sealed record ForecastSettings(int Horizon = 48, double IntervalCoverage = 0.85, int BacktestDays = 7, double AnomalyThreshold = 5.0)
{
    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Horizon, 1, nameof(Horizon));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Horizon, 24 * 28, nameof(Horizon));
        if (!(IntervalCoverage > 0 && IntervalCoverage < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(IntervalCoverage), IntervalCoverage, "The interval coverage must lie strictly between 0 and 1.");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(BacktestDays, 1, nameof(BacktestDays));
        if (!(AnomalyThreshold > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(AnomalyThreshold), AnomalyThreshold, "The anomaly threshold must be positive.");
        }
    }
}
