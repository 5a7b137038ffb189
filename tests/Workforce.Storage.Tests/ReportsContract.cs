using Workforce.Core.Reports;
using Workforce.Core.Storage;

namespace Workforce.Storage.Tests;

/// <summary>
/// What every <see cref="IReportStore"/> must do: reports kept whole, listed newest first page by page, purged by
/// age across tenants; schedules kept whole, listed per tenant, found due across tenants in order, removed.
/// </summary>
public abstract class ReportsContract : IAsyncLifetime
{
    private const string Tenant = "reporting";
    private static readonly DateTimeOffset At = new(2026, 5, 4, 10, 0, 0, TimeSpan.Zero);

    private IStorageBackend _backend = null!;

    private IReportStore Store => _backend.Reports;

    public async ValueTask InitializeAsync() => _backend = await CreateBackendAsync();

    public async ValueTask DisposeAsync()
    {
        await _backend.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected abstract Task<IStorageBackend> CreateBackendAsync();

    [Fact]
    public async Task A_saved_report_reads_back_whole_and_a_later_save_replaces_it()
    {
        var report = Report("r1", At) with { Filters = new Dictionary<string, string> { ["type"] = "render", ["priority"] = "high" }, ScheduleId = "s1" };
        await Store.SaveAsync(report);
        var finished = report.Start(At.AddSeconds(1)).Finish("reports/r1.pdf", 1234, At.AddSeconds(5));
        await Store.SaveAsync(finished);

        var found = await Store.FindAsync(Tenant, "r1");

        Assert.NotNull(found);
        Assert.Equal((ReportStatus.Ready, "reports/r1.pdf", 1234L, At.AddSeconds(1), At.AddSeconds(5), "s1"), (found.Status, found.BlobName, found.Length, found.StartedAt, found.FinishedAt, found.ScheduleId));
        Assert.Equal((ReportType.Performance, ReportFormat.Pdf, At.AddDays(-1), At), (found.Type, found.Format, found.From, found.To));
        Assert.Equal(report.Filters, found.Filters);
        Assert.Single((await Store.ListAsync(Tenant, new PageRequest(10, null))).Items);
        Assert.Null(await Store.FindAsync("someone-else", "r1"));
        Assert.Null(await Store.FindAsync(Tenant, "no-such-report"));
    }

    [Fact]
    public async Task Reports_are_listed_newest_first_then_by_id_page_by_page()
    {
        (string Id, DateTimeOffset Created)[] reports = [("a", At), ("c", At.AddMinutes(2)), ("b", At.AddMinutes(2)), ("d", At.AddMinutes(1)), ("e", At.AddMinutes(3))];
        foreach (var (id, created) in reports)
        {
            await Store.SaveAsync(Report(id, created));
        }

        await Store.SaveAsync(Report("x", At.AddMinutes(9)) with { TenantId = "someone-else" });

        var listed = new List<string>();
        string? cursor = null;
        do
        {
            var page = await Store.ListAsync(Tenant, new PageRequest(2, cursor));
            Assert.True(page.Items.Count <= 2);
            listed.AddRange(page.Items.Select(r => r.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(["e", "b", "c", "d", "a"], listed);
    }

    [Fact]
    public async Task A_cursor_the_store_did_not_issue_is_refused()
    {
        await Store.SaveAsync(Report("a", At));

        await Assert.ThrowsAsync<InvalidCursorException>(() => Store.ListAsync(Tenant, new PageRequest(2, "not-a-cursor")));
        await Assert.ThrowsAsync<InvalidCursorException>(() => Store.ListAsync(Tenant, new PageRequest(2, Convert.ToBase64String("tenants:x"u8.ToArray()))));
    }

    [Fact]
    public async Task Purging_deletes_reports_of_any_tenant_created_before_the_cutoff_up_to_the_limit_and_returns_them()
    {
        await Store.SaveAsync(Report("old-1", At.AddDays(-3)));
        await Store.SaveAsync(Report("old-2", At.AddDays(-2)) with { TenantId = "someone-else" });
        await Store.SaveAsync(Report("old-3", At.AddDays(-1)));
        await Store.SaveAsync(Report("kept", At));

        var first = await Store.PurgeAsync(At, 2);
        var second = await Store.PurgeAsync(At, 2);

        Assert.Equal(2, first.Count);
        Assert.Equal(["old-1", "old-2", "old-3"], first.Concat(second).Select(r => r.Id).Order());
        Assert.Contains(first.Concat(second), r => r.TenantId == "someone-else");
        Assert.Empty(await Store.PurgeAsync(At, 2));
        Assert.Equal(["kept"], (await Store.ListAsync(Tenant, new PageRequest(10, null))).Items.Select(r => r.Id));
        Assert.Null(await Store.FindAsync(Tenant, "old-1"));
        Assert.Empty((await Store.ListAsync("someone-else", new PageRequest(10, null))).Items);
    }

    [Fact]
    public async Task Schedules_read_back_whole_and_are_listed_per_tenant_in_creation_order()
    {
        var later = Schedule("s-a", At.AddHours(1)) with { CreatedAt = At.AddMinutes(1), DeliverTo = ["ep-1", "ep-2"], Filters = new Dictionary<string, string> { ["agentId"] = "x" } };
        await Store.SaveAsync(later);
        await Store.SaveAsync(Schedule("s-b", At.AddHours(2)) with { CreatedAt = At });
        await Store.SaveAsync(Schedule("s-c", At) with { TenantId = "someone-else" });

        var found = await Store.FindScheduleAsync(Tenant, "s-a");

        Assert.NotNull(found);
        Assert.Equal(later.DeliverTo, found.DeliverTo);
        Assert.Equal(later.Filters, found.Filters);
        Assert.Equal((later.Cron, later.Range, later.NextRunAt, later.Type, later.Format), (found.Cron, found.Range, found.NextRunAt, found.Type, found.Format));
        Assert.Equal(["s-b", "s-a"], (await Store.ListSchedulesAsync(Tenant)).Select(s => s.Id));
        Assert.Null(await Store.FindScheduleAsync("someone-else", "s-a"));
    }

    [Fact]
    public async Task Due_schedules_of_every_tenant_are_found_earliest_first_up_to_the_limit()
    {
        await Store.SaveAsync(Schedule("late", At.AddMinutes(-1)));
        await Store.SaveAsync(Schedule("early", At.AddMinutes(-5)) with { TenantId = "someone-else" });
        await Store.SaveAsync(Schedule("now", At));
        await Store.SaveAsync(Schedule("future", At.AddTicks(1)));

        Assert.Equal(["early", "late", "now"], (await Store.FindDueSchedulesAsync(At, 10)).Select(s => s.Id));
        Assert.Equal(["early", "late"], (await Store.FindDueSchedulesAsync(At, 2)).Select(s => s.Id));

        // Run: its next run moves on, and it is due no longer.
        var ran = (await Store.FindScheduleAsync("someone-else", "early"))! with { NextRunAt = At.AddHours(1), LastRunAt = At, LastReportId = "r9" };
        await Store.SaveAsync(ran);

        Assert.Equal(["late", "now"], (await Store.FindDueSchedulesAsync(At, 10)).Select(s => s.Id));
        Assert.Equal(["early", "future", "late", "now"], (await Store.FindDueSchedulesAsync(At.AddHours(1), 10)).Select(s => s.Id).Order());
        Assert.Equal("r9", (await Store.FindScheduleAsync("someone-else", "early"))!.LastReportId);
    }

    [Fact]
    public async Task A_removed_schedule_is_gone_and_no_longer_due()
    {
        await Store.SaveAsync(Schedule("s", At));

        Assert.True(await Store.RemoveScheduleAsync(Tenant, "s"));
        Assert.False(await Store.RemoveScheduleAsync(Tenant, "s"));
        Assert.False(await Store.RemoveScheduleAsync("someone-else", "nothing"));
        Assert.Null(await Store.FindScheduleAsync(Tenant, "s"));
        Assert.Empty(await Store.ListSchedulesAsync(Tenant));
        Assert.Empty(await Store.FindDueSchedulesAsync(At.AddDays(1), 10));
    }

    private static Report Report(string id, DateTimeOffset createdAt) => new()
    {
        Id = id,
        TenantId = Tenant,
        Type = ReportType.Performance,
        Format = ReportFormat.Pdf,
        From = At.AddDays(-1),
        To = At,
        CreatedAt = createdAt,
    };

    private static ReportSchedule Schedule(string id, DateTimeOffset nextRunAt) => new()
    {
        Id = id,
        TenantId = Tenant,
        Type = ReportType.Health,
        Format = ReportFormat.Csv,
        Cron = "0 0 6 * * 1",
        Range = TimeSpan.FromDays(7),
        CreatedAt = At.AddDays(-7),
        NextRunAt = nextRunAt,
    };
}

public sealed class SqliteReportsContract : ReportsContract
{
    protected override Task<IStorageBackend> CreateBackendAsync() => Task.FromResult<IStorageBackend>(new SqliteBackend());
}

public sealed class AzureReportsContract : ReportsContract
{
    protected override Task<IStorageBackend> CreateBackendAsync() => AzureBackend.CreateAsync();
}
