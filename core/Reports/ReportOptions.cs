using System.ComponentModel.DataAnnotations;

namespace Workforce.Core.Reports;

/// <summary>How reports are kept and linked to (<c>Workforce:Reports</c>); the defaults are production's.</summary>
public sealed class ReportOptions
{
    public const string Section = "Workforce:Reports";

    /// <summary>The longest range a report may cover: a year's review with its month of comparison, and a little more.</summary>
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(400);

    /// <summary>A tenant's schedules are read in full on every run and listed whole; few is plenty for a monthly review.</summary>
    public const int MaxSchedulesPerTenant = 20;

    /// <summary>
    /// How long a download link stays valid. Every read of a ready report makes a fresh one; the link in a report.ready
    /// notification expires after this too, so it is for fetching the file soon, not for keeping.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan LinkValidity { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Where this server is reached from outside (<c>https://workforce.example.com</c>), to make the relative links of
    /// the standalone server's local files absolute in report.ready notifications. Links from Azure Blobs are
    /// absolute already; the API makes links absolute with the address each request came to.
    /// </summary>
    [Url]
    public string? PublicBaseUrl { get; set; }

    /// <summary>A link as those outside can follow it: relative ones resolved against <see cref="PublicBaseUrl"/> when it is set.</summary>
    public Uri Absolute(Uri link)
    {
        ArgumentNullException.ThrowIfNull(link);
        return link.IsAbsoluteUri || string.IsNullOrEmpty(PublicBaseUrl) ? link : new Uri(new Uri(PublicBaseUrl), link);
    }

    /// <summary>Reports, and their files, are deleted by the cleanup job this long after they were asked for.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>The most primary-table rows a PDF holds (a PDF of a million rows helps nobody); CSV and JSON hold every row.</summary>
    [Range(100, 1_000_000)]
    public int PdfRowLimit { get; set; } = 5_000;
}
