using System.Diagnostics;
using System.Globalization;
using System.Text;
using Workforce.Core.Forecasting;
using Workforce.Core.Forecasting.Synthetic;

namespace Workforce.Forecast;

/// <summary>
/// --benchmark: accuracy of every method on generated series of several shapes (means over seeds), anomaly
/// precision and recall on injected 10× spikes, and timings on one core. Figures go to docs/performance.md.
/// </summary>
internal static class ForecastBenchmark
{
    private const int Seeds = 5;
    private const int Hours = 2_000;

    private static readonly (string Name, Func<int, SeriesShape> Shape)[] Shapes =
    [
        ("daily+weekly", _ => new SeriesShape(Noise: 0.1)),
        ("trend +3 %/week", _ => new SeriesShape(Noise: 0.1, TrendPerWeek: 0.03)),
        ("Poisson counts, mean 20", _ => new SeriesShape(Level: 20, PoissonCounts: true)),
        ("intermittent, mean 0.5", _ => new SeriesShape(Level: 0.5, DailyAmplitude: 0.9, WeeklyAmplitude: 0.5, PoissonCounts: true)),
        ("daily+weekly, 10 % gaps", _ => new SeriesShape(Noise: 0.1, GapShare: 0.1)),
        ("level shift x1.5, 10 days before end", _ => new SeriesShape(Noise: 0.1, LevelShiftAt: Hours - 240, LevelShiftFactor: 1.5)),
        ("level shift x1.5, 4 weeks before end", _ => new SeriesShape(Noise: 0.1, LevelShiftAt: Hours - 672, LevelShiftFactor: 1.5)),
    ];

