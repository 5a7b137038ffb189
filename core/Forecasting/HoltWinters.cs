namespace Workforce.Core.Forecasting;

/// <summary>
/// Double-seasonal additive Holt-Winters (Taylor 2003, "Short-term electricity demand forecasting using double
/// seasonal exponential smoothing"): a level, an optional damped trend, a daily (24 h) and a weekly (168 h) seasonal
/// component, in error-correction form. With the one-step error e = y − ŷ:
/// <code>
/// ŷ(t)  = L + φT + D[t mod 24] + W[t mod 168]
/// L     ← L + φT + α e
/// T     ← φT + β e
/// D[i]  ← D[i] + δ(1 − α) e        (Taylor's δ(y − L_t − W) + (1 − δ)D, rewritten)
/// W[k]  ← W[k] + ω(1 − α) e
/// </code>
/// A gap is an hour whose error is taken as 0: the state moves on along its own forecast.
/// </summary>
internal sealed class HoltWinters : IModelState
{
    public const int Day = 24;
    public const int Week = 168;

    /// <summary>Two weeks initialise the seasonal components, so the first forecast worth judging is made there.</summary>
    public const int WarmUp = 2 * Week;

    private readonly HoltWintersParameters _p;
    private readonly double[] _daily;
    private readonly double[] _weekly;
    private double _level;
    private double _trend;
    private int _t;

    private HoltWinters(HoltWintersParameters parameters, HoltWintersStart start)
    {
        _p = parameters;
        _level = start.Level;
        _trend = parameters.Damped ? start.Trend : 0;
        _daily = (double[])start.Daily.Clone();
        _weekly = (double[])start.Weekly.Clone();
    }

    public static HoltWinters Start(ReadOnlySpan<double> values, HoltWintersParameters parameters) =>
        new(parameters, HoltWintersStart.From(values, parameters.Damped));

    public double OneStep() => _level + _p.Phi * _trend + _daily[_t % Day] + _weekly[_t % Week];

    public void Forecast(Span<double> into)
    {
        double damping = 0, power = 1;
        for (var h = 0; h < into.Length; h++)
        {
            power *= _p.Phi;
            damping += power;
            into[h] = _level + damping * _trend + _daily[(_t + h) % Day] + _weekly[(_t + h) % Week];
        }
    }

    public void Observe(double value)
    {
        var i = _t % Day;
        var k = _t % Week;
        var forecast = _level + _p.Phi * _trend + _daily[i] + _weekly[k];
        var error = double.IsNaN(value) ? 0 : value - forecast;
        var damped = _p.Phi * _trend;
        _level += damped + _p.Alpha * error;
        _trend = damped + _p.Beta * error;
        var seasonal = (1 - _p.Alpha) * error;
        _daily[i] += _p.Delta * seasonal;
        _weekly[k] += _p.Omega * seasonal;
        _t++;
    }

    /// <summary>
    /// One-step sum of squared errors over every observed hour — the fitting objective. A tight loop of its own,
    /// since the search evaluates it hundreds of times per series.
    /// </summary>
    public static double SumOfSquaredErrors(ReadOnlySpan<double> values, HoltWintersParameters p, HoltWintersStart start, double[] daily, double[] weekly)
    {
        Array.Copy(start.Daily, daily, Day);
        Array.Copy(start.Weekly, weekly, Week);
        double level = start.Level, trend = p.Damped ? start.Trend : 0, sse = 0;
        double alpha = p.Alpha, beta = p.Beta, phi = p.Phi, delta = p.Delta * (1 - p.Alpha), omega = p.Omega * (1 - p.Alpha);
        int i = 0, k = 0;
        for (var t = 0; t < values.Length; t++)
        {
            var damped = phi * trend;
            var forecast = level + damped + daily[i] + weekly[k];
            var value = values[t];
            var error = double.IsNaN(value) ? 0 : value - forecast;
            sse += error * error;
            level += damped + alpha * error;
            trend = damped + beta * error;
            daily[i] += delta * error;
            weekly[k] += omega * error;
            if (++i == Day)
            {
                i = 0;
            }
            if (++k == Week)
            {
                k = 0;
            }
        }
        return sse;
    }

    /// <summary>
    /// Fits α, δ, ω (and, for the damped variant, β and φ) by minimising the one-step SSE: a coarse grid picks the
    /// starting point and a bounded Nelder-Mead refines it. Both variants are fitted; the damped trend is kept only
    /// if it earns its two extra parameters by AIC, so a flat series does not extrapolate noise as trend.
    /// </summary>
    public static HoltWintersParameters Fit(ReadOnlySpan<double> values)
    {
        var observed = 0;
        foreach (var v in values)
        {
            if (!double.IsNaN(v))
            {
                observed++;
            }
        }
        var flat = FitVariant(values, damped: false, out var flatSse);
        var damped = FitVariant(values, damped: true, out var dampedSse);
        return Aic(observed, flatSse, 3) <= Aic(observed, dampedSse, 5) ? flat : damped;
    }

    private static double Aic(int n, double sse, int parameters) => n * Math.Log(Math.Max(sse, 1e-300) / n) + 2 * parameters;

