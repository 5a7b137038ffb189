using Workforce.Core.Storage;

namespace Workforce.Core.Reports;

/// <summary>Reports and report schedules, per tenant. A report's file is in <see cref="Files.IBlobStore"/>, not here.</summary>
public interface IReportStore
{
    /// <summary>Adds the report or replaces it whole.</summary>
    Task SaveAsync(Report report, CancellationToken cancellationToken = default);

    Task<Report?> FindAsync(string tenantId, string reportId, CancellationToken cancellationToken = default);

    /// <summary>The tenant's reports, newest first (by creation time, then id).</summary>
    /// <exception cref="InvalidCursorException">The cursor was not issued by this store.</exception>
    Task<Page<Report>> ListAsync(string tenantId, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>Deletes up to <paramref name="limit"/> reports of any tenant created before the cutoff.</summary>
    /// <returns>The deleted reports, so their files can be deleted too; fewer than the limit means none are left.</returns>
    Task<IReadOnlyList<Report>> PurgeAsync(DateTimeOffset createdBefore, int limit, CancellationToken cancellationToken = default);

    /// <summary>Adds the schedule or replaces it whole.</summary>
    Task SaveAsync(ReportSchedule schedule, CancellationToken cancellationToken = default);

    Task<ReportSchedule?> FindScheduleAsync(string tenantId, string scheduleId, CancellationToken cancellationToken = default);

    /// <summary>The tenant's schedules, in creation order (a tenant has few).</summary>
    Task<IReadOnlyList<ReportSchedule>> ListSchedulesAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <returns>False when there was no such schedule.</returns>
    Task<bool> RemoveScheduleAsync(string tenantId, string scheduleId, CancellationToken cancellationToken = default);

    /// <summary>Schedules of any tenant whose next run is at or before <paramref name="now"/>, earliest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<ReportSchedule>> FindDueSchedulesAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default);
}
