using Workforce.Core.Reports;
using Workforce.Core.Storage;

namespace Workforce.Core.Tests.Reports;

/// <summary>Reports and schedules in dictionaries, per tenant, as the adapters keep them.</summary>
internal sealed class InMemoryReportStore : IReportStore
{
    private readonly Dictionary<(string Tenant, string Id), Report> _reports = [];
    private readonly Dictionary<(string Tenant, string Id), ReportSchedule> _schedules = [];
    private readonly List<(string Tenant, string Id)> _scheduleOrder = [];

    public IEnumerable<Report> Reports => _reports.Values;

    public Task SaveAsync(Report report, CancellationToken cancellationToken = default)
    {
        _reports[(report.TenantId, report.Id)] = report;
        return Task.CompletedTask;
    }

    public Task<Report?> FindAsync(string tenantId, string reportId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_reports.GetValueOrDefault((tenantId, reportId)));

    public Task<Page<Report>> ListAsync(string tenantId, PageRequest page, CancellationToken cancellationToken = default)
    {
        var all = _reports.Values.Where(r => r.TenantId == tenantId).OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id, StringComparer.Ordinal).ToList();
        var skip = page.Cursor is null ? 0 : int.TryParse(page.Cursor, out var n) ? n : throw new InvalidCursorException("not mine");
        var items = all.Skip(skip).Take(page.Limit).ToList();
        return Task.FromResult(new Page<Report>(items, skip + items.Count < all.Count ? (skip + items.Count).ToString(System.Globalization.CultureInfo.InvariantCulture) : null));
    }

    public Task<IReadOnlyList<Report>> PurgeAsync(DateTimeOffset createdBefore, int limit, CancellationToken cancellationToken = default)
    {
        var purged = _reports.Values.Where(r => r.CreatedAt < createdBefore).Take(limit).ToList();
        foreach (var report in purged)
        {
            _reports.Remove((report.TenantId, report.Id));
        }

        return Task.FromResult<IReadOnlyList<Report>>(purged);
    }

    public Task SaveAsync(ReportSchedule schedule, CancellationToken cancellationToken = default)
    {
        if (!_schedules.ContainsKey((schedule.TenantId, schedule.Id)))
        {
            _scheduleOrder.Add((schedule.TenantId, schedule.Id));
        }

        _schedules[(schedule.TenantId, schedule.Id)] = schedule;
        return Task.CompletedTask;
    }

    public Task<ReportSchedule?> FindScheduleAsync(string tenantId, string scheduleId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_schedules.GetValueOrDefault((tenantId, scheduleId)));

    public Task<IReadOnlyList<ReportSchedule>> ListSchedulesAsync(string tenantId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ReportSchedule>>([.. _scheduleOrder.Where(k => k.Tenant == tenantId && _schedules.ContainsKey(k)).Select(k => _schedules[k])]);

    public Task<bool> RemoveScheduleAsync(string tenantId, string scheduleId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_schedules.Remove((tenantId, scheduleId)));

    public Task<IReadOnlyList<ReportSchedule>> FindDueSchedulesAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ReportSchedule>>([.. _schedules.Values.Where(s => s.NextRunAt <= now).OrderBy(s => s.NextRunAt).Take(limit)]);
}

/// <summary>Records the reports whose runs were started, in order.</summary>
internal sealed class RecordingReportRunner : IReportRunner
{
    public List<Report> Started { get; } = [];

    public Task StartAsync(Report report, CancellationToken cancellationToken = default)
    {
        Started.Add(report);
        return Task.CompletedTask;
    }
}
