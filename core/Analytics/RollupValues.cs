using System.Text.Json;

namespace Workforce.Core.Analytics;

/// <summary>
/// What one rollup holds: named counters and latency histograms, all of which add. A gauge (a level sampled now and
/// then, like queue depth) is kept as three counters — the sum of its samples, their number and their largest — so
/// its average and peak over any range can still be read after rollups are added together.
/// </summary>
public sealed class RollupValues
{
    private readonly Dictionary<string, long> _counters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LatencyHistogram> _histograms = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, long> Counters => _counters;

    public IReadOnlyDictionary<string, LatencyHistogram> Histograms => _histograms;

    public bool IsEmpty => _counters.Count == 0 && _histograms.Count == 0;

    public long Counter(string name) => _counters.GetValueOrDefault(name);

    public LatencyHistogram? Histogram(string name) => _histograms.GetValueOrDefault(name);

    public void Increment(string name, long by = 1) => _counters[name] = _counters.GetValueOrDefault(name) + by;

    public void Observe(string histogram, TimeSpan duration) => HistogramFor(histogram).Add(duration);

    /// <summary>One sample of a gauge: see the class remarks.</summary>
    public void Sample(string gauge, long value)
    {
        Increment(gauge + GaugeSuffix.Sum, value);
        Increment(gauge + GaugeSuffix.Samples);
        var max = gauge + GaugeSuffix.Max;
        _counters[max] = _counters.TryGetValue(max, out var peak) ? Math.Max(peak, value) : value;
    }

    /// <summary>The gauge's average over the samples added in; null when it was never sampled.</summary>
    public double? Average(string gauge) =>
        Counter(gauge + GaugeSuffix.Samples) is var samples and > 0 ? (double)Counter(gauge + GaugeSuffix.Sum) / samples : null;

    /// <summary>The sum of the gauge's samples: busy slots over capacity is a ratio of two such sums.</summary>
    public long SampleSum(string gauge) => Counter(gauge + GaugeSuffix.Sum);

    public long SampleCount(string gauge) => Counter(gauge + GaugeSuffix.Samples);

    public long? Peak(string gauge) => _counters.TryGetValue(gauge + GaugeSuffix.Max, out var max) ? max : null;

    public void Merge(RollupValues other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var (name, value) in other._counters)
        {
            _counters[name] = name.EndsWith(GaugeSuffix.Max, StringComparison.Ordinal) && _counters.TryGetValue(name, out var mine)
                ? Math.Max(mine, value)
                : _counters.GetValueOrDefault(name) + value;
        }

        foreach (var (name, histogram) in other._histograms)
        {
            HistogramFor(name).Merge(histogram);
        }
    }

    /// <summary>The stored form: <c>{"c":{"completed":3},"h":{"runTime":{"12":2,"13":1}}}</c>.</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("c");
            foreach (var (name, value) in _counters)
            {
                json.WriteNumber(name, value);
            }

            json.WriteEndObject();
            json.WriteStartObject("h");
            foreach (var (name, histogram) in _histograms)
            {
                json.WriteStartObject(name);
                foreach (var (bucket, count) in histogram.Buckets)
                {
                    json.WriteNumber(bucket.ToString(System.Globalization.CultureInfo.InvariantCulture), count);
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <exception cref="JsonException">The text is not what <see cref="ToJson"/> writes.</exception>
    public static RollupValues FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = JsonDocument.Parse(json);
        var values = new RollupValues();
        if (document.RootElement.TryGetProperty("c", out var counters))
        {
            foreach (var counter in counters.EnumerateObject())
            {
                values._counters[counter.Name] = counter.Value.GetInt64();
            }
        }

        if (document.RootElement.TryGetProperty("h", out var histograms))
        {
            foreach (var histogram in histograms.EnumerateObject())
            {
                var into = values.HistogramFor(histogram.Name);
                foreach (var bucket in histogram.Value.EnumerateObject())
                {
                    into.Add(int.Parse(bucket.Name, System.Globalization.CultureInfo.InvariantCulture), bucket.Value.GetInt64());
                }
            }
        }

        return values;
    }

    private LatencyHistogram HistogramFor(string name)
    {
        if (!_histograms.TryGetValue(name, out var histogram))
        {
            _histograms[name] = histogram = new LatencyHistogram();
        }

        return histogram;
    }

    private static class GaugeSuffix
    {
        public const string Sum = ".sum";
        public const string Samples = ".n";
        public const string Max = ".max";
    }
}
