using PdfSharp.Drawing;
using Workforce.Core.Reports;

namespace Workforce.Reports.Pdf;

/// <summary>
/// Draws a table row by row onto the canvas: a shaded header row, then one line per row, numbers right-aligned, text
/// cut with an ellipsis where it does not fit. A table whose columns need more than an upright page's width starts a
/// landscape page (and the pages after it stay landscape). When a row does not fit on the page, a new page starts with
/// the table's title, marked as continued, and the header row again.
/// </summary>
internal sealed class PdfTable
{
    private const double Padding = 3;

    /// <summary>A third of an upright page: one long description must not squeeze the other columns.</summary>
    private const double WidestColumn = 170;

    private static readonly XFont CellFont = PdfCanvas.Small;
    private static readonly XFont HeaderFont = PdfCanvas.SmallBold;

    private readonly PdfCanvas _canvas;
    private readonly string _title;
    private readonly IReadOnlyList<ReportColumn> _columns;
    private readonly double[] _neededWidths;
    private readonly double _rowHeight;
    private double[] _widths = [];
    private int _rowsOnPage;

    /// <param name="firstRows">The rows the columns are sized by: all of a small table's, the first of a streamed one's.</param>
    public PdfTable(PdfCanvas canvas, string title, IReadOnlyList<ReportColumn> columns, IReadOnlyList<object?[]> firstRows)
    {
        _canvas = canvas;
        _title = title;
        _columns = columns;
        _rowHeight = CellFont.GetHeight() + (2 * Padding);
        _neededWidths = NeededWidths(canvas, columns, firstRows);
    }

    /// <summary>
    /// Writes the title and the header row: on a new page if <paramref name="onNewPage"/>, if there is no room for them
    /// and a few rows, or if the table needs a landscape page.
    /// </summary>
    public void Begin(bool onNewPage = false)
    {
        if (!_canvas.Landscape && _neededWidths.Sum() > _canvas.Width)
        {
            _canvas.NewPage(landscape: true);
        }
        else if (onNewPage)
        {
            _canvas.NewPage();
        }
        else
        {
            _canvas.EnsureRoom(PdfCanvas.Subheading.GetHeight() + (5 * _rowHeight));
        }

        _widths = Fit(_neededWidths, _columns, _canvas.Width);
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
    /// What each column needs: its label, and its widest cell among the first rows (up to <see cref="WidestColumn"/>);
    /// without rows, 90 points for text and 50 for the rest.
    /// </summary>
    private static double[] NeededWidths(PdfCanvas canvas, IReadOnlyList<ReportColumn> columns, IReadOnlyList<object?[]> firstRows)
    {
        double WidthOf(string text, XFont font) => canvas.Graphics.MeasureString(text, font).Width + (2 * Padding) + 2;
        var widths = new double[columns.Count];
        for (var i = 0; i < widths.Length; i++)
        {
            var cells = firstRows.Count == 0 ? (columns[i].Kind == ColumnKind.Text ? 90 : 50) : firstRows.Max(row => WidthOf(PdfText.Cell(row[i]), CellFont));
            widths[i] = Math.Max(WidthOf(columns[i].Label, HeaderFont), Math.Min(cells, WidestColumn));
        }

        return widths;
    }

    /// <summary>
    /// The needed widths fitted to the page: what is left over goes to the text columns (or to all when there are
    /// none); too many columns even for a landscape page shrink alike and cut their text.
    /// </summary>
    private static double[] Fit(double[] needed, IReadOnlyList<ReportColumn> columns, double available)
    {
        var total = needed.Sum();
        if (total > available)
        {
            return [.. needed.Select(width => width * available / total)];
        }

        var growing = columns.Select((column, i) => (column, i)).Where(c => c.column.Kind == ColumnKind.Text).Select(c => c.i).ToArray();
        if (growing.Length == 0)
        {
            growing = Enumerable.Range(0, needed.Length).ToArray();
        }

        var widths = needed.ToArray();
        var share = (available - total) / growing.Length;
        foreach (var i in growing)
        {
            widths[i] += share;
        }

        return widths;
    }
}
