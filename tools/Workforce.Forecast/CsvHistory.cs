using System.Globalization;
using Workforce.Core.Forecasting;

namespace Workforce.Forecast;

/// <summary>A line of the input that cannot be read; the message names it.</summary>
internal sealed class InputException(string message) : Exception(message);

/// <summary>
/// Reads <c>timestamp,value</c> lines (per-minute, hourly or anything finer than an hour, in any order; a header line
/// is recognised by its first field not being a timestamp) into an hourly series: each hour is the sum of its values,
/// or their mean, and an hour with no line is a gap. Timestamps without an offset are UTC. An empty value or "NaN" is
/// a gap too.
/// </summary>
internal static class CsvHistory
{
    public enum Aggregation { Sum, Mean }

    public sealed record Read(HourlySeries Series, int Lines, int Gaps);

    public static Read Load(TextReader reader, Aggregation aggregation, TextWriter progress)
    {
        var sums = new Dictionary<long, (double Sum, int Count)>();
        var lineNumber = 0;
        var lines = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            var comma = line.IndexOf(',', StringComparison.Ordinal);
            var first = (comma < 0 ? line : line[..comma]).Trim().Trim('"');
            if (!DateTimeOffset.TryParse(first, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                if (lineNumber == 1 && lines == 0)
                {
                    continue; // the header
                }
                throw new InputException($"line {lineNumber}: '{first}' is not a timestamp (expected e.g. 2026-12-01T13:00:00Z).");
            }
            if (comma < 0)
            {
                throw new InputException($"line {lineNumber}: expected 'timestamp,value'.");
            }
            var field = line[(comma + 1)..].Trim().Trim('"');
            double value;
            if (field.Length == 0 || field.Equals("NaN", StringComparison.OrdinalIgnoreCase))
            {
                value = double.NaN;
            }
            else if (!double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out value) || !double.IsFinite(value))
            {
                throw new InputException($"line {lineNumber}: '{field}' is not a number.");
            }
            var hour = at.UtcTicks / TimeSpan.TicksPerHour;
            var (sum, count) = sums.GetValueOrDefault(hour);
            sums[hour] = double.IsNaN(value) ? (sum, count) : (sum + value, count + 1);
            lines++;
            if (lines % 1_000_000 == 0)
            {
                progress.WriteLine($"  read {lines:N0} lines …");
            }
        }
        if (sums.Count == 0)
        {
            throw new InputException("the input holds no 'timestamp,value' lines.");
        }

        var firstHour = sums.Keys.Min();
        var lastHour = sums.Keys.Max();
        var values = new double[lastHour - firstHour + 1];
        var gaps = 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (sums.TryGetValue(firstHour + i, out var cell) && cell.Count > 0)
            {
                values[i] = aggregation == Aggregation.Sum ? cell.Sum : cell.Sum / cell.Count;
            }
            else
            {
                values[i] = double.NaN;
                gaps++;
            }
        }
        return new Read(new HourlySeries(new DateTimeOffset(firstHour * TimeSpan.TicksPerHour, TimeSpan.Zero), values), lines, gaps);
    }
}
