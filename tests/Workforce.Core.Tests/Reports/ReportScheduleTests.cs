using Microsoft.Extensions.Logging.Abstractions;
using Workforce.Core.Notifications;
using Workforce.Core.Reports;

namespace Workforce.Core.Tests.Reports;

public sealed class ReportScheduleTests
{
    private const string Daily = "0 0 6 * * *";
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly Platform _platform = new();
    private readonly InMemoryReportStore _reports = new();
    private readonly RecordingReportRunner _runner = new();
    private readonly CreateReportSchedule _create;
    private readonly RunDueReportSchedules _run;

    public ReportScheduleTests()
    {
        _platform.Clock.SetUtcNow(Start);
        _create = new CreateReportSchedule(_reports, _platform.Store, _platform.Clock);
        _run = new RunDueReportSchedules(_reports, _runner, _platform.Clock, NullLogger<RunDueReportSchedules>.Instance);
    }

    [Fact]
    public async Task A_schedule_is_first_due_at_the_next_occurrence_of_its_cron()
    {
        var schedule = (await _create.ExecuteAsync(Platform.Tenant, new(ReportType.Performance, ReportFormat.Pdf, Daily, "24h"))).Value!;

        Assert.Equal(new DateTimeOffset(2026, 3, 2, 6, 0, 0, TimeSpan.Zero), schedule.NextRunAt);
        Assert.Equal(TimeSpan.FromDays(1), schedule.Range);
        Assert.StartsWith("rsc_", schedule.Id, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0 6 * * *", "24h", "cron")]
    [InlineData("0 * * * * *", "24h", "cron")]
    [InlineData("not cron at all", "24h", "cron")]
    [InlineData(Daily, "7w", "range")]
    [InlineData(Daily, "P7D", "range")]
    [InlineData(Daily, "0d", "range")]
    [InlineData(Daily, "401d", "range")]
    public async Task Five_field_too_frequent_or_malformed_crons_and_ranges_are_refused(string cron, string range, string field)
    {
        var outcome = await _create.ExecuteAsync(Platform.Tenant, new(ReportType.Health, ReportFormat.Csv, cron, range));

        Assert.True(outcome.Failure?.Errors?.ContainsKey(field), outcome.Failure?.Detail ?? "accepted");
    }

    [Fact]
    public async Task Deliver_to_must_name_endpoints_of_the_tenant()
    {
        var endpoint = new NotificationEndpoint { Id = "nep_1", TenantId = Platform.TenantId, Channel = NotificationChannel.Email, Target = "ops@example.com" };
        await _platform.Store.TransactAsync(Platform.TenantId, tx =>
        {
            tx.Save(endpoint);
            return ValueTask.FromResult(true);
        });

        var refused = await _create.ExecuteAsync(Platform.Tenant, new(ReportType.Health, ReportFormat.Pdf, Daily, "24h", DeliverTo: ["nep_1", "nep_other"]));
        var accepted = await _create.ExecuteAsync(Platform.Tenant, new(ReportType.Health, ReportFormat.Pdf, Daily, "24h", DeliverTo: ["nep_1"]));
        var elsewhere = await _create.ExecuteAsync(Caller.Tenant("globex"), new(ReportType.Health, ReportFormat.Pdf, Daily, "24h", DeliverTo: ["nep_1"]));

        Assert.Contains("nep_other", refused.Failure!.Errors!["deliverTo"].Single(), StringComparison.Ordinal);
        Assert.Equal(["nep_1"], accepted.Value!.DeliverTo);
        Assert.True(elsewhere.Failure?.Errors?.ContainsKey("deliverTo"));
    }

    [Fact]
    public async Task A_tenant_has_at_most_twenty_schedules()
    {
        for (var i = 0; i < ReportOptions.MaxSchedulesPerTenant; i++)
        {
            Assert.True((await _create.ExecuteAsync(Platform.Tenant, new(ReportType.Health, ReportFormat.Pdf, Daily, "24h"))).Succeeded);
        }

        var outcome = await _create.ExecuteAsync(Platform.Tenant, new(ReportType.Health, ReportFormat.Pdf, Daily, "24h"));

        Assert.Equal(FailureKind.Conflict, outcome.Failure?.Kind);
    }

    [Fact]
    public async Task A_due_schedule_makes_its_report_over_the_range_ending_when_it_was_due_and_moves_on()
    {
        var schedule = (await _create.ExecuteAsync(Platform.Tenant, new(ReportType.Performance, ReportFormat.Json, Daily, "7d"))).Value!;
        _platform.Clock.SetUtcNow(schedule.NextRunAt.AddSeconds(20));

        Assert.Equal(1, await _run.ExecuteAsync(100));

        var report = Assert.Single(_reports.Reports);
        Assert.Equal(Report.IdFor(schedule.Id, schedule.NextRunAt), report.Id);
        Assert.Equal(schedule.NextRunAt, report.To);
        Assert.Equal(schedule.NextRunAt.AddDays(-7), report.From);
        Assert.Equal(schedule.Id, report.ScheduleId);
        Assert.Equal(report.Id, Assert.Single(_runner.Started).Id);
        var moved = (await _reports.FindScheduleAsync(Platform.TenantId, schedule.Id))!;
        Assert.Equal(schedule.NextRunAt.AddDays(1), moved.NextRunAt);
        Assert.Equal(report.Id, moved.LastReportId);
        Assert.Equal(0, await _run.ExecuteAsync(100));
    }

    [Fact]
    public async Task A_run_repeated_after_a_crash_finds_the_report_it_made_instead_of_making_another()
    {
        var schedule = (await _create.ExecuteAsync(Platform.Tenant, new(ReportType.Health, ReportFormat.Csv, Daily, "24h"))).Value!;
        _platform.Clock.SetUtcNow(schedule.NextRunAt.AddSeconds(5));
        await _run.ExecuteAsync(100);

        // The crash lost the schedule's move: it is due again for the same time.
        await _reports.SaveAsync(schedule);
        _platform.Clock.Advance(TimeSpan.FromSeconds(30));
        await _run.ExecuteAsync(100);

        Assert.Single(_reports.Reports);
        Assert.Equal(2, _runner.Started.Count);
        Assert.Equal(_runner.Started[0].Id, _runner.Started[1].Id);
    }

    [Fact]
    public async Task A_schedule_that_missed_runs_while_down_runs_once_for_the_latest_due_time()
    {
        var schedule = (await _create.ExecuteAsync(Platform.Tenant, new(ReportType.Health, ReportFormat.Pdf, Daily, "24h"))).Value!;
        _platform.Clock.SetUtcNow(schedule.NextRunAt.AddDays(4).AddHours(3));

        await _run.ExecuteAsync(100);
        await _run.ExecuteAsync(100);

        var report = Assert.Single(_reports.Reports);
        Assert.Equal(schedule.NextRunAt.AddDays(4), report.To);
        Assert.Equal(schedule.NextRunAt.AddDays(5), (await _reports.FindScheduleAsync(Platform.TenantId, schedule.Id))!.NextRunAt);
    }

    [Fact]
    public void Scheduled_report_ids_depend_only_on_the_schedule_and_due_time()
    {
        var due = new DateTimeOffset(2026, 3, 2, 6, 0, 0, TimeSpan.Zero);

        Assert.Equal(Report.IdFor("rsc_abc", due), Report.IdFor("rsc_abc", due));
        Assert.Equal("rpt_abc_20260302060000", Report.IdFor("rsc_abc", due));
        Assert.NotEqual(Report.IdFor("rsc_abc", due), Report.IdFor("rsc_abc", due.AddDays(1)));
        Assert.NotEqual(Report.IdFor("rsc_abc", due), Report.IdFor("rsc_abd", due));
    }

    [Fact]
    public async Task Removing_a_schedule_of_another_tenant_is_not_found()
    {
        var schedule = (await _create.ExecuteAsync(Platform.Tenant, new(ReportType.Health, ReportFormat.Pdf, Daily, "24h"))).Value!;
        var remove = new RemoveReportSchedule(_reports);

        Assert.Equal(FailureKind.NotFound, (await remove.ExecuteAsync(Caller.Tenant("globex"), schedule.Id)).Failure?.Kind);
        Assert.True((await remove.ExecuteAsync(Platform.Tenant, schedule.Id)).Succeeded);
        Assert.Empty((await new QueryReportSchedules(_reports).ListAsync(Platform.Tenant)).Value!);
    }
}
