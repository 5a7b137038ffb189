using Workforce.Core.Files;

namespace Workforce.Core.Reports;

/// <summary>Deletes a batch of reports past their retention, and their files.</summary>
public sealed class PurgeReports(IReportStore reports, IBlobStore blobs, ReportOptions options, TimeProvider clock)
{
    /// <returns>How many reports were deleted; fewer than <paramref name="limit"/> means none are left.</returns>
    public async Task<int> ExecuteAsync(int limit, CancellationToken cancellationToken = default)
    {
        var purged = await reports.PurgeAsync(clock.GetUtcNow() - options.Retention, limit, cancellationToken);
        foreach (var report in purged.Where(r => r.BlobName is not null))
        {
            // A file whose record is gone is unreachable (no link is made for it) even if this delete is lost to a crash.
            await blobs.DeleteAsync(report.TenantId, report.BlobName!, cancellationToken);
        }

        return purged.Count;
    }
}
