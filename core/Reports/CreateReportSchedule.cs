using Workforce.Core.Storage;

namespace Workforce.Core.Reports;

/// <param name="Range">How far back each report reaches from its due time: <c>24h</c>, <c>7d</c>, <c>30d</c>.</param>
/// <param name="DeliverTo">The notification endpoints that hear report.ready with each report's link.</param>
public sealed record CreateReportScheduleCommand(
    ReportType? Type, ReportFormat? Format, string? Cron, string? Range, IReadOnlyDictionary<string, string>? Filters = null, IReadOnlyList<string>? DeliverTo = null);

/// <summary>Adds a report schedule to the tenant: a report of the given type and range each time the cron expression comes due.</summary>
public sealed class CreateReportSchedule(IReportStore reports, IWorkforceStore store, TimeProvider clock)
{
    public const int MaxDeliverTo = 10;

    public async Task<Outcome<ReportSchedule>> ExecuteAsync(Caller caller, CreateReportScheduleCommand command, CancellationToken cancellationToken = default)
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
        var cron = ScheduleTimes.ParseCron(command.Cron);
        if (cron is null)
        {
            errors.Add("cron", "Give a six-field NCRONTAB expression, seconds first, in UTC: \"0 0 6 * * 1\" is Mondays at 06:00.");
        }
        else if (ScheduleTimes.ShortestGap(cron, now) < ScheduleTimes.MinInterval)
        {
            errors.Add("cron", $"A schedule runs at most once every {ScheduleTimes.MinInterval.TotalMinutes:0} minutes.");
        }

        var range = ScheduleTimes.ParseRange(command.Range);
        errors.Require(range is { } r && r >= ScheduleTimes.MinRange && r <= ReportOptions.MaxRange, "range",
            $"Give the range as whole hours or days, from 1h to {ReportOptions.MaxRange.TotalDays:0}d: 24h, 7d, 30d.");
        var filters = ReportFilters.Check(command.Type, command.Filters, errors);
        var deliverTo = (command.DeliverTo ?? []).Distinct(StringComparer.Ordinal).ToList();
        errors.Require(deliverTo.Count <= MaxDeliverTo, "deliverTo", $"Deliver to at most {MaxDeliverTo} endpoints.");
        if (deliverTo.Count > 0)
        {
            var known = (await store.ListNotificationEndpointsAsync(caller.TenantId, cancellationToken)).Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
            foreach (var id in deliverTo.Where(id => !known.Contains(id)))
            {
                errors.Add("deliverTo", $"'{id}' is not a notification endpoint of the tenant; see GET /api/v1/notifications/endpoints.");
            }
        }

        if (errors.Any)
        {
            return errors.ToFailure();
        }

        if ((await reports.ListSchedulesAsync(caller.TenantId, cancellationToken)).Count >= ReportOptions.MaxSchedulesPerTenant)
        {
            return Failure.Conflict($"The tenant has {ReportOptions.MaxSchedulesPerTenant} report schedules, the most it may have; remove one first.");
        }

        var schedule = new ReportSchedule
        {
            Id = ReportSchedule.NewId(),
            TenantId = caller.TenantId,
            Type = command.Type!.Value,
            Format = command.Format!.Value,
            Cron = command.Cron!.Trim(),
            Range = range!.Value,
            Filters = filters,
            DeliverTo = deliverTo,
            CreatedAt = now,
            NextRunAt = ScheduleTimes.NextAfter(command.Cron!, now),
        };
        await reports.SaveAsync(schedule, cancellationToken);
        return schedule;
    }
}
