namespace Workforce.Core.Forecasting;

/// <summary>
/// Anomalies are hours whose one-step residual (actual − the method's forecast from the hours before) has a robust
/// z-score |r − median| / (1.4826 · MAD) of at least the threshold, median and MAD taken over the residuals of the
/// whole history after the method's warm-up. Several passes, because an outlier also corrupts what follows it — it
/// moves Holt-Winters' level and seasonals and becomes seasonal naive's forecast a week later, so its echo would be
/// flagged too: each pass finds the outliers, runs of at most <see cref="LongestSpike"/> hours of them are
/// blanked as gaps, and the next pass recomputes every residual from that cleaned history. Longer runs stay in:
/// they are a change of level the state has to follow, not a spike to ignore.
/// </summary>
internal static class AnomalyDetector
{
    public const int LongestSpike = 3;
    public const int MaximumPasses = 4;

    /// <summary>Blanks the runs of at most <see cref="LongestSpike"/> outlying hours not yet blanked; false when there were none.</summary>
    private static bool Blank(double[] scores, double[] values, double[] cleaned, double threshold)
    {
        var blanked = false;
        var run = 0;
        for (var t = 0; t <= scores.Length; t++)
        {
            if (t < scores.Length && scores[t] >= threshold)
            {
                run++;
                continue;
            }
            if (run is > 0 and <= LongestSpike)
            {
                for (var i = t - run; i < t; i++)
                {
                    blanked |= !double.IsNaN(values[i]) && !double.IsNaN(cleaned[i]);
                    cleaned[i] = double.NaN;
                }
            }
            run = 0;
        }
        return blanked;
    }

    public static IReadOnlyList<int> Detect(string method, double[] values, HoltWintersParameters? parameters, double threshold, int firstExamined, out double[] expected, out double[] scores)
    {
        var warmUp = ForecastMethods.WarmUp(method);
        var cleaned = (double[])values.Clone();
        var residuals = Residuals(method, values, cleaned, parameters, out expected);
        scores = Scores(residuals, warmUp);
        // Until no new spike turns up: a blanked spike can uncover another one it hid (two spikes a week apart look
        // normal to seasonal naive until the first is gone).
        for (var pass = 0; pass < MaximumPasses && Blank(scores, values, cleaned, threshold); pass++)
        {
            residuals = Residuals(method, values, cleaned, parameters, out expected);
            scores = Scores(residuals, warmUp);
        }
        var found = new List<int>();
        for (var t = Math.Max(firstExamined, warmUp); t < values.Length; t++)
        {
            if (scores[t] >= threshold)
            {
                found.Add(t);
            }
        }
        return found;
    }

    /// <summary>values − the one-step forecasts of a state that walks <paramref name="walked"/>.</summary>
    private static double[] Residuals(string method, double[] values, double[] walked, HoltWintersParameters? parameters, out double[] forecasts)
    {
        var state = ForecastMethods.Start(method, walked, parameters);
        var residuals = new double[values.Length];
        forecasts = new double[values.Length];
        for (var t = 0; t < values.Length; t++)
        {
            forecasts[t] = state.OneStep();
            residuals[t] = values[t] - forecasts[t];
            state.Observe(walked[t]);
        }
        return residuals;
    }

    /// <summary>
    /// Robust z-scores; NaN where there is no residual. When more than half the residuals are equal (MAD 0, as on
    /// sparse counts), the mean absolute deviation from the median stands in (× 1.2533, its normal consistency
    /// factor); when every residual is equal there is no spread to judge by, and nothing is an outlier.
    /// </summary>
    private static double[] Scores(double[] residuals, int warmUp)
    {
        var scores = new double[residuals.Length];
        Array.Fill(scores, double.NaN);
        var usable = new List<double>(residuals.Length);
        for (var t = warmUp; t < residuals.Length; t++)
        {
            if (!double.IsNaN(residuals[t]))
            {
                usable.Add(residuals[t]);
            }
        }
        if (usable.Count == 0)
        {
            return scores;
        }
        usable.Sort();
        var median = PredictionIntervals.Quantile(usable, 0.5);
        var deviations = usable.Select(r => Math.Abs(r - median)).ToList();
        deviations.Sort();
        var scale = 1.4826 * PredictionIntervals.Quantile(deviations, 0.5);
        if (scale <= 0)
        {
            scale = 1.2533 * deviations.Average();
        }
        if (scale <= 0)
        {
            return scores;
        }
        for (var t = 0; t < residuals.Length; t++)
        {
            if (!double.IsNaN(residuals[t]))
            {
                scores[t] = Math.Abs(residuals[t] - median) / scale;
            }
        }
        return scores;
    }
}
