using System.Diagnostics;
using System.Globalization;
using System.Text;
using Workforce.Core.Forecasting.Synthetic;

namespace Workforce.Forecast.Tests;

public sealed class ForecastCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("forecast-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string PathOf(string name) => Path.Combine(_folder, name);

    /// <summary>Per-minute lines, each a sixtieth of the generated hour; a whole hour left out every 100 hours.</summary>
    private string MinuteCsv(GeneratedSeries series, bool header = true)
    {
        var text = new StringBuilder(header ? "timestamp,value\n" : "");
        for (var hour = 0; hour < series.Values.Length; hour++)
        {
            if (hour % 100 == 50)
            {
                continue;
            }
            for (var minute = 0; minute < 60; minute++)
            {
                var at = series.Start.AddHours(hour).AddMinutes(minute);
                text.Append(CultureInfo.InvariantCulture, $"{at:yyyy-MM-ddTHH:mm:ssZ},{series.Values[hour] / 60}\n");
            }
        }
        var path = PathOf("history.csv");
        File.WriteAllText(path, text.ToString());
        return path;
    }

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = ForecastCommand.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static List<string[]> ReadCsv(string path) =>
        File.ReadAllLines(path).Skip(1).Select(line => line.Split(',')).ToList();

    [Fact]
    public void Minute_data_with_gaps_is_forecast_hourly_with_metrics_for_every_model_and_anomalies_listed()
    {
        var series = SyntheticSeries.Generate(new SeriesShape(Noise: 0.08), 1_200, seed: 31);
        // Spikes before the backtest's last 7 days: there they would dominate every model's error (see the docs).
        int[] spikes = [700, 905, 1_010];
        foreach (var t in spikes)
        {
            series.Values[t] = 10 * series.Mean[t] + 100;
        }
        var input = MinuteCsv(series);

        var (code, output, error) = Run("--input", input, "--horizon", "36", "--output", PathOf("forecast.csv"), "--anomalies", PathOf("anomalies.csv"));

        Assert.True(code == 0, error);
        Assert.Contains("1,200 hours", output, StringComparison.Ordinal);
        Assert.Contains("12 gaps", output, StringComparison.Ordinal);
        foreach (var method in new[] { "seasonalNaive24", "seasonalNaive168", "holtWinters", "combination" })
        {
            Assert.Contains(method, output, StringComparison.Ordinal);
        }
        Assert.Contains("Chosen: ", output, StringComparison.Ordinal);
        Assert.True(output.Contains("would be promoted", StringComparison.Ordinal), output);
        Assert.Contains("Training", error, StringComparison.Ordinal);

        Assert.Equal("timestamp,forecast,lower,upper", File.ReadLines(PathOf("forecast.csv")).First());
        var rows = ReadCsv(PathOf("forecast.csv"));
        Assert.Equal(36, rows.Count);
        for (var h = 0; h < rows.Count; h++)
        {
            Assert.Equal(series.Start.AddHours(1_200 + h), DateTimeOffset.Parse(rows[h][0], CultureInfo.InvariantCulture));
            var (value, lower, upper) = (Number(rows[h][1]), Number(rows[h][2]), Number(rows[h][3]));
            Assert.True(0 <= lower && lower <= value && value <= upper, string.Join(',', rows[h]));
            var expected = series.Mean[1_200 + h - 168];
            Assert.InRange(value, expected * 0.8 - 5, expected * 1.2 + 5);
        }

        var flagged = ReadCsv(PathOf("anomalies.csv")).Select(r => (int)(DateTimeOffset.Parse(r[0], CultureInfo.InvariantCulture) - series.Start).TotalHours).ToList();
        Assert.Equal(spikes, flagged);
    }

    [Fact]
    public void A_model_no_better_than_seasonal_naive_is_reported_as_not_promoted()
    {
        // A level shift three days before the backtest: no method has caught up with it yet.
        var series = SyntheticSeries.Generate(new SeriesShape(Noise: 0.1, LevelShiftAt: 1_760, LevelShiftFactor: 1.5), 2_000, seed: 35);

        var (code, output, _) = Run("--input", MinuteCsv(series), "--output", PathOf("forecast.csv"));

        Assert.Equal(0, code);
        Assert.True(output.Contains("would NOT be promoted", StringComparison.Ordinal), output);
        Assert.Contains("not confident", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Averaging_per_hour_gives_forecasts_on_the_per_minute_scale()
    {
        var series = SyntheticSeries.Generate(new SeriesShape(Noise: 0.05), 1_100, seed: 32);
        var input = MinuteCsv(series, header: false);

        var (sumCode, _, _) = Run("--input", input, "--output", PathOf("sum.csv"));
        var (meanCode, _, _) = Run("--input", input, "--output", PathOf("mean.csv"), "--aggregate", "mean");

        Assert.Equal((0, 0), (sumCode, meanCode));
        var sum = ReadCsv(PathOf("sum.csv")).Average(r => Number(r[1]));
        var mean = ReadCsv(PathOf("mean.csv")).Average(r => Number(r[1]));
        Assert.Equal(60, sum / mean, 1);
    }

    [Fact]
    public void An_unparseable_line_is_named_and_exits_with_2()
    {
        File.WriteAllText(PathOf("bad.csv"), "timestamp,value\n2026-01-05T00:00:00Z,3\n2026-01-05T01:00:00Z,4\nyesterday,5\n");

        var (code, _, error) = Run("--input", PathOf("bad.csv"), "--output", PathOf("out.csv"));

        Assert.Equal(2, code);
        Assert.Contains("line 4", error, StringComparison.Ordinal);
        Assert.False(File.Exists(PathOf("out.csv")));
    }

    [Fact]
    public void A_value_that_is_not_a_number_is_named_and_exits_with_2()
    {
        File.WriteAllText(PathOf("bad.csv"), "2026-01-05T00:00:00Z,3\n2026-01-05T01:00:00Z,four\n");

        var (code, _, error) = Run("--input", PathOf("bad.csv"), "--output", PathOf("out.csv"));

        Assert.Equal(2, code);
        Assert.Contains("line 2", error, StringComparison.Ordinal);
        Assert.Contains("four", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Fewer_than_a_thousand_hourly_points_exit_with_2()
    {
        var series = SyntheticSeries.Generate(new SeriesShape(), 720, seed: 33);

        var (code, _, error) = Run("--input", MinuteCsv(series), "--output", PathOf("out.csv"));

        Assert.Equal(2, code);
        Assert.Contains("1,000", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_options_exit_with_2_and_help_exits_with_0()
    {
        Assert.Equal(2, Run("--input", "x.csv").Code);
        Assert.Equal(2, Run("--input", "x.csv", "--output", "y.csv", "--coverage", "85").Code);
        Assert.Equal(2, Run("--frobnicate").Code);
        var (code, output, _) = Run("--help");
        Assert.Equal(0, code);
        Assert.Contains("--horizon", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_built_tool_runs_as_a_process()
    {
        var tool = Path.Combine(AppContext.BaseDirectory, "Workforce.Forecast.dll");
        var series = SyntheticSeries.Generate(new SeriesShape(Noise: 0.1), 1_050, seed: 34);
        var input = PathOf("hourly.csv");
        File.WriteAllLines(input, series.Values.Select((v, t) => string.Create(CultureInfo.InvariantCulture, $"{series.Start.AddHours(t):O},{v}")));

        using var process = Process.Start(new ProcessStartInfo("dotnet", [tool, "--input", input, "--output", PathOf("forecast.csv")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.True(process.ExitCode == 0, await error);
        Assert.Contains("Chosen: ", await output, StringComparison.Ordinal);
        Assert.Equal(48, ReadCsv(PathOf("forecast.csv")).Count);
    }

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);
}