    private static HoltWintersParameters FitVariant(ReadOnlySpan<double> values, bool damped, out double sse)
    {
        var start = HoltWintersStart.From(values, damped);
        var daily = new double[Day];
        var weekly = new double[Week];
        // The span cannot be captured by the objective, so the search works on a copy.
        var copy = values.ToArray();
        double Objective(double[] u) => SumOfSquaredErrors(copy, HoltWintersParameters.FromUnit(u, damped), start, daily, weekly);

        double[] grid = [0.02, 0.1, 0.3, 0.6];
        double[]? best = null;
        var bestValue = double.PositiveInfinity;
        foreach (var alpha in grid)
        {
            foreach (var delta in grid.AsSpan(0, 3))
            {
                foreach (var omega in grid.AsSpan(0, 3))
                {
                    double[] u = damped ? [alpha, delta, omega, 0.05, 0.8] : [alpha, delta, omega];
                    var value = Objective(u);
                    if (value < bestValue)
                    {
                        bestValue = value;
                        best = u;
                    }
                }
            }
        }
        var minimum = BoundedNelderMead.Minimise(Objective, best!, maximumEvaluations: damped ? 600 : 400);
        sse = minimum.Value;
        return HoltWintersParameters.FromUnit(minimum.Point, damped);
    }
}

/// <summary>
/// Holt-Winters' smoothing parameters. Without a damped trend Beta is 0 and Phi 1 (the trend stays 0). The search
/// works on the unit box; φ maps to [0.8, 1], the range where damping is gentle enough to be a trend at all.
/// </summary>
internal sealed record HoltWintersParameters(double Alpha, double Delta, double Omega, double Beta = 0, double Phi = 1)
{
    public const double MinimumPhi = 0.8;

    public bool Damped => Beta > 0;

    public static HoltWintersParameters FromUnit(double[] u, bool damped) => damped
        ? new(u[0], u[1], u[2], u[3], MinimumPhi + (1 - MinimumPhi) * u[4])
        : new(u[0], u[1], u[2]);

    public IReadOnlyDictionary<string, double> ToDictionary() => new Dictionary<string, double>
    {
        ["alpha"] = Alpha,
        ["delta"] = Delta,
        ["omega"] = Omega,
        ["beta"] = Beta,
        ["phi"] = Phi,
    };

    public static HoltWintersParameters FromDictionary(IReadOnlyDictionary<string, double> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        double Read(string name, double? fallback = null)
        {
            if (parameters.TryGetValue(name, out var value))
            {
                return value;
            }
            return fallback ?? throw new ArgumentException($"The Holt-Winters parameters lack '{name}'.", nameof(parameters));
        }
        var result = new HoltWintersParameters(Read("alpha"), Read("delta"), Read("omega"), Read("beta", 0), Read("phi", 1));
        foreach (var (name, value, low, high) in new[]
                 {
                     ("alpha", result.Alpha, 0.0, 1.0), ("delta", result.Delta, 0.0, 1.0), ("omega", result.Omega, 0.0, 1.0),
                     ("beta", result.Beta, 0.0, 1.0), ("phi", result.Phi, 0.0, 1.0),
                 })
        {
            if (!(value >= low && value <= high))
            {
                throw new ArgumentException($"The Holt-Winters parameter '{name}' is {value}, outside [{low}, {high}].", nameof(parameters));
            }
        }
        return result;
    }
}

/// <summary>
/// The initial state, from the first two weeks: the level is their mean (less the trend to their middle), the
/// weekly profile the mean of each hour of the week over both weeks, split into its daily part (the mean per hour
/// of the day) and the weekly remainder. Gaps are left out of every mean; an hour of the week never observed
/// takes its hour of the day.
/// </summary>
internal sealed record HoltWintersStart(double Level, double Trend, double[] Daily, double[] Weekly)
{
    public static HoltWintersStart From(ReadOnlySpan<double> values, bool damped)
    {
        var span = values[..Math.Min(values.Length, HoltWinters.WarmUp)];
        var (firstWeek, firstCount) = Mean(span[..Math.Min(span.Length, HoltWinters.Week)]);
        var (secondWeek, secondCount) = span.Length > HoltWinters.Week ? Mean(span[HoltWinters.Week..]) : (0, 0);
        var (mean, count) = Mean(span);
        if (count == 0)
        {
            throw new ArgumentException("The first two weeks of the history hold no data to start Holt-Winters from.");
        }
        var trend = damped && firstCount > 0 && secondCount > 0 ? (secondWeek - firstWeek) / HoltWinters.Week : 0;
        var middle = (span.Length - 1) / 2.0;

        var weekSum = new double[HoltWinters.Week];
        var weekCount = new int[HoltWinters.Week];
        var daySum = new double[HoltWinters.Day];
        var dayCount = new int[HoltWinters.Day];
        for (var t = 0; t < span.Length; t++)
        {
            if (double.IsNaN(span[t]))
            {
                continue;
            }
            var deviation = span[t] - (mean + (t - middle) * trend);
            weekSum[t % HoltWinters.Week] += deviation;
            weekCount[t % HoltWinters.Week]++;
            daySum[t % HoltWinters.Day] += deviation;
            dayCount[t % HoltWinters.Day]++;
        }
        var daily = new double[HoltWinters.Day];
        for (var i = 0; i < HoltWinters.Day; i++)
        {
            daily[i] = dayCount[i] == 0 ? 0 : daySum[i] / dayCount[i];
        }
        var weekly = new double[HoltWinters.Week];
        for (var k = 0; k < HoltWinters.Week; k++)
        {
            weekly[k] = weekCount[k] == 0 ? 0 : weekSum[k] / weekCount[k] - daily[k % HoltWinters.Day];
        }
        // The state precedes hour 0: the level one step before it, so that its first forecast is the trend line at 0.
        return new HoltWintersStart(mean - (middle + 1) * trend, trend, daily, weekly);
    }

    private static (double Mean, int Count) Mean(ReadOnlySpan<double> values)
    {
        double sum = 0;
        var count = 0;
        foreach (var v in values)
        {
            if (!double.IsNaN(v))
            {
                sum += v;
                count++;
            }
        }
        return (count == 0 ? 0 : sum / count, count);
    }
}
