using Workforce.Core.Reports;

namespace Workforce.Api.Reports;

/// <param name="Filters">By name: <c>type</c>, <c>priority</c>, <c>agentId</c>.</param>
public sealed record ReportRequest(ReportType? Type, ReportFormat? Format, DateTimeOffset? From, DateTimeOffset? To, IReadOnlyDictionary<string, string>? Filters);

/// <summary>A report. <see cref="DownloadUrl"/> is there once it is ready: a fresh link on every read, valid for Workforce:Reports:LinkValidity.</summary>
public sealed record ReportResponse(
    string Id,
    ReportType Type,
    ReportFormat Format,
    ReportStatus Status,
    DateTimeOffset From,
    DateTimeOffset To,
    IReadOnlyDictionary<string, string> Filters,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt,
    long? Length,
    string? Error,
    string? ScheduleId,
    string? DownloadUrl)
{
    public static ReportResponse Of(Report report, Uri? downloadUrl = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new(report.Id, report.Type, report.Format, report.Status, report.From, report.To, report.Filters, report.CreatedAt, report.FinishedAt,
            report.Length, report.Error, report.ScheduleId, downloadUrl?.ToString());
    }
}

/// <param name="Cron">Six fields, seconds first, UTC: <c>0 0 6 * * 1</c> is Mondays at 06:00.</param>
/// <param name="Range">How far back each report reaches from its due time: <c>24h</c>, <c>7d</c>, <c>30d</c>.</param>
/// <param name="DeliverTo">Notification endpoint ids that hear report.ready with each report's link.</param>
public sealed record ReportScheduleRequest(
    ReportType? Type, ReportFormat? Format, string? Cron, string? Range, IReadOnlyDictionary<string, string>? Filters, IReadOnlyList<string>? DeliverTo);

public sealed record ReportScheduleResponse(
    string Id,
    ReportType Type,
    ReportFormat Format,
    string Cron,
    string Range,
    IReadOnlyDictionary<string, string> Filters,
    IReadOnlyList<string> DeliverTo,
    DateTimeOffset CreatedAt,
    DateTimeOffset NextRunAt,
    DateTimeOffset? LastRunAt,
    string? LastReportId)
{
    public static ReportScheduleResponse Of(ReportSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return new(schedule.Id, schedule.Type, schedule.Format, schedule.Cron, ScheduleTimes.FormatRange(schedule.Range), schedule.Filters, schedule.DeliverTo,
            schedule.CreatedAt, schedule.NextRunAt, schedule.LastRunAt, schedule.LastReportId);
    }
}

public sealed record ReportScheduleListResponse(IReadOnlyList<ReportScheduleResponse> Items);
