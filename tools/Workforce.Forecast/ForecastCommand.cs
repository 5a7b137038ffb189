using System.Diagnostics;
using System.Globalization;
using Workforce.Core.Forecasting;

namespace Workforce.Forecast;

/// <summary>
/// The command line: reads a history, trains every method exactly as the server does (Forecaster.Train), prints
/// each one's backtest and whether the chosen one would be promoted, and writes the forecast (and anomalies).
/// Exit codes: 0 done, 2 bad arguments or input.
/// </summary>
internal static class ForecastCommand
{
    public const int Ok = 0;
    public const int BadInput = 2;

    public const string Usage = """
        Workforce.Forecast — forecast an hourly workload with the server's models.

        Usage:
          dotnet run --project tools/Workforce.Forecast -- --input history.csv --output forecast.csv [options]
          dotnet run -c Release --project tools/Workforce.Forecast -- --benchmark

        Input: lines of 'timestamp,value' (ISO 8601; without an offset, UTC), header optional, per-minute or hourly, in
        any order; hours with no line are gaps. Values are summed per hour (or averaged with --aggregate mean).
        At least 1,000 observed hours are needed.

        Options:
          --input FILE          the history (required)
          --output FILE         writes timestamp,forecast,lower,upper for the next hours (required)
          --horizon N           hours to forecast (default 48)
          --coverage C          prediction-interval coverage, 0-1 (default 0.85)
          --aggregate sum|mean  how values within an hour combine (default sum)
          --backtest-days N     the rolling-origin backtest's span (default 7)
          --anomalies FILE      writes timestamp,value,expected,score for the hours flagged as anomalies
                                (one-step residuals against Holt-Winters, robust z-score >= the threshold)
          --threshold Z         robust z-score from which an hour is an anomaly (default 5)
          --benchmark           measures accuracy and timing on generated series instead (see docs/performance.md)
          --help                this text

        Promotion: a model would be promoted if its backtest MASE is below 1 (it beats seasonal naive); the server
        also requires it to beat the version in service.
        """;

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        Options options;
        try
        {
            options = Options.Parse(args);
        }
        catch (InputException e)
        {
            error.WriteLine($"error: {e.Message}");
            error.WriteLine("Run with --help for usage.");
            return BadInput;
        }
        if (options.Help)
        {
            output.WriteLine(Usage);
            return Ok;
        }
        if (options.Benchmark)
        {
            return ForecastBenchmark.Run(output);
        }
        try
        {
            return Forecast(options, output, error);
        }
        catch (InputException e)
        {
            error.WriteLine($"error: {options.Input}: {e.Message}");
            return BadInput;
        }
        catch (ArgumentException e)
        {
            error.WriteLine($"error: {e.Message}");
            return BadInput;
        }
        catch (IOException e)
        {
            error.WriteLine($"error: {e.Message}");
            return BadInput;
        }
        catch (UnauthorizedAccessException e)
        {
            error.WriteLine($"error: {e.Message}");
            return BadInput;
        }
    }

    private static int Forecast(Options options, TextWriter output, TextWriter progress)
    {
        var clock = Stopwatch.StartNew();
        progress.WriteLine($"Reading {options.Input} …");
        CsvHistory.Read read;
        using (var reader = new StreamReader(options.Input!))
        {
            read = CsvHistory.Load(reader, options.Aggregate, progress);
        }
        var series = read.Series;
        var observed = series.Count - read.Gaps;
        output.WriteLine(Invariant($"Read {read.Lines:N0} lines: {series.Count:N0} hours from {Stamp(series.Start)} to {Stamp(series.At(series.Count - 1))}, {observed:N0} observed, {read.Gaps:N0} gaps."));
        if (observed < Forecaster.MinimumPoints)
        {
            throw new InputException(Invariant($"{observed:N0} observed hours; a model trains from {Forecaster.MinimumPoints:N0} (about six weeks of hourly data)."));
        }

        var settings = new ForecastSettings(options.Horizon, options.Coverage, options.BacktestDays, options.Threshold);
        progress.WriteLine(Invariant($"Training {Forecaster.Methods.Count} methods, backtest over the last {settings.BacktestDays} days …"));
        var result = Forecaster.Train(series, settings);

        output.WriteLine();
        output.WriteLine(Invariant($"{"method",-18} {"MASE",8} {"sMAPE %",8} {"coverage",9}"));
        foreach (var candidate in result.Candidates)
        {
            var m = candidate.Backtest;
            var mark = candidate == result.Chosen ? "  <- chosen" : "";
            output.WriteLine(Invariant($"{candidate.Method,-18} {m.Mase,8:0.000} {m.Smape,8:0.0} {m.Coverage,9:P1}{mark}"));
        }
        var chosen = result.Chosen;
        var promoted = chosen.Backtest.Beats(inService: null);
        output.WriteLine();
        output.WriteLine(Invariant($"Chosen: {chosen.Method} (MASE {chosen.Backtest.Mase:0.000}); ") +
            (promoted
                ? "would be promoted (MASE < 1; the server also requires it to beat the version in service)."
                : "would NOT be promoted (MASE >= 1: no better than seasonal naive)."));
        if (chosen.Parameters.Count > 0)
        {
            output.WriteLine("Parameters: " + string.Join(", ", chosen.Parameters.Select(p => Invariant($"{p.Key}={p.Value:0.####}"))));
        }
        var confident = chosen.Backtest.Coverage >= settings.IntervalCoverage;
        output.WriteLine(Invariant($"Interval coverage {chosen.Backtest.Coverage:P1} against a target of {settings.IntervalCoverage:P0}: ") +
            (confident ? "confident." : "not confident."));

        WriteForecast(options.Output!, result.Forecast);
        output.WriteLine(Invariant($"Wrote {result.Forecast.Count} hours to {options.Output}."));

        if (options.Anomalies is { } anomaliesFile)
        {
            progress.WriteLine("Detecting anomalies …");
            // Against Holt-Winters whichever method forecasts: seasonal naive (alone or in the combination) keeps
            // expecting last week's level for a week after a level shift, and flags much of that week.
            var holtWinters = result.Candidates.Single(c => c.Method == "holtWinters");
            var anomalies = Forecaster.DetectAnomalies(series, holtWinters.Method, holtWinters.Parameters, settings, series.Count);
            WriteAnomalies(anomaliesFile, anomalies);
            output.WriteLine(Invariant($"Wrote {anomalies.Count} anomalies (robust z >= {settings.AnomalyThreshold}) to {anomaliesFile}."));
        }
        progress.WriteLine(Invariant($"Done in {clock.Elapsed.TotalSeconds:0.00} s."));
        return Ok;
    }

    private static void WriteForecast(string path, IReadOnlyList<ForecastPoint> forecast)
    {
        using var writer = new StreamWriter(path);
        writer.WriteLine("timestamp,forecast,lower,upper");
        foreach (var p in forecast)
        {
            writer.WriteLine(Invariant($"{Stamp(p.At)},{Number(p.Value)},{Number(p.Lower)},{Number(p.Upper)}"));
        }
    }

    private static void WriteAnomalies(string path, IReadOnlyList<DetectedAnomaly> anomalies)
    {
        using var writer = new StreamWriter(path);
        writer.WriteLine("timestamp,value,expected,score");
        foreach (var a in anomalies)
        {
            writer.WriteLine(Invariant($"{Stamp(a.At)},{Number(a.Value)},{Number(a.Expected)},{a.Score:0.##}"));
        }
    }

    private static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed record Options(
        string? Input, string? Output, string? Anomalies, int Horizon, double Coverage, int BacktestDays, double Threshold,
        CsvHistory.Aggregation Aggregate, bool Help, bool Benchmark)
    {
        public static Options Parse(string[] args)
        {
            var defaults = new ForecastSettings();
            var options = new Options(null, null, null, defaults.Horizon, defaults.IntervalCoverage, defaults.BacktestDays, defaults.AnomalyThreshold,
                CsvHistory.Aggregation.Sum, false, false);
            for (var i = 0; i < args.Length; i++)
            {
                string Value() => i + 1 < args.Length ? args[++i] : throw new InputException($"{args[i]} needs a value.");
                options = args[i] switch
                {
                    "--help" or "-h" => options with { Help = true },
                    "--benchmark" => options with { Benchmark = true },
                    "--input" => options with { Input = Value() },
                    "--output" => options with { Output = Value() },
                    "--anomalies" => options with { Anomalies = Value() },
                    "--horizon" => options with { Horizon = Integer(args[i], Value(), 1, 24 * 28) },
                    "--backtest-days" => options with { BacktestDays = Integer(args[i], Value(), 1, 365) },
                    "--coverage" => options with { Coverage = Fraction(args[i], Value()) },
                    "--threshold" => options with { Threshold = Positive(args[i], Value()) },
                    "--aggregate" => options with
                    {
                        Aggregate = Value() switch
                        {
                            "sum" => CsvHistory.Aggregation.Sum,
                            "mean" => CsvHistory.Aggregation.Mean,
                            var other => throw new InputException($"--aggregate is sum or mean, not '{other}'."),
                        },
                    },
                    var unknown => throw new InputException($"unknown option '{unknown}'."),
                };
            }
            if (!options.Help && !options.Benchmark && (options.Input is null || options.Output is null))
            {
                throw new InputException("--input and --output are required.");
            }
            return options;
        }

        private static int Integer(string name, string text, int min, int max) =>
            int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
                ? value
                : throw new InputException($"{name} is a whole number from {min} to {max}, not '{text}'.");

        private static double Fraction(string name, string text) =>
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 && value < 1
                ? value
                : throw new InputException($"{name} lies strictly between 0 and 1, not '{text}'.");

        private static double Positive(string name, string text) =>
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0
                ? value
                : throw new InputException($"{name} is a positive number, not '{text}'.");
    }
}
