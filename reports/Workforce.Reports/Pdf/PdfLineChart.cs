using System.Globalization;
using PdfSharp.Drawing;
using Workforce.Core.Reports;

namespace Workforce.Reports.Pdf;

/// <summary>
/// A line chart drawn with PDFsharp's own graphics, so the PDF needs no native imaging library: a value axis with
/// rounded steps and the chart's unit, a time axis in UTC, one coloured line per series that breaks where a point has
/// no value (a lone point between gaps is a dot), and a legend of the series under the plot.
/// </summary>
internal static class PdfLineChart
{
    private const double PlotHeight = 150;
    private const double AxisLabelWidth = 46;
    private const double TimeLabelHeight = 14;
    private const double UnitHeight = 16;
    private const double LegendLineHeight = 13;
    private const int ValueSteps = 5;
    private const int TimeLabels = 5;

    private static readonly XColor[] Palette =
    [
        XColor.FromArgb(31, 119, 180),
        XColor.FromArgb(255, 127, 14),
        XColor.FromArgb(44, 160, 44),
        XColor.FromArgb(214, 39, 40),
        XColor.FromArgb(148, 103, 189),
        XColor.FromArgb(140, 86, 75),
        XColor.FromArgb(227, 119, 194),
        XColor.FromArgb(127, 127, 127),
    ];

    private static readonly XPen Axis = new(XColor.FromArgb(108, 117, 125), 0.75);
    private static readonly XPen Grid = new(XColor.FromArgb(222, 226, 230), 0.5);

    public static void Draw(PdfCanvas canvas, ReportChart chart)
    {
        var legendRows = LegendRows(canvas, chart);
        var height = PdfCanvas.Subheading.GetHeight() + 6 + UnitHeight + PlotHeight + TimeLabelHeight + 6 + (legendRows * LegendLineHeight) + 16;
        canvas.EnsureRoom(height);
        canvas.Line(chart.Title, PdfCanvas.Subheading, after: 4);
        canvas.Graphics.DrawString(chart.Unit, PdfCanvas.SmallBold, PdfCanvas.Muted, new XRect(canvas.Left, canvas.Y, canvas.Width, 10), XStringFormats.TopLeft);
        canvas.Y += UnitHeight;

        var values = chart.Series.SelectMany(s => s.Points).Where(p => p.Value is { } v && double.IsFinite(v)).ToList();
        var graphics = canvas.Graphics;
        var plot = new XRect(canvas.Left + AxisLabelWidth, canvas.Y, canvas.Width - AxisLabelWidth, PlotHeight);
        if (values.Count == 0)
        {
            graphics.DrawRectangle(Grid, plot);
            graphics.DrawString("No data in this period.", PdfCanvas.Small, PdfCanvas.Muted, plot, XStringFormats.Center);
            canvas.Y += PlotHeight + 16;
            return;
        }

        var (low, high, step) = ValueScale(values.Min(p => p.Value!.Value), values.Max(p => p.Value!.Value));
        var times = chart.Series.SelectMany(s => s.Points).Select(p => p.At.UtcTicks).ToList();
        var (start, end) = (times.Min(), times.Max());
        if (start == end)
        {
            (start, end) = (start - TimeSpan.TicksPerHour, end + TimeSpan.TicksPerHour);
        }

        double X(DateTimeOffset at) => plot.Left + ((at.UtcTicks - start) / (double)(end - start) * plot.Width);
        double Y(double value) => plot.Bottom - ((value - low) / (high - low) * plot.Height);

        // Value axis: grid lines at each step, labels to their left (the unit is above them).
        var decimals = step >= 1 ? 0 : (int)Math.Ceiling(-Math.Log10(step));
        for (var value = low; value <= high + (step / 2); value += step)
        {
            var y = Y(value);
            graphics.DrawLine(Grid, plot.Left, y, plot.Right, y);
            var label = value.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            graphics.DrawString(label, PdfCanvas.Small, PdfCanvas.Muted, new XRect(canvas.Left, y - 5, AxisLabelWidth - 4, 10), XStringFormats.CenterRight);
        }

        graphics.DrawLine(Axis, plot.Left, plot.Top, plot.Left, plot.Bottom);
        graphics.DrawLine(Axis, plot.Left, plot.Bottom, plot.Right, plot.Bottom);

        // Time axis: evenly spaced ticks, labelled as finely as the span needs.
        var format = TimeFormat(TimeSpan.FromTicks(end - start));
        for (var i = 0; i < TimeLabels; i++)
        {
            var at = new DateTimeOffset(start + ((end - start) * i / (TimeLabels - 1)), TimeSpan.Zero);
            var x = X(at);
            graphics.DrawLine(Axis, x, plot.Bottom, x, plot.Bottom + 3);
            var label = at.UtcDateTime.ToString(format, CultureInfo.InvariantCulture) + (i == TimeLabels - 1 ? " UTC" : string.Empty);
            var alignment = i == 0 ? XStringFormats.TopLeft : i == TimeLabels - 1 ? XStringFormats.TopRight : XStringFormats.TopCenter;
            var box = i == 0 ? new XRect(x, plot.Bottom + 4, 120, 10)
                : i == TimeLabels - 1 ? new XRect(x - 120, plot.Bottom + 4, 120, 10)
                : new XRect(x - 60, plot.Bottom + 4, 120, 10);
            graphics.DrawString(label, PdfCanvas.Small, PdfCanvas.Muted, box, alignment);
        }

        // The lines, each broken at its gaps.
        for (var s = 0; s < chart.Series.Count; s++)
        {
            var colour = Palette[s % Palette.Length];
            var pen = new XPen(colour, 1.4) { LineJoin = XLineJoin.Round, LineCap = XLineCap.Round };
            var brush = new XSolidBrush(colour);
            var run = new List<XPoint>();
            foreach (var point in chart.Series[s].Points.OrderBy(p => p.At))
            {
                if (point.Value is { } value && double.IsFinite(value))
                {
                    run.Add(new XPoint(X(point.At), Y(value)));
                }
                else
                {
                    DrawRun(graphics, pen, brush, run);
                    run.Clear();
                }
            }

            DrawRun(graphics, pen, brush, run);
        }

        canvas.Y = plot.Bottom + TimeLabelHeight + 6;
        DrawLegend(canvas, chart);
        canvas.Y += 16;
    }

