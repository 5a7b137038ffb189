using Workforce.Core.Files;
using Workforce.Core.Storage;

namespace Workforce.Core.Reports;

/// <summary>The tenant's reports, one or a page at a time, and fresh download links for those that are ready.</summary>
public sealed class QueryReports(IReportStore reports, IBlobStore blobs, ReportOptions options)
{
    public async Task<Outcome<Report>> FindAsync(Caller caller, string reportId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsAgent)
        {
            return Failures.AgentKeyNotAllowed;
        }

        // The store reads only the caller's tenant, so another tenant's report is simply not found.
        return await reports.FindAsync(caller.TenantId, reportId, cancellationToken) is { } report ? report : Failure.NotFound($"Report {reportId}");
    }

    /// <summary>Newest first.</summary>
    public async Task<Outcome<Page<Report>>> ListAsync(Caller caller, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsAgent)
        {
            return Failures.AgentKeyNotAllowed;
        }

        if (Paging.Check(page) is { } invalid)
        {
            return invalid;
        }

        try
        {
            return await reports.ListAsync(caller.TenantId, page, cancellationToken);
        }
        catch (InvalidCursorException)
        {
            return Paging.InvalidCursor;
        }
    }

    /// <summary>A link to the file valid for <see cref="ReportOptions.LinkValidity"/>; null until the report is ready.</summary>
    public async Task<Uri?> DownloadLinkAsync(Report report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report is { Status: ReportStatus.Ready, BlobName: { } name }
            ? await blobs.CreateDownloadLinkAsync(report.TenantId, name, options.LinkValidity, cancellationToken)
            : null;
    }
}
