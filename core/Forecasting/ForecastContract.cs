namespace Workforce.Core.Forecasting;

// The forecasting mathematics' public types (helper/math implements them with Forecaster); kept here until it lands.
public sealed record ForecastPoint(DateTimeOffset At, double Value, double Lower, double Upper);

public sealed record BacktestMetrics(double Mase, double Smape, double Coverage);

public sealed record CandidateResult(string Method, IReadOnlyDictionary<string, double> Parameters, BacktestMetrics Backtest);
