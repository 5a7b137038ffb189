namespace Workforce.Core.Reports;

public sealed record RequestReportCommand(
    ReportType? Type, ReportFormat? Format, DateTimeOffset? From, DateTimeOffset? To, IReadOnlyDictionary<string, string>? Filters = null);

/// <summary>
/// Asks for a report: checks what is asked, records the report as pending and starts its workflow, which builds and
/// writes the file. The answer comes at once; the report is read again to see it become ready.
/// </summary>
public sealed class RequestReport(IReportStore reports, IReportRunner runner, TimeProvider clock)
{
    public async Task<Outcome<Report>> ExecuteAsync(Caller caller, RequestReportCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(command);
        if (caller.IsAgent)
        {
            return Failures.AgentKeyNotAllowed;
        }

        var now = clock.GetUtcNow();
        var errors = new FieldErrors();
        errors.Require(command.Type is not null, "type", "Give the report type: health, billing, performance or agentActivity.");
        errors.Require(command.Format is not null, "format", "Give the format: pdf, csv or json.");
        CheckRange(command.From, command.To, now, errors);
        var filters = ReportFilters.Check(command.Type, command.Filters, errors);
        if (errors.Any)
        {
            return errors.ToFailure();
        }

        var report = new Report
        {
            Id = Report.NewId(),
            TenantId = caller.TenantId,
            Type = command.Type!.Value,
            Format = command.Format!.Value,
            From = command.From!.Value.ToUniversalTime(),
            To = command.To!.Value.ToUniversalTime(),
            Filters = filters,
            CreatedAt = now,
        };
        await reports.SaveAsync(report, cancellationToken);
        await runner.StartAsync(report, cancellationToken);
        return report;
    }

    /// <summary>A range is closed (to is not in the future, so a report never changes once written) and at most <see cref="ReportOptions.MaxRange"/> long.</summary>
    public static void CheckRange(DateTimeOffset? from, DateTimeOffset? to, DateTimeOffset now, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.Require(from is not null, "from", "Give from, the start of the range, in ISO 8601 (2026-01-01T00:00:00Z).");
        errors.Require(to is not null, "to", "Give to, the end of the range, in ISO 8601 (2026-02-01T00:00:00Z).");
        if (from is not { } start || to is not { } end)
        {
            return;
        }

        if (start < DateTimeOffset.UnixEpoch)
        {
            errors.Add("from", "Give a time after 1970.");
        }
        else if (end > now)
        {
            errors.Add("to", "to may not be in the future: a report covers what has happened.");
        }
        else if (start >= end)
        {
            errors.Add("from", "from must be before to.");
        }
        else if (end - start > ReportOptions.MaxRange)
        {
            errors.Add("from", $"A report covers at most {ReportOptions.MaxRange.TotalDays:0} days.");
        }
    }
}
