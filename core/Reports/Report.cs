namespace Workforce.Core.Reports;

public enum ReportStatus
{
    Pending,
    Running,
    Ready,
    Failed,
}

/// <summary>
/// A report asked for (by a tenant, or by one of its schedules) and the file it became. The report workflow moves it
/// from pending through running to ready (or failed); the file lives in blob storage under <see cref="BlobName"/>.
/// </summary>
public sealed record Report
{
    public required string Id { get; init; }

    public required string TenantId { get; init; }

    public required ReportType Type { get; init; }

    public required ReportFormat Format { get; init; }

    public required DateTimeOffset From { get; init; }

    public required DateTimeOffset To { get; init; }

    /// <summary>Filters by name (<c>type</c>, <c>priority</c>, <c>agentId</c>), as validated when the report was asked for.</summary>
    public IReadOnlyDictionary<string, string> Filters { get; init; } = new Dictionary<string, string>();

    public ReportStatus Status { get; init; } = ReportStatus.Pending;

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    public string? BlobName { get; init; }

    /// <summary>The file's size in bytes, once ready.</summary>
    public long? Length { get; init; }

    public string? Error { get; init; }

    /// <summary>The schedule that asked for it, if one did.</summary>
    public string? ScheduleId { get; init; }

    public bool IsFinished => Status is ReportStatus.Ready or ReportStatus.Failed;

    public const string IdPrefix = "rpt_";

    public static string NewId() => $"{IdPrefix}{Guid.CreateVersion7():N}";

    /// <summary>The id of a schedule's report for one due time: the same every time it is asked, so a run repeated after a crash makes no second report.</summary>
    public static string IdFor(string scheduleId, DateTimeOffset dueAt)
    {
        ArgumentNullException.ThrowIfNull(scheduleId);
        return $"{IdPrefix}{scheduleId[(scheduleId.IndexOf('_', StringComparison.Ordinal) + 1)..]}_{dueAt.UtcDateTime:yyyyMMddHHmmss}";
    }

    /// <summary>Where the file goes: by month of asking, so a month's reports list together.</summary>
    public string BlobNameFor(string extension) => $"reports/{CreatedAt.UtcDateTime:yyyy}/{CreatedAt.UtcDateTime:MM}/{Id}.{extension}";

    /// <summary>Starting again after a crash is allowed: the workflow retries its generation.</summary>
    public Report Start(DateTimeOffset now) => IsFinished ? this : this with { Status = ReportStatus.Running, StartedAt = now };

    public Report Finish(string blobName, long length, DateTimeOffset now) =>
        this with { Status = ReportStatus.Ready, BlobName = blobName, Length = length, FinishedAt = now, Error = null };

    public Report Fail(string error, DateTimeOffset now) => this with { Status = ReportStatus.Failed, Error = error, FinishedAt = now };
}