    public static int Run(TextWriter output)
    {
        // One core, as the target says; the process is single-threaded anyway, this keeps the OS from moving it.
        if (OperatingSystem.IsLinux() || OperatingSystem.IsWindows())
        {
            Process.GetCurrentProcess().ProcessorAffinity = 1;
        }
        var settings = new ForecastSettings();
        output.WriteLine(Invariant($"Accuracy: {Hours:N0} hourly points per series, {Seeds} seeds per shape, backtest over the last {settings.BacktestDays} days, 85 % intervals."));
        output.WriteLine();
        output.WriteLine(Invariant($"| shape | method | MASE | sMAPE % | coverage | chosen |"));
        output.WriteLine("|---|---|---:|---:|---:|---:|");
        foreach (var (name, shape) in Shapes)
        {
            var totals = Forecaster.Methods.ToDictionary(m => m, _ => (Mase: 0.0, Smape: 0.0, Coverage: 0.0, Chosen: 0));
            for (var seed = 0; seed < Seeds; seed++)
            {
                var series = SyntheticSeries.Generate(shape(seed), Hours, seed: 1_000 + seed);
                var result = Forecaster.Train(series.ToHourly(), settings);
                foreach (var c in result.Candidates)
                {
                    var t = totals[c.Method];
                    totals[c.Method] = (t.Mase + c.Backtest.Mase, t.Smape + c.Backtest.Smape, t.Coverage + c.Backtest.Coverage, t.Chosen + (c == result.Chosen ? 1 : 0));
                }
            }
            foreach (var (method, t) in totals)
            {
                output.WriteLine(Invariant($"| {name} | {method} | {t.Mase / Seeds:0.000} | {t.Smape / Seeds:0.0} | {t.Coverage / Seeds:P0} | {t.Chosen}/{Seeds} |"));
            }
        }

        output.WriteLine();
        output.WriteLine("Anomalies: 20 injected 10x spikes in the last 28 days of each series, examined over those 28 days, threshold 5, against the chosen method and against Holt-Winters (what the tool uses).");
        output.WriteLine();
        output.WriteLine("| shape | detected with | flagged | true | precision | recall | false within 48 h after a level shift |");
        output.WriteLine("|---|---|---:|---:|---:|---:|---:|");
        foreach (var (name, shape) in Shapes)
        {
            foreach (var detector in new[] { "chosen", "holtWinters" })
            {
                int flagged = 0, hits = 0, injected = 0, atShift = 0;
                for (var seed = 0; seed < Seeds; seed++)
                {
                    var series = SyntheticSeries.Generate(shape(seed) with { Anomalies = 20 }, Hours, seed: 2_000 + seed);
                    var result = Forecaster.Train(series.ToHourly(), settings);
                    var model = detector == "chosen" ? result.Chosen : result.Candidates.Single(c => c.Method == detector);
                    var found = Forecaster.DetectAnomalies(series.ToHourly(), model.Method, model.Parameters, settings, 24 * 28);
                    flagged += found.Count;
                    hits += found.Count(a => series.AnomalyIndices.Contains((int)(a.At - series.Start).TotalHours));
                    injected += series.AnomalyIndices.Count;
                    if (shape(seed).LevelShiftAt is { } shift)
                    {
                        atShift += found.Count(a => !series.AnomalyIndices.Contains((int)(a.At - series.Start).TotalHours)
                            && a.At >= series.Start.AddHours(shift) && a.At < series.Start.AddHours(shift + 48));
                    }
                }
                output.WriteLine(Invariant($"| {name} | {detector} | {flagged} | {hits} | {(flagged == 0 ? double.NaN : (double)hits / flagged):P1} | {(double)hits / injected:P1} | {atShift} |"));
            }
        }

        output.WriteLine();
        output.WriteLine("Timing (one core, median of 21 runs after 5 warm-up runs):");
        output.WriteLine();
        output.WriteLine("| operation | median ms | max ms |");
        output.WriteLine("|---|---:|---:|");
        var minuteCsv = MinuteCsv(days: 30);
        Time(output, "read + aggregate 30 days of minute CSV (43,200 lines) to 720 hours", () =>
            CsvHistory.Load(new StringReader(minuteCsv), CsvHistory.Aggregation.Sum, TextWriter.Null));
        foreach (var hours in new[] { 1_000, 2_000, 4_320 })
        {
            var series = SyntheticSeries.Generate(new SeriesShape(Noise: 0.1, TrendPerWeek: 0.01), hours, seed: 3_000).ToHourly();
            Time(output, Invariant($"train, {hours:N0} hourly points (4 methods, backtest, refit, 48 h forecast)"), () => Forecaster.Train(series, settings));
            var chosen = Forecaster.Train(series, settings).Chosen;
            var hw = Forecaster.Train(series, settings).Candidates.Single(c => c.Method == "holtWinters");
            Time(output, Invariant($"forecast 48 h with fitted parameters, {hours:N0} points ({hw.Method})"), () => Forecaster.Forecast(series, hw.Method, hw.Parameters, settings));
            Time(output, Invariant($"detect anomalies, {hours:N0} points ({chosen.Method})"), () => Forecaster.DetectAnomalies(series, chosen.Method, chosen.Parameters, settings, 24));
        }
        return ForecastCommand.Ok;
    }

    private static void Time(TextWriter output, string name, Func<object> action)
    {
        for (var i = 0; i < 5; i++)
        {
            action();
        }
        var samples = new List<double>();
        for (var i = 0; i < 21; i++)
        {
            var clock = Stopwatch.StartNew();
            action();
            samples.Add(clock.Elapsed.TotalMilliseconds);
        }
        samples.Sort();
        output.WriteLine(Invariant($"| {name} | {samples[samples.Count / 2]:0.0} | {samples[^1]:0.0} |"));
    }

    /// <summary>30 days of per-minute counts, the hourly mean spread evenly over each hour's minutes.</summary>
    private static string MinuteCsv(int days)
    {
        var hours = SyntheticSeries.Generate(new SeriesShape(Noise: 0.1), days * 24, seed: 4_000);
        var text = new StringBuilder("timestamp,value\n");
        for (var minute = 0; minute < days * 24 * 60; minute++)
        {
            var at = hours.Start.AddMinutes(minute);
            text.Append(at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)).Append(',')
                .Append((hours.Values[minute / 60] / 60).ToString("0.###", CultureInfo.InvariantCulture)).Append('\n');
        }
        return text.ToString();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