    private static void DrawRun(XGraphics graphics, XPen pen, XBrush brush, List<XPoint> run)
    {
        if (run.Count == 1)
        {
            graphics.DrawEllipse(brush, run[0].X - 1.8, run[0].Y - 1.8, 3.6, 3.6);
        }
        else if (run.Count > 1)
        {
            graphics.DrawLines(pen, run.ToArray());
        }
    }

    private static void DrawLegend(PdfCanvas canvas, ReportChart chart)
    {
        var graphics = canvas.Graphics;
        var x = canvas.Left + AxisLabelWidth;
        var right = canvas.Left + canvas.Width;
        for (var s = 0; s < chart.Series.Count; s++)
        {
            var width = EntryWidth(canvas, chart.Series[s].Name);
            if (x + width > right && x > canvas.Left + AxisLabelWidth)
            {
                x = canvas.Left + AxisLabelWidth;
                canvas.Y += LegendLineHeight;
            }

            var colour = Palette[s % Palette.Length];
            var middle = canvas.Y + (LegendLineHeight / 2);
            graphics.DrawLine(new XPen(colour, 2), x, middle, x + 14, middle);
            var name = canvas.Fit(chart.Series[s].Name, PdfCanvas.Small, right - x - 18);
            graphics.DrawString(name, PdfCanvas.Small, PdfCanvas.Ink, new XRect(x + 18, canvas.Y, right - x - 18, LegendLineHeight), XStringFormats.CenterLeft);
            x += width;
        }

        canvas.Y += LegendLineHeight;
    }

    private static int LegendRows(PdfCanvas canvas, ReportChart chart)
    {
        var rows = 1;
        var x = 0.0;
        var room = canvas.Width - AxisLabelWidth;
        foreach (var series in chart.Series)
        {
            var width = EntryWidth(canvas, series.Name);
            if (x + width > room && x > 0)
            {
                rows++;
                x = 0;
            }

            x += width;
        }

        return rows;
    }

    private static double EntryWidth(PdfCanvas canvas, string name) =>
        18 + canvas.Graphics.MeasureString(name, PdfCanvas.Small).Width + 14;

    /// <summary>
    /// A value range from zero (or the lowest value, when below it) to above the highest, in steps of 1, 2 or 5 times a
    /// power of ten, so the axis reads in round numbers.
    /// </summary>
    internal static (double Low, double High, double Step) ValueScale(double min, double max)
    {
        var low = Math.Min(0, min);
        var high = Math.Max(0, max);
        if (high - low < 1e-12)
        {
            high = low + 1;
        }

        var raw = (high - low) / ValueSteps;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var fraction = raw / magnitude;
        var step = (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * magnitude;
        return (Math.Floor(low / step) * step, Math.Ceiling(high / step) * step, step);
    }

    private static string TimeFormat(TimeSpan span) =>
        span <= TimeSpan.FromDays(1) ? "HH:mm"
        : span <= TimeSpan.FromDays(7) ? "MM-dd HH:mm"
        : "yyyy-MM-dd";
}
