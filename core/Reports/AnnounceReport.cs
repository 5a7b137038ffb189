using Workforce.Core.Files;
using Workforce.Core.Notifications;
using Workforce.Core.Storage;

namespace Workforce.Core.Reports;

/// <summary>
/// Tells a schedule's endpoints that its report is finished: report.ready with a download link, or report.failed,
/// addressed to the schedule's <see cref="ReportSchedule.DeliverTo"/> endpoints only. The event's id comes from the
/// report, so announcing twice (a retried activity) fans out once.
/// </summary>
public sealed class AnnounceReport(IReportStore reports, IWorkforceStore store, IBlobStore blobs, ReportOptions options, TimeProvider clock)
{
    /// <returns>The event raised; null when there is nobody to tell (no schedule, a removed one, no endpoints) or the report is not finished.</returns>
    public async Task<NotificationEvent?> ExecuteAsync(string tenantId, string reportId, CancellationToken cancellationToken = default)
    {
        if (await reports.FindAsync(tenantId, reportId, cancellationToken) is not { IsFinished: true, ScheduleId: { } scheduleId } report
            || await reports.FindScheduleAsync(tenantId, scheduleId, cancellationToken) is not { DeliverTo.Count: > 0 } schedule)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        NotificationEvent notification;
        if (report is { Status: ReportStatus.Ready, BlobName: { } name })
        {
            var link = options.Absolute(await blobs.CreateDownloadLinkAsync(tenantId, name, options.LinkValidity, cancellationToken));
            notification = NotificationEvents.OfReportReady(report, link, now + options.LinkValidity, now);
        }
        else
        {
            notification = NotificationEvents.OfReportFailed(report, now);
        }

        notification = notification with { Recipients = schedule.DeliverTo };
        await store.TransactAsync(tenantId, tx =>
        {
            tx.Raise(notification);
            return ValueTask.FromResult(true);
        }, cancellationToken);
        return notification;
    }
}
