namespace Workforce.Core.Forecasting;

/// <summary>
/// Rolling-origin backtest over the last days of a history. The parameters were fitted on the hours before the
/// backtest span only, and the prediction intervals are calibrated on those hours too, so every figure here is
/// measured on data the model never saw (the intervals from the last <see cref="PredictionIntervals.CalibrationHours"/>
/// before the span): origins every 24 hours across the span, each forecasting the next 24
/// hours (fewer at the very end), the state moving on through the actual values between origins.
/// </summary>
internal static class Backtest
{
    public const int OriginEvery = 24;
    public const int Steps = 24;

    public static BacktestMetrics Run(IModelState state, ReadOnlySpan<double> values, int trainEnd, int warmUp, double coverage)
    {
        var calibration = new PredictionIntervals.Errors(Steps);
        var firstOrigin = PredictionIntervals.FirstOrigin(warmUp, trainEnd);
        PredictionIntervals? intervals = null;
        Span<double> forecast = stackalloc double[Steps];
        double absoluteErrors = 0, smape = 0;
        int count = 0, inside = 0;
        for (var t = 0; t < values.Length; t++)
        {
            if (t >= firstOrigin && t < trainEnd)
            {
                var steps = Math.Min(Steps, trainEnd - t);
                state.Forecast(forecast[..steps]);
                calibration.Add(forecast[..steps], values, t, trainEnd);
            }
            if (t >= trainEnd && (t - trainEnd) % OriginEvery == 0)
            {
                intervals ??= calibration.ToIntervals(coverage);
                var steps = Math.Min(Steps, values.Length - t);
                state.Forecast(forecast[..steps]);
                for (var h = 0; h < steps; h++)
                {
                    var actual = values[t + h];
                    if (double.IsNaN(actual))
                    {
                        continue;
                    }
                    var (value, lower, upper) = intervals.Around(h, forecast[h]);
                    absoluteErrors += Math.Abs(actual - value);
                    smape += SymmetricPercentageError(actual, value);
                    inside += actual >= lower && actual <= upper ? 1 : 0;
                    count++;
                }
            }
            state.Observe(values[t]);
        }

        var scale = SeasonalNaive.InSampleMae(values[..trainEnd], trainEnd >= 2 * HoltWinters.Week ? HoltWinters.Week : HoltWinters.Day);
        if (count == 0)
        {
            throw new ArgumentException("The backtest span holds no data to measure the forecasts against.");
        }
        var mae = absoluteErrors / count;
        // A perfectly repeating history has no naive error to scale by: a perfect forecast then scores 0, any
        // error a very large number (never infinity, which would not survive JSON).
        var mase = scale > 0 ? mae / scale : mae == 0 ? 0 : mae / 1e-9;
        return new BacktestMetrics(mase, smape / count, (double)inside / count);
    }

    /// <summary>200 |a − f| / (|a| + |f|), and 0 when both are 0 (a correct forecast of nothing).</summary>
    public static double SymmetricPercentageError(double actual, double forecast)
    {
        var denominator = Math.Abs(actual) + Math.Abs(forecast);
        return denominator == 0 ? 0 : 200 * Math.Abs(actual - forecast) / denominator;
    }
}
