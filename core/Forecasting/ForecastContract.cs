namespace Workforce.Core.Forecasting;

// The forecasting mathematics' public types (helper/math implements them with Forecaster); kept here until it lands.
public sealed record ForecastPoint(DateTimeOffset At, double Value, double Lower, double Upper);

public sealed record BacktestMetrics(double Mase, double Smape, double Coverage);

public sealed record CandidateResult(string Method, IReadOnlyDictionary<string, double> Parameters, BacktestMetrics Backtest);

public sealed record HourlySeries(DateTimeOffset Start, IReadOnlyList<double> Values)
{
    public int Count => Values.Count;

    public DateTimeOffset At(int index) => Start.AddHours(index);
}

public sealed record TrainingResult(CandidateResult Chosen, IReadOnlyList<CandidateResult> Candidates, IReadOnlyList<ForecastPoint> Forecast);

public sealed record DetectedAnomaly(DateTimeOffset At, double Value, double Expected, double Score);

public sealed record ForecastSettings(int Horizon = 48, double IntervalCoverage = 0.85, int BacktestDays = 7, double AnomalyThreshold = 5.0);

public static class Forecaster
{
    public const int MinimumPoints = 1_000;

    public static TrainingResult Train(HourlySeries history, ForecastSettings settings) => throw new NotImplementedException();

    public static IReadOnlyList<ForecastPoint> Forecast(HourlySeries history, string method, IReadOnlyDictionary<string, double> parameters, ForecastSettings settings) =>
        throw new NotImplementedException();

    public static IReadOnlyList<DetectedAnomaly> DetectAnomalies(
        HourlySeries history, string method, IReadOnlyDictionary<string, double> parameters, ForecastSettings settings, int lastHours) =>
        throw new NotImplementedException();
}
