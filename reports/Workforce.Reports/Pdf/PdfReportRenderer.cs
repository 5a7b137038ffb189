using Microsoft.Extensions.Options;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using Workforce.Core.Reports;

namespace Workforce.Reports.Pdf;

/// <summary>
/// The report as an A4 PDF for people: a title page (title, tenant, period, when it was made, the filters) with the
/// headline figures, then the charts and the supporting tables, then the primary table from a new page with its header
/// row on every page (landscape pages for tables too wide for upright ones), and "Page n of m" on each. PDFsharp builds
/// the document in memory, so the primary table is cut at <see cref="PdfReportOptions.MaxPrimaryRows"/>: the rows past
/// it are counted, not kept, and a closing line says how many there were and that the CSV and JSON hold them all.
/// </summary>
internal sealed class PdfReportRenderer(IOptions<PdfReportOptions> options) : IReportRenderer
{
    public ReportFormat Format => ReportFormat.Pdf;

    public string ContentType => "application/pdf";

    public string Extension => "pdf";

    public async Task RenderAsync(ReportDocument document, Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(output);
        ReportFonts.EnsureRegistered();

        using var pdf = new PdfDocument();
        pdf.Info.Title = document.Title;
        pdf.Info.Subject = $"{PdfText.Words(document.Type)} report for {document.TenantId}";
        pdf.Info.Creator = "Workforce";
        pdf.Info.CreationDate = document.GeneratedAt.UtcDateTime;
        pdf.Options.CompressContentStreams = true;

        using (var canvas = new PdfCanvas(pdf))
        {
            WriteTitlePage(canvas, document);
            WriteFigures(canvas, document.Figures);
            WriteCharts(canvas, document.Charts);
            WriteSupportingTables(canvas, document.SupportingTables);
            await WritePrimaryAsync(canvas, document.Primary, options.Value.MaxPrimaryRows, cancellationToken);
            canvas.NumberPages($"{document.Title} · {document.TenantId}");
        }

        // PDFsharp writes synchronously and seeks; a buffer lets the output be any stream, written asynchronously.
        using var buffer = new MemoryStream();
        pdf.Save(buffer, closeStream: false);
        buffer.Position = 0;
        await buffer.CopyToAsync(output, cancellationToken);
        await output.FlushAsync(cancellationToken);
    }

    private static void WriteTitlePage(PdfCanvas canvas, ReportDocument document)
    {
        canvas.Y += 40;
        canvas.Line(document.Title, PdfCanvas.Title, after: 6);
        canvas.Line($"{PdfText.Words(document.Type)} report", PdfCanvas.Body, PdfCanvas.Muted, after: 20);

        var details = new List<(string Label, string Value)>
        {
            ("Tenant", document.TenantId),
            ("Period", $"{PdfText.Time(document.From)} to {PdfText.Time(document.To)} UTC"),
            ("Generated", $"{PdfText.Time(document.GeneratedAt)} UTC"),
        };
        if (document.Filters.Count == 0)
        {
            details.Add(("Filters", "None"));
        }
        else
        {
            details.AddRange(document.Filters.Select((filter, i) => (i == 0 ? "Filters" : string.Empty, $"{filter.Key}: {filter.Value}")));
        }

        const double labelWidth = 90;
        var height = PdfCanvas.Body.GetHeight() + 4;
        foreach (var (label, value) in details)
        {
            canvas.EnsureRoom(height);
            canvas.Graphics.DrawString(label, PdfCanvas.BodyBold, PdfCanvas.Ink, new XRect(canvas.Left, canvas.Y, labelWidth, height), XStringFormats.TopLeft);
            var text = canvas.Fit(value, PdfCanvas.Body, canvas.Width - labelWidth);
            canvas.Graphics.DrawString(text, PdfCanvas.Body, PdfCanvas.Ink, new XRect(canvas.Left + labelWidth, canvas.Y, canvas.Width - labelWidth, height), XStringFormats.TopLeft);
            canvas.Y += height;
        }

        canvas.Y += 24;
    }

