using System.Globalization;
using System.Text.RegularExpressions;

namespace Workforce.Server.Tests.Observability;

/// <summary>A scrape in Prometheus's text format, read into samples: enough to look a series up by name and labels.</summary>
public sealed partial class PrometheusScrape
{
    private readonly List<(string Name, Dictionary<string, string> Labels, double Value)> _samples = [];

    public PrometheusScrape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Text = text;
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith('#'))
            {
                continue;
            }

            var match = Sample().Match(line);
            Assert.True(match.Success, $"Not a sample line: {line}");
            var labels = Label().Matches(match.Groups["labels"].Value)
                .ToDictionary(label => label.Groups["key"].Value, label => label.Groups["value"].Value, StringComparer.Ordinal);
            _samples.Add((match.Groups["name"].Value, labels, double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture)));
        }
    }

    public string Text { get; }

    public IEnumerable<string> Names => _samples.Select(sample => sample.Name).Distinct(StringComparer.Ordinal);

    /// <summary>The one series of that name carrying those labels (and maybe more); 0 when there is none yet, as Prometheus counts a counter not yet seen.</summary>
    public double Value(string name, params (string Key, string Value)[] labels)
    {
        var matching = _samples
            .Where(sample => sample.Name == name && labels.All(label => sample.Labels.GetValueOrDefault(label.Key) == label.Value))
            .ToList();
        Assert.True(matching.Count <= 1, $"{matching.Count} series of {name} match; labels should pick one.");
        return matching.Count == 0 ? 0 : matching[0].Value;
    }

    public bool Has(string name, params (string Key, string Value)[] labels) =>
        _samples.Any(sample => sample.Name == name && labels.All(label => sample.Labels.GetValueOrDefault(label.Key) == label.Value));

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\d+)?$""")]
    private static partial Regex Sample();

    [GeneratedRegex("""(?<key>[a-zA-Z_][a-zA-Z0-9_]*)="(?<value>(\\.|[^"\\])*)"[,]?""")]
    private static partial Regex Label();
}
