namespace Workforce.Core.Forecasting;

/// <summary>
/// Workload forecasting: seasonal-naive baselines, double-seasonal Holt-Winters and their combination, chosen by a
/// rolling-origin backtest. Pure computation, no I/O, the same code for the server and the command-line tool.
/// See docs/forecasting.md, "Models".
/// </summary>
public static class Forecaster
{
    public const int MinimumPoints = 1_000;

    /// <summary>The hours a backtest needs before its span: two weeks to start Holt-Winters, one to calibrate intervals.</summary>
    public const int MinimumFittingHours = 3 * HoltWinters.Week;

    /// <summary>"seasonalNaive24", "seasonalNaive168", "holtWinters", "combination".</summary>
    public static IReadOnlyList<string> Methods => ForecastMethods.All;

    /// <summary>
    /// Fits every method (Holt-Winters' parameters by minimising one-step squared error), backtests each by rolling
    /// origin over the last BacktestDays (parameters and intervals from the hours before; origins every 24 h, each
    /// forecasting the next 24 h), refits on the whole history and forecasts with the lowest MASE. Throws
    /// ArgumentException when the series has fewer than <see cref="MinimumPoints"/> non-NaN points.
    /// </summary>
    public static TrainingResult Train(HourlySeries history, ForecastSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        var (values, start) = Prepare(history);
        var observed = values.Count(v => !double.IsNaN(v));
        if (observed < MinimumPoints)
        {
            throw new ArgumentException($"A series trains from {MinimumPoints:N0} hourly points; this one has {observed:N0}.", nameof(history));
        }
        var trainEnd = values.Length - settings.BacktestDays * 24;
        if (trainEnd < MinimumFittingHours)
        {
            throw new ArgumentException(
                $"A {settings.BacktestDays}-day backtest leaves {Math.Max(trainEnd, 0)} hours to fit on; at least {MinimumFittingHours} are needed.",
                nameof(settings));
        }

        var backtestFit = HoltWinters.Fit(values.AsSpan(0, trainEnd));
        var fullFit = HoltWinters.Fit(values);
        var candidates = new List<CandidateResult>(Methods.Count);
        foreach (var method in Methods)
        {
            var state = ForecastMethods.Start(method, values, backtestFit);
            var metrics = Backtest.Run(state, values, trainEnd, ForecastMethods.WarmUp(method), settings.IntervalCoverage);
            candidates.Add(new CandidateResult(method, ForecastMethods.Describe(method, fullFit), metrics));
        }
        // Ties go to the first in Methods order: the simpler method.
        var chosen = candidates.MinBy(c => c.Backtest.Mase)!;
        var forecast = ForecastAfter(values, start, chosen.Method, ForecastMethods.UsesHoltWinters(chosen.Method) ? fullFit : null, settings);
        return new TrainingResult(chosen, candidates, forecast);
    }

    /// <summary>
    /// The forecast from the history with parameters already fitted (cheap: no search): what refreshes the next
    /// hours as new data arrives. The intervals are recalibrated on this history's own h-step errors.
    /// </summary>
    public static IReadOnlyList<ForecastPoint> Forecast(HourlySeries history, string method, IReadOnlyDictionary<string, double> parameters, ForecastSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        var fitted = ForecastMethods.ReadParameters(method, parameters);
        var (values, start) = Prepare(history);
        RequireWarmUp(values, method);
        return ForecastAfter(values, start, method, fitted, settings);
    }

    /// <summary>
    /// Points of the history whose one-step residual against the method's fit is an outlier: robust z-score
    /// |r − median| / (1.4826 · MAD) ≥ settings.AnomalyThreshold (precision over recall); Score is that z. Only the
    /// last <paramref name="lastHours"/> hours are examined (the rest is context for the median and MAD).
    /// </summary>
    public static IReadOnlyList<DetectedAnomaly> DetectAnomalies(HourlySeries history, string method, IReadOnlyDictionary<string, double> parameters, ForecastSettings settings, int lastHours)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        ArgumentOutOfRangeException.ThrowIfNegative(lastHours);
        var fitted = ForecastMethods.ReadParameters(method, parameters);
        var (values, start) = Prepare(history);
        RequireWarmUp(values, method);
        var found = AnomalyDetector.Detect(method, values, fitted, settings.AnomalyThreshold, values.Length - Math.Min(lastHours, values.Length), out var expected, out var scores);
        return found.Select(t => new DetectedAnomaly(start.AddHours(t), values[t], Math.Max(0, expected[t]), scores[t])).ToList();
    }

    private static List<ForecastPoint> ForecastAfter(double[] values, DateTimeOffset start, string method, HoltWintersParameters? parameters, ForecastSettings settings)
    {
        var horizon = settings.Horizon;
        var state = ForecastMethods.Start(method, values, parameters);
        var errors = new PredictionIntervals.Errors(horizon);
        var forecast = new double[horizon];
        var firstOrigin = PredictionIntervals.FirstOrigin(ForecastMethods.WarmUp(method), values.Length);
        for (var t = 0; t < values.Length; t++)
        {
            if (t >= firstOrigin)
            {
                var steps = Math.Min(horizon, values.Length - t);
                state.Forecast(forecast.AsSpan(0, steps));
                errors.Add(forecast.AsSpan(0, steps), values, t, values.Length);
            }
            state.Observe(values[t]);
        }
        var intervals = errors.ToIntervals(settings.IntervalCoverage);
        state.Forecast(forecast);
        var points = new List<ForecastPoint>(horizon);
        for (var h = 0; h < horizon; h++)
        {
            var (value, lower, upper) = intervals.Around(h, forecast[h]);
            points.Add(new ForecastPoint(start.AddHours(values.Length + h), value, lower, upper));
        }
        return points;
    }

    /// <summary>The values from the first observed hour on (leading gaps carry nothing), checked for infinities.</summary>
    private static (double[] Values, DateTimeOffset Start) Prepare(HourlySeries history)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(history.Values);
        var first = 0;
        while (first < history.Count && double.IsNaN(history.Values[first]))
        {
            first++;
        }
        var values = new double[history.Count - first];
        for (var i = 0; i < values.Length; i++)
        {
            var value = history.Values[first + i];
            if (double.IsInfinity(value))
            {
                throw new ArgumentException($"The value at {history.At(first + i):O} is infinite.", nameof(history));
            }
            values[i] = value;
        }
        return (values, history.At(first));
    }

    private static void RequireWarmUp(double[] values, string method)
    {
        var needed = ForecastMethods.WarmUp(method) + PredictionIntervals.MinimumErrors + 1;
        if (values.Length < needed)
        {
            throw new ArgumentException($"The method '{method}' needs at least {needed} hours of history (from the first observed hour); this one has {values.Length}.", nameof(values));
        }
    }
}
