using CsvHelper;
using Workforce.Core.Reports;

namespace Workforce.Reports.Csv;

/// <summary>
/// The primary table as RFC 4180 CSV (UTF-8 without a byte order mark, CRLF line ends): a header of the columns' machine
/// names, then one record per row, written as the query yields it. Times are ISO 8601 in UTC, numbers use the invariant
/// culture (a dot, no thousands separators), a null cell is an empty field. Figures, charts and supporting tables are
/// not in the CSV: a spreadsheet wants one rectangle.
/// </summary>
internal sealed class CsvReportRenderer : IReportRenderer
{
    private static readonly CsvWriterOptions Options = CsvWriterOptions.Default with
    {
        // A text cell that starts with = + - @ (a task's name, say) would run as a formula when a person opens the
        // file in a spreadsheet; a leading apostrophe keeps it text there. JSON holds such values unchanged.
        Injection = CsvInjection.Escape,
    };

    public ReportFormat Format => ReportFormat.Csv;

    public string ContentType => "text/csv; charset=utf-8";

    public string Extension => "csv";

    public async Task RenderAsync(ReportDocument document, Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(output);
        var primary = document.Primary;
        var columns = primary.Columns;

        // The writer keeps one 64 KiB buffer and hands it to the stream asynchronously when it is mostly full
        // (EndRecordAsync), so no write blocks and no more than a buffer of rows is held.
        await using var csv = CsvWriter.Create(output, Options, leaveOpen: true);
        // A whole record, ended by the writer.
        csv.WriteHeader(columns.Select(column => column.Name).ToArray());

        await foreach (var row in primary.Rows.WithCancellation(cancellationToken))
        {
            CellValues.CheckWidth(primary.Title, columns, row);
            for (var i = 0; i < columns.Count; i++)
            {
                WriteCell(csv, CellValues.Normalise(columns[i], row[i]));
            }

            await csv.EndRecordAsync(cancellationToken);
        }

        await csv.FlushAsync(cancellationToken);
    }

    private static void WriteCell(CsvWriter csv, object? value)
    {
        switch (value)
        {
            case null:
                csv.WriteField((string?)null);
                break;
            case string text:
                csv.WriteField(text);
                break;
            case long count:
                csv.WriteField(count, default);
                break;
            case decimal number:
                csv.WriteField(number, default);
                break;
            case double number:
                csv.WriteField(number, default);
                break;
            case DateTimeOffset time:
                csv.WriteField(CellValues.IsoUtc(time), CsvQuoting.WhenNeeded);
                break;
            default:
                throw new InvalidOperationException($"No CSV form for a {value.GetType().Name}.");
        }
    }
}
