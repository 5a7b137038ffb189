namespace Workforce.Core.Forecasting;

/// <summary>
/// Prediction intervals from the method's own h-step errors: the state forecasts from every hour of the calibration
/// span (the last <see cref="CalibrationHours"/> before its end, after the method's warm-up), each forecast is
/// compared with what came, and the interval h hours ahead runs from the (1 − c)/2 to the (1 + c)/2 empirical
/// quantile of those errors. No normality assumed, and the width grows with h exactly as the method's errors do.
/// A horizon with fewer than <see cref="MinimumErrors"/> errors borrows the nearest shorter horizon's.
/// </summary>
internal sealed class PredictionIntervals
{
    public const int MinimumErrors = 20;

    /// <summary>
    /// Eight weeks: enough origins for stable quantiles (over a thousand per horizon), recent enough that the
    /// intervals follow the series' current error level rather than last year's, and a bound on the cost.
    /// </summary>
    public const int CalibrationHours = 8 * 168;

    public static int FirstOrigin(int warmUp, int end) => Math.Max(warmUp, end - CalibrationHours);

    private readonly double[] _lower;
    private readonly double[] _upper;

    private PredictionIntervals(double[] lower, double[] upper)
    {
        _lower = lower;
        _upper = upper;
    }

    /// <summary>The errors (actual − forecast) collected per horizon, index 0 one hour ahead.</summary>
    public sealed class Errors(int horizon)
    {
        private readonly List<double>[] _byHorizon = Enumerable.Range(0, horizon).Select(_ => new List<double>()).ToArray();

        public int Horizon => _byHorizon.Length;

        /// <summary>Adds the errors of the forecasts made at an origin for values[origin..], up to (not including) end.</summary>
        public void Add(ReadOnlySpan<double> forecasts, ReadOnlySpan<double> values, int origin, int end)
        {
            for (var h = 0; h < forecasts.Length && origin + h < end; h++)
            {
                var actual = values[origin + h];
                if (!double.IsNaN(actual) && !double.IsNaN(forecasts[h]))
                {
                    _byHorizon[h].Add(actual - forecasts[h]);
                }
            }
        }

        public PredictionIntervals ToIntervals(double coverage)
        {
            var lower = new double[Horizon];
            var upper = new double[Horizon];
            double lastLower = 0, lastUpper = 0;
            for (var h = 0; h < Horizon; h++)
            {
                var errors = _byHorizon[h];
                if (errors.Count >= MinimumErrors)
                {
                    errors.Sort();
                    lastLower = Quantile(errors, (1 - coverage) / 2);
                    lastUpper = Quantile(errors, (1 + coverage) / 2);
                }
                lower[h] = Math.Min(lastLower, 0);
                upper[h] = Math.Max(lastUpper, 0);
            }
            return new PredictionIntervals(lower, upper);
        }
    }

    /// <summary>The point forecast and interval h hours ahead (index 0 = one hour), all clamped at 0.</summary>
    public (double Value, double Lower, double Upper) Around(int h, double forecast)
    {
        var value = Math.Max(0, forecast);
        var lower = Math.Clamp(forecast + _lower[h], 0, value);
        var upper = Math.Max(value, forecast + _upper[h]);
        return (value, lower, upper);
    }

    /// <summary>Linear interpolation between order statistics (Hyndman and Fan's type 7, as R and NumPy default to).</summary>
    internal static double Quantile(List<double> sorted, double p)
    {
        var position = p * (sorted.Count - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Count - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
