namespace Workforce.Core.Reports;

/// <summary>
/// A report made on a schedule: each time the NCRONTAB expression comes due, a report over the <see cref="Range"/>
/// that ends then, whose link goes to the notification endpoints in <see cref="DeliverTo"/> (report.ready).
/// </summary>
public sealed record ReportSchedule
{
    public required string Id { get; init; }

    public required string TenantId { get; init; }

    public required ReportType Type { get; init; }

    public required ReportFormat Format { get; init; }

    /// <summary>Six fields, seconds first, UTC.</summary>
    public required string Cron { get; init; }

    /// <summary>How far back each run's report reaches from its due time.</summary>
    public required TimeSpan Range { get; init; }

    public IReadOnlyDictionary<string, string> Filters { get; init; } = new Dictionary<string, string>();

    /// <summary>Notification endpoint ids; empty to only keep the reports.</summary>
    public IReadOnlyList<string> DeliverTo { get; init; } = [];

    public DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset NextRunAt { get; init; }

    public DateTimeOffset? LastRunAt { get; init; }

    public string? LastReportId { get; init; }

    public static string NewId() => $"rsc_{Guid.CreateVersion7():N}";
}
