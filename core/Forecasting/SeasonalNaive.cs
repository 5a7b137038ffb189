namespace Workforce.Core.Forecasting;

/// <summary>
/// Seasonal naive: each hour's forecast is the value one season (24 or 168 hours) earlier. A gap keeps the value of
/// the season before, so a missing hour is forecast from the latest observed hour at the same phase; before a
/// whole season has been seen, the last observed value stands in.
/// </summary>
internal sealed class SeasonalNaive : IModelState
{
    private readonly double[] _seasonAgo;
    private int _t;
    private double _last = double.NaN;

    public SeasonalNaive(int period)
    {
        _seasonAgo = new double[period];
        Array.Fill(_seasonAgo, double.NaN);
    }

    public int Period => _seasonAgo.Length;

    public double OneStep() => At(0);

    public void Forecast(Span<double> into)
    {
        for (var h = 0; h < into.Length; h++)
        {
            into[h] = At(h);
        }
    }

    public void Observe(double value)
    {
        if (!double.IsNaN(value))
        {
            _seasonAgo[_t % _seasonAgo.Length] = value;
            _last = value;
        }
        _t++;
    }

    private double At(int ahead)
    {
        var value = _seasonAgo[(_t + ahead) % _seasonAgo.Length];
        return double.IsNaN(value) ? _last : value;
    }

    /// <summary>In-sample MAE of the seasonal-naive forecast with the given period: the scale of MASE.</summary>
    public static double InSampleMae(ReadOnlySpan<double> values, int period)
    {
        double sum = 0;
        var count = 0;
        for (var t = period; t < values.Length; t++)
        {
            if (!double.IsNaN(values[t]) && !double.IsNaN(values[t - period]))
            {
                sum += Math.Abs(values[t] - values[t - period]);
                count++;
            }
        }
        return count == 0 ? 0 : sum / count;
    }
}
