// Shared with tools/Workforce.Forecast (linked into its build for --benchmark): one generator for tests and figures.
namespace Workforce.Core.Forecasting.Synthetic;

/// <summary>
/// The shape of a generated hourly workload: a base level with a daily profile (business hours) and a weekly one
/// (quiet weekends), both as fractions of the level; a linear trend (fraction of the level per week); noise
/// (Gaussian, sd as a fraction of the level, or Poisson counts); a level shift; 10×-style spikes; gaps.
/// </summary>
internal sealed record SeriesShape(
    double Level = 100,
    double DailyAmplitude = 0.5,
    double WeeklyAmplitude = 0.3,
    double TrendPerWeek = 0,
    double Noise = 0.05,
    bool PoissonCounts = false,
    int? LevelShiftAt = null,
    double LevelShiftFactor = 1,
    int Anomalies = 0,
    double AnomalyFactor = 10,
    int AnomaliesInLastHours = 24 * 28,
    double GapShare = 0);

/// <summary>A generated series: its values (NaN for gaps), the mean it was drawn around, and where spikes went.</summary>
internal sealed record GeneratedSeries(DateTimeOffset Start, double[] Values, double[] Mean, IReadOnlySet<int> AnomalyIndices)
{
    public Workforce.Core.Forecasting.HourlySeries ToHourly() => new(Start, Values);
}

internal static class SyntheticSeries
{
    /// <summary>A Monday at midnight, so hour 0 is the start of a day and of a week.</summary>
    public static readonly DateTimeOffset Monday = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    public static GeneratedSeries Generate(SeriesShape shape, int hours, int seed)
    {
        var random = new Random(seed);
        var mean = new double[hours];
        var values = new double[hours];
        for (var t = 0; t < hours; t++)
        {
            var level = shape.Level * (1 + shape.TrendPerWeek * t / 168.0);
            if (shape.LevelShiftAt is { } shift && t >= shift)
            {
                level *= shape.LevelShiftFactor;
            }
            mean[t] = Math.Max(0, level * (1 + Daily(t % 24, shape.DailyAmplitude) + Weekly(t % 168, shape.WeeklyAmplitude)));
            values[t] = shape.PoissonCounts
                ? Poisson(random, mean[t])
                : Math.Max(0, mean[t] + shape.Noise * shape.Level * Gaussian(random));
        }

        var anomalies = new HashSet<int>();
        var from = Math.Max(336, hours - shape.AnomaliesInLastHours);
        while (anomalies.Count < shape.Anomalies)
        {
            var t = random.Next(from, hours);
            // Isolated spikes: two next to each other would be one event.
            if (anomalies.Contains(t - 1) || anomalies.Contains(t) || anomalies.Contains(t + 1))
            {
                continue;
            }
            anomalies.Add(t);
            values[t] = Math.Max(mean[t], shape.Level * 0.2) * shape.AnomalyFactor;
        }

        for (var t = 0; t < hours; t++)
        {
            if (!anomalies.Contains(t) && random.NextDouble() < shape.GapShare)
            {
                values[t] = double.NaN;
            }
        }
        return new GeneratedSeries(Monday, values, mean, anomalies);
    }

    /// <summary>Busy from 08:00 to 18:00, quiet at night; mean 0 over the day.</summary>
    public static double Daily(int hour, double amplitude) =>
        amplitude * (Math.Sin(2 * Math.PI * (hour - 8) / 24) + 0.3 * Math.Sin(4 * Math.PI * hour / 24));

    /// <summary>Weekdays above, Saturday and Sunday below; mean 0 over the week.</summary>
    public static double Weekly(int hourOfWeek, double amplitude) => hourOfWeek / 24 >= 5 ? -amplitude : amplitude * 2 / 5;

    private static double Gaussian(Random random)
    {
        var u1 = 1 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private static double Poisson(Random random, double mean)
    {
        if (mean > 50)
        {
            return Math.Max(0, Math.Round(mean + Math.Sqrt(mean) * Gaussian(random)));
        }
        var limit = Math.Exp(-mean);
        var count = 0;
        var product = random.NextDouble();
        while (product > limit)
        {
            count++;
            product *= random.NextDouble();
        }
        return count;
    }
}