    /// <summary>The headline figures as cards, three to a row: label above, value below.</summary>
    private static void WriteFigures(PdfCanvas canvas, IReadOnlyList<ReportFigure> figures)
    {
        if (figures.Count == 0)
        {
            return;
        }

        canvas.EnsureRoom(PdfCanvas.Heading.GetHeight() + 60);
        canvas.Line("Figures", PdfCanvas.Heading, after: 8);
        const int perRow = 3;
        const double gap = 10;
        const double cardHeight = 50;
        var cardWidth = (canvas.Width - ((perRow - 1) * gap)) / perRow;
        for (var i = 0; i < figures.Count; i += perRow)
        {
            canvas.EnsureRoom(cardHeight);
            for (var j = 0; j < perRow && i + j < figures.Count; j++)
            {
                var figure = figures[i + j];
                var x = canvas.Left + (j * (cardWidth + gap));
                canvas.Graphics.DrawRectangle(PdfCanvas.Rule, PdfCanvas.Shade, x, canvas.Y, cardWidth, cardHeight);
                var label = canvas.Fit(figure.Label, PdfCanvas.Small, cardWidth - 16);
                canvas.Graphics.DrawString(label, PdfCanvas.Small, PdfCanvas.Muted, new XRect(x + 8, canvas.Y + 7, cardWidth - 16, 10), XStringFormats.TopLeft);
                var value = canvas.Fit(PdfText.Figure(figure), PdfCanvas.FigureValue, cardWidth - 16);
                canvas.Graphics.DrawString(value, PdfCanvas.FigureValue, PdfCanvas.Ink, new XRect(x + 8, canvas.Y + 21, cardWidth - 16, 20), XStringFormats.TopLeft);
            }

            canvas.Y += cardHeight + gap;
        }

        canvas.Y += 14;
    }

    private static void WriteCharts(PdfCanvas canvas, IReadOnlyList<ReportChart> charts)
    {
        if (charts.Count == 0)
        {
            return;
        }

        canvas.EnsureRoom(PdfCanvas.Heading.GetHeight() + 220);
        canvas.Line("Charts", PdfCanvas.Heading, after: 8);
        foreach (var chart in charts)
        {
            PdfLineChart.Draw(canvas, chart);
        }
    }

    private static void WriteSupportingTables(PdfCanvas canvas, IReadOnlyList<ReportTable> tables)
    {
        foreach (var table in tables)
        {
            var rows = table.Rows.Select(row => Normalise(table.Title, table.Columns, row)).ToList();
            var drawing = new PdfTable(canvas, table.Title, table.Columns, rows);
            drawing.Begin();
            foreach (var row in rows)
            {
                drawing.Row(row);
            }

            drawing.End(emptyText: "No rows.");
        }
    }

    /// <summary>The columns are sized by the first page or so of rows, held back until they are measured.</summary>
    private static async Task WritePrimaryAsync(PdfCanvas canvas, StreamedTable primary, int maxRows, CancellationToken cancellationToken)
    {
        const int measuredRows = 60;
        var firstRows = new List<object?[]>();
        PdfTable? drawing = null;
        long total = 0;
        await foreach (var row in primary.Rows.WithCancellation(cancellationToken))
        {
            // Past the cap the rows are only counted: checked, so that a bad row fails the PDF as it fails the CSV.
            var normalised = Normalise(primary.Title, primary.Columns, row);
            if (total < maxRows)
            {
                if (drawing is not null)
                {
                    drawing.Row(normalised);
                }
                else
                {
                    firstRows.Add(normalised);
                    if (firstRows.Count == measuredRows)
                    {
                        drawing = Begin(canvas, primary, firstRows);
                    }
                }
            }

            total++;
        }

        (drawing ?? Begin(canvas, primary, firstRows)).End(emptyText: "No rows in this period.");
        if (total > maxRows)
        {
            var more = total - maxRows;
            canvas.Paragraph(
                $"{PdfText.Count(more)} more {(more == 1 ? "row is" : "rows are")} not shown: this PDF holds the first {PdfText.Count(maxRows)} of {PdfText.Count(total)} rows. The CSV and JSON formats hold them all.",
                PdfCanvas.BodyBold);
        }
    }

    private static PdfTable Begin(PdfCanvas canvas, StreamedTable primary, IReadOnlyList<object?[]> firstRows)
    {
        var drawing = new PdfTable(canvas, primary.Title, primary.Columns, firstRows);
        drawing.Begin(onNewPage: true);
        foreach (var row in firstRows)
        {
            drawing.Row(row);
        }

        return drawing;
    }

    private static object?[] Normalise(string title, IReadOnlyList<ReportColumn> columns, IReadOnlyList<object?> row)
    {
        CellValues.CheckWidth(title, columns, row);
        var cells = new object?[columns.Count];
        for (var i = 0; i < cells.Length; i++)
        {
            cells[i] = CellValues.Normalise(columns[i], row[i]);
        }

        return cells;
    }
}
