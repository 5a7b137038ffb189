namespace Workforce.Core.Forecasting;

/// <summary>
/// Workload forecasting: seasonal-naive baselines, double-seasonal Holt-Winters and their combination, chosen by a
/// rolling-origin backtest. Pure computation, no I/O. See docs/forecasting.md, "Models".
/// </summary>
public static class Forecaster
{
    public const int MinimumPoints = 1_000;

    public static IReadOnlyList<string> Methods { get; } = ["seasonalNaive24", "seasonalNaive168", "holtWinters", "combination"];

    public static TrainingResult Train(HourlySeries history, ForecastSettings settings) => throw new NotImplementedException();

    public static IReadOnlyList<ForecastPoint> Forecast(HourlySeries history, string method, IReadOnlyDictionary<string, double> parameters, ForecastSettings settings) =>
        throw new NotImplementedException();

    public static IReadOnlyList<DetectedAnomaly> DetectAnomalies(HourlySeries history, string method, IReadOnlyDictionary<string, double> parameters, ForecastSettings settings, int lastHours) =>
        throw new NotImplementedException();
}
