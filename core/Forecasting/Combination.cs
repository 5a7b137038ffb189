namespace Workforce.Core.Forecasting;

/// <summary>
/// The mean of Holt-Winters and seasonal-naive 168: the M4 competition's lesson that a simple combination of
/// methods often beats each of them. Where seasonal naive has nothing yet, Holt-Winters alone.
/// </summary>
internal sealed class Combination(HoltWinters holtWinters, SeasonalNaive weekly) : IModelState
{
    public double OneStep() => Mean(holtWinters.OneStep(), weekly.OneStep());

    public void Forecast(Span<double> into)
    {
        Span<double> other = into.Length <= 512 ? stackalloc double[into.Length] : new double[into.Length];
        holtWinters.Forecast(into);
        weekly.Forecast(other);
        for (var h = 0; h < into.Length; h++)
        {
            into[h] = Mean(into[h], other[h]);
        }
    }

    public void Observe(double value)
    {
        holtWinters.Observe(value);
        weekly.Observe(value);
    }

    private static double Mean(double a, double b) => double.IsNaN(b) ? a : (a + b) / 2;
}
