using PdfSharp.Drawing;
using Workforce.Core.Reports;

namespace Workforce.Reports.Pdf;

/// <summary>
/// Draws a table row by row onto the canvas: a shaded header row, then one line per row, numbers right-aligned, text
/// cut with an ellipsis where it does not fit. When a row does not fit on the page, a new page starts with the table's
/// title, marked as continued, and the header row again.
/// </summary>
internal sealed class PdfTable
{
    private const double Padding = 3;

    private static readonly XFont CellFont = PdfCanvas.Small;
    private static readonly XFont HeaderFont = PdfCanvas.SmallBold;

    private readonly PdfCanvas _canvas;
    private readonly string _title;
    private readonly IReadOnlyList<ReportColumn> _columns;
    private readonly double[] _widths;
    private readonly double _rowHeight;
    private int _rowsOnPage;

    public PdfTable(PdfCanvas canvas, string title, IReadOnlyList<ReportColumn> columns)
    {
        _canvas = canvas;
        _title = title;
        _columns = columns;
        _rowHeight = CellFont.GetHeight() + (2 * Padding);
        _widths = Widths(canvas, columns);
    }

    /// <summary>Writes the title and the header row, on a new page if there is no room for them and a few rows.</summary>
    public void Begin()
    {
        _canvas.EnsureRoom(PdfCanvas.Subheading.GetHeight() + (5 * _rowHeight));
        WriteHead(continued: false);
    }

    public void Row(IReadOnlyList<object?> normalisedRow)
    {
        if (_canvas.EnsureRoom(_rowHeight))
        {
            WriteHead(continued: true);
        }

        var graphics = _canvas.Graphics;
        if (_rowsOnPage % 2 == 1)
        {
            graphics.DrawRectangle(PdfCanvas.Shade, _canvas.Left, _canvas.Y, _canvas.Width, _rowHeight);
        }

        var x = _canvas.Left;
        for (var i = 0; i < _columns.Count; i++)
        {
            var text = _canvas.Fit(PdfText.Cell(normalisedRow[i]), CellFont, _widths[i] - (2 * Padding));
            var format = PdfText.IsNumeric(_columns[i].Kind) ? XStringFormats.CenterRight : XStringFormats.CenterLeft;
            graphics.DrawString(text, CellFont, PdfCanvas.Ink, new XRect(x + Padding, _canvas.Y, _widths[i] - (2 * Padding), _rowHeight), format);
            x += _widths[i];
        }

        _canvas.Y += _rowHeight;
        _rowsOnPage++;
    }

    /// <summary>Closes the table with a rule and leaves a gap below it.</summary>
    public void End(string? emptyText = null)
    {
        if (_rowsOnPage == 0 && emptyText is not null)
        {
            _canvas.Line(emptyText, CellFont, PdfCanvas.Muted);
        }

        _canvas.Graphics.DrawLine(PdfCanvas.Rule, _canvas.Left, _canvas.Y, _canvas.Left + _canvas.Width, _canvas.Y);
        _canvas.Y += 14;
    }

    private void WriteHead(bool continued)
    {
        _canvas.Line(continued ? $"{_title} (continued)" : _title, PdfCanvas.Subheading, after: 4);
        var graphics = _canvas.Graphics;
        graphics.DrawRectangle(PdfCanvas.HeaderShade, _canvas.Left, _canvas.Y, _canvas.Width, _rowHeight);
        var x = _canvas.Left;
        for (var i = 0; i < _columns.Count; i++)
        {
            var text = _canvas.Fit(_columns[i].Label, HeaderFont, _widths[i] - (2 * Padding));
            var format = PdfText.IsNumeric(_columns[i].Kind) ? XStringFormats.CenterRight : XStringFormats.CenterLeft;
            graphics.DrawString(text, HeaderFont, PdfCanvas.Ink, new XRect(x + Padding, _canvas.Y, _widths[i] - (2 * Padding), _rowHeight), format);
            x += _widths[i];
        }

        _canvas.Y += _rowHeight;
        _rowsOnPage = 0;
    }

    /// <summary>
    /// Column widths from what the columns hold, since the rows stream past and cannot be measured first: a time needs
    /// about 90 points, a number 50, text gets what is left; each at least as wide as its label. Too many columns for
    /// the page shrink alike and cut their text.
    /// </summary>
    private static double[] Widths(PdfCanvas canvas, IReadOnlyList<ReportColumn> columns)
    {
        var widths = new double[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            var label = canvas.Graphics.MeasureString(columns[i].Label, HeaderFont).Width + (2 * Padding) + 2;
            var typical = columns[i].Kind switch
            {
                ColumnKind.Text => 90,
                ColumnKind.Time => 92,
                _ => 50,
            };
            widths[i] = Math.Max(label, typical);
        }

        var total = widths.Sum();
        var available = canvas.Width;
        if (total > available)
        {
            for (var i = 0; i < widths.Length; i++)
            {
                widths[i] *= available / total;
            }

            return widths;
        }

        // Spread what is left over the text columns, or over all when there are none.
        var growing = columns.Select((column, i) => (column, i)).Where(c => c.column.Kind == ColumnKind.Text).Select(c => c.i).ToArray();
        if (growing.Length == 0)
        {
            growing = Enumerable.Range(0, widths.Length).ToArray();
        }

        var share = (available - total) / Math.Max(1, growing.Length);
        foreach (var i in growing)
        {
            widths[i] += share;
        }

        return widths;
    }
}
