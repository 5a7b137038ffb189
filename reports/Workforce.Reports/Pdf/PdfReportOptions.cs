using System.ComponentModel.DataAnnotations;

namespace Workforce.Reports.Pdf;

/// <summary>How the PDF renderer lays out a report; bind from <c>Workforce:Reports:Pdf</c> if the host configures it.</summary>
public sealed class PdfReportOptions
{
    public const string Section = "Workforce:Reports:Pdf";

    /// <summary>
    /// The most rows of the primary table that a PDF holds. A PDF is built in memory and read by people, so a report
    /// over millions of rows shows its first rows and says how many more there are; CSV and JSON hold them all.
    /// </summary>
    [Range(0, 100_000)]
    public int MaxPrimaryRows { get; set; } = 5_000;
}
