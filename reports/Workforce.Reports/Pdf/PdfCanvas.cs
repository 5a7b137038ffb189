using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Workforce.Reports.Pdf;

/// <summary>
/// The pages of one PDF as they fill from top to bottom: the current page's graphics, the vertical position, and a
/// new A4 page whenever the next block does not fit, upright until a table needs the width of a landscape page. The
/// shared fonts, brushes and margins live here so every block of the report looks alike.
/// </summary>
internal sealed class PdfCanvas : IDisposable
{
    public const double Margin = 42;

    /// <summary>Room kept free at the foot of each page for its page number.</summary>
    public const double FooterHeight = 24;

    public static readonly XFont Title = ReportFonts.Create(20, bold: true);
    public static readonly XFont Heading = ReportFonts.Create(13, bold: true);
    public static readonly XFont Subheading = ReportFonts.Create(10.5, bold: true);
    public static readonly XFont Body = ReportFonts.Create(9.5);
    public static readonly XFont BodyBold = ReportFonts.Create(9.5, bold: true);
    public static readonly XFont Small = ReportFonts.Create(7.5);
    public static readonly XFont SmallBold = ReportFonts.Create(7.5, bold: true);
    public static readonly XFont FigureValue = ReportFonts.Create(15, bold: true);

    public static readonly XBrush Ink = new XSolidBrush(XColor.FromArgb(33, 37, 41));
    public static readonly XBrush Muted = new XSolidBrush(XColor.FromArgb(108, 117, 125));
    public static readonly XBrush Shade = new XSolidBrush(XColor.FromArgb(241, 243, 245));
    public static readonly XBrush HeaderShade = new XSolidBrush(XColor.FromArgb(222, 226, 230));
    public static readonly XPen Rule = new(XColor.FromArgb(206, 212, 218), 0.5);

    private readonly PdfDocument _document;
    private XGraphics? _graphics;

    public PdfCanvas(PdfDocument document)
    {
        _document = document;
        NewPage();
    }

    public XGraphics Graphics => _graphics!;

    /// <summary>Where the next block starts, in points from the top of the page.</summary>
    public double Y { get; set; }

    #pragma warning disable CA1822 // One of the page's measures, read beside Width and Bottom.
    public double Left => Margin;
#pragma warning restore CA1822

    public double Width => PageWidth - (2 * Margin);

    /// <summary>The lowest point a block may reach on this page.</summary>
    public double Bottom => PageHeight - Margin - FooterHeight;

    public double Remaining => Bottom - Y;

    private double PageWidth { get; set; }

    private double PageHeight { get; set; }

    /// <summary>Whether the pages are turned sideways, as they are from the first table too wide for an upright page.</summary>
    public bool Landscape { get; private set; }

    /// <summary>Starts a new page, turned as the last one was unless <paramref name="landscape"/> says otherwise.</summary>
    public void NewPage(bool? landscape = null)
    {
        _graphics?.Dispose();
        Landscape = landscape ?? Landscape;
        var page = _document.AddPage();
        page.Size = PageSize.A4;
        page.Orientation = Landscape ? PageOrientation.Landscape : PageOrientation.Portrait;
        PageWidth = page.Width.Point;
        PageHeight = page.Height.Point;
        _graphics = XGraphics.FromPdfPage(page);
        Y = Margin;
    }

    /// <summary>Starts a new page unless <paramref name="height"/> points still fit on this one.</summary>
    /// <returns>Whether a new page was started.</returns>
    public bool EnsureRoom(double height)
    {
        if (height <= Remaining || Y <= Margin)
        {
            return false;
        }

        NewPage();
        return true;
    }

    /// <summary>Writes one line of text at the left margin and moves below it.</summary>
    public void Line(string text, XFont font, XBrush? brush = null, double after = 2)
    {
        var height = font.GetHeight();
        EnsureRoom(height);
        Graphics.DrawString(text, font, brush ?? Ink, new XRect(Left, Y, Width, height), XStringFormats.TopLeft);
        Y += height + after;
    }

    /// <summary>Writes text across the width of the page, broken into lines between words, and moves below it.</summary>
    public void Paragraph(string text, XFont font, XBrush? brush = null, double after = 2)
    {
        var line = string.Empty;
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var longer = line.Length == 0 ? word : $"{line} {word}";
            if (line.Length > 0 && Graphics.MeasureString(longer, font).Width > Width)
            {
                Line(line, font, brush, after: 1);
                line = word;
            }
            else
            {
                line = longer;
            }
        }

        Line(Fit(line, font, Width), font, brush, after);
    }

    /// <summary>Text cut to fit <paramref name="width"/>, with an ellipsis where it was cut.</summary>
    public string Fit(string text, XFont font, double width)
    {
        if (Graphics.MeasureString(text, font).Width <= width)
        {
            return text;
        }

        // Binary search for the longest prefix that fits with the ellipsis.
        int low = 0, high = text.Length;
        while (low < high)
        {
            var mid = (low + high + 1) / 2;
            if (Graphics.MeasureString(string.Concat(text.AsSpan(0, mid), "…"), font).Width <= width)
            {
                low = mid;
            }
            else
            {
                high = mid - 1;
            }
        }

        return string.Concat(text.AsSpan(0, low), "…");
    }

    /// <summary>Puts "Page n of m" at the foot of every page, once the number of pages is known.</summary>
    public void NumberPages(string footer)
    {
        _graphics?.Dispose();
        _graphics = null;
        var count = _document.PageCount;
        for (var i = 0; i < count; i++)
        {
            var page = _document.Pages[i];
            using var graphics = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Append);
            var y = page.Height.Point - Margin - Small.GetHeight();
            var width = page.Width.Point - (2 * Margin);
            graphics.DrawLine(Rule, Margin, y - 4, Margin + width, y - 4);
            graphics.DrawString(footer, Small, Muted, new XRect(Margin, y, width * 0.7, Small.GetHeight()), XStringFormats.TopLeft);
            graphics.DrawString(FormattableString.Invariant($"Page {i + 1} of {count}"), Small, Muted, new XRect(Margin, y, width, Small.GetHeight()), XStringFormats.TopRight);
        }
    }

    public void Dispose() => _graphics?.Dispose();
}
