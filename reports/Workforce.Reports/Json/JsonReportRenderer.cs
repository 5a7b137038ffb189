using System.Text.Json;
using Workforce.Core.Reports;

namespace Workforce.Reports.Json;

/// <summary>
/// The whole report as one JSON object, written with <see cref="Utf8JsonWriter"/> straight to the output and flushed
/// whenever a few dozen kilobytes are pending, so the primary table never sits in memory. The shape is
/// docs/schemas/report.schema.json: enum values are camelCase strings, times ISO 8601 in UTC, rows objects keyed by
/// the columns' machine names, a null cell <c>null</c>.
/// </summary>
internal sealed class JsonReportRenderer : IReportRenderer
{
    /// <summary>Utf8JsonWriter holds what it wrote until flushed; past this many bytes it goes to the stream.</summary>
    private const int FlushThreshold = 32 * 1024;

    public ReportFormat Format => ReportFormat.Json;

    public string ContentType => "application/json; charset=utf-8";

    public string Extension => "json";

    public async Task RenderAsync(ReportDocument document, Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(output);

        await using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        json.WriteString("title", document.Title);
        json.WriteString("tenantId", document.TenantId);
        json.WriteString("type", CamelCase(document.Type));
        json.WriteString("from", CellValues.IsoUtc(document.From));
        json.WriteString("to", CellValues.IsoUtc(document.To));
        json.WriteString("generatedAt", CellValues.IsoUtc(document.GeneratedAt));

        json.WriteStartObject("filters");
        foreach (var (name, value) in document.Filters)
        {
            json.WriteString(name, value);
        }

        json.WriteEndObject();

        json.WriteStartArray("figures");
        foreach (var figure in document.Figures)
        {
            json.WriteStartObject();
            json.WriteString("label", figure.Label);
            if (figure.Value is { } value)
            {
                json.WriteNumber("value", value);
            }
            else
            {
                json.WriteNull("value");
            }

            json.WriteString("unit", figure.Unit);
            json.WriteEndObject();
        }

        json.WriteEndArray();

        json.WriteStartArray("charts");
        foreach (var chart in document.Charts)
        {
            await WriteChartAsync(json, chart, cancellationToken);
        }

        json.WriteEndArray();

        json.WriteStartArray("supportingTables");
        foreach (var table in document.SupportingTables)
        {
            json.WriteStartObject();
            WriteHead(json, table.Title, table.Columns);
            foreach (var row in table.Rows)
            {
                WriteRow(json, table.Title, table.Columns, row);
                await FlushIfFullAsync(json, cancellationToken);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();

        var primary = document.Primary;
        json.WriteStartObject("primary");
        WriteHead(json, primary.Title, primary.Columns);
        await foreach (var row in primary.Rows.WithCancellation(cancellationToken))
        {
            WriteRow(json, primary.Title, primary.Columns, row);
            await FlushIfFullAsync(json, cancellationToken);
        }

        json.WriteEndArray();
        json.WriteEndObject();

        json.WriteEndObject();
        await json.FlushAsync(cancellationToken);
    }

    internal static string CamelCase<TEnum>(TEnum value)
        where TEnum : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    private static async Task WriteChartAsync(Utf8JsonWriter json, ReportChart chart, CancellationToken cancellationToken)
    {
        json.WriteStartObject();
        json.WriteString("title", chart.Title);
        json.WriteString("unit", chart.Unit);
        json.WriteStartArray("series");
        foreach (var series in chart.Series)
        {
            json.WriteStartObject();
            json.WriteString("name", series.Name);
            json.WriteStartArray("points");
            foreach (var point in series.Points)
            {
                json.WriteStartObject();
                json.WriteString("at", CellValues.IsoUtc(point.At));
                if (point.Value is { } value && double.IsFinite(value))
                {
                    json.WriteNumber("value", value);
                }
                else
                {
                    json.WriteNull("value");
                }

                json.WriteEndObject();
                await FlushIfFullAsync(json, cancellationToken);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>Writes a table's title and columns and opens its rows array.</summary>
    private static void WriteHead(Utf8JsonWriter json, string title, IReadOnlyList<ReportColumn> columns)
    {
        json.WriteString("title", title);
        json.WriteStartArray("columns");
        foreach (var column in columns)
        {
            json.WriteStartObject();
            json.WriteString("name", column.Name);
            json.WriteString("label", column.Label);
            json.WriteString("kind", CamelCase(column.Kind));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("rows");
    }

    private static void WriteRow(Utf8JsonWriter json, string title, IReadOnlyList<ReportColumn> columns, IReadOnlyList<object?> row)
    {
        CellValues.CheckWidth(title, columns, row);
        json.WriteStartObject();
        for (var i = 0; i < columns.Count; i++)
        {
            json.WritePropertyName(columns[i].Name);
            switch (CellValues.Normalise(columns[i], row[i]))
            {
                case null:
                    json.WriteNullValue();
                    break;
                case string text:
                    json.WriteStringValue(text);
                    break;
                case long count:
                    json.WriteNumberValue(count);
                    break;
                case decimal number:
                    json.WriteNumberValue(number);
                    break;
                case double number:
                    json.WriteNumberValue(number);
                    break;
                case DateTimeOffset time:
                    json.WriteStringValue(CellValues.IsoUtc(time));
                    break;
                case var other:
                    throw new InvalidOperationException($"No JSON form for a {other.GetType().Name}.");
            }
        }

        json.WriteEndObject();
    }

    private static async ValueTask FlushIfFullAsync(Utf8JsonWriter json, CancellationToken cancellationToken)
    {
        if (json.BytesPending >= FlushThreshold)
        {
            await json.FlushAsync(cancellationToken);
        }
    }
}
