using Workforce.Core.Files;
using Workforce.Core.Notifications;
using Workforce.Core.Reports;
using Workforce.Core.Storage;

namespace Workforce.Core.Tests.Reports;

public sealed class AnnounceReportTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 6, 0, 30, TimeSpan.Zero);
    private readonly Platform _platform = new();
    private readonly InMemoryReportStore _reports = new();
    private readonly AnnounceReport _announce;

    public AnnounceReportTests()
    {
        _platform.Clock.SetUtcNow(Now);
        _announce = new AnnounceReport(_reports, _platform.Store, new RelativeLinks(),
            new ReportOptions { LinkValidity = TimeSpan.FromHours(2), PublicBaseUrl = "https://workforce.example.com" }, _platform.Clock);
    }

    [Fact]
    public async Task A_ready_scheduled_report_raises_report_ready_to_its_schedules_endpoints_with_an_absolute_expiring_link()
    {
        await _reports.SaveAsync(Schedule(["nep_a", "nep_b"]));
        await _reports.SaveAsync(Report(ReportStatus.Ready, "rsc_1"));

        var raised = await _announce.ExecuteAsync(Platform.TenantId, "rpt_1_20260302060000");

        Assert.Equal(NotificationEvents.ReportReady, raised!.Type);
        Assert.Equal(["nep_a", "nep_b"], raised.Recipients);
        Assert.Equal("https://workforce.example.com/api/files/acme/reports/2026/03/r.pdf?valid=02:00:00", raised.Data["downloadUrl"]);
        Assert.Equal(Now.AddHours(2), raised.Data["expiresAt"]);
        var sent = StoredJson.Deserialize<NotificationEvent>(Assert.Single(_platform.Store.SentMessages).Body);
        Assert.Equal(raised.Id, sent.Id);
        Assert.Equal(["nep_a", "nep_b"], sent.Recipients!);
    }

    [Fact]
    public async Task A_failed_scheduled_report_raises_report_failed_with_its_error()
    {
        await _reports.SaveAsync(Schedule(["nep_a"]));
        await _reports.SaveAsync(Report(ReportStatus.Failed, "rsc_1") with { Error = "no renderer" });

        var raised = await _announce.ExecuteAsync(Platform.TenantId, "rpt_1_20260302060000");

        Assert.Equal((NotificationEvents.ReportFailed, "no renderer"), (raised!.Type, raised.Data["error"]));
    }

    [Theory]
    [InlineData(null, ReportStatus.Ready)]
    [InlineData("rsc_gone", ReportStatus.Ready)]
    [InlineData("rsc_1", ReportStatus.Running)]
    public async Task Nobody_is_told_of_a_report_asked_for_by_hand_of_a_removed_schedule_or_not_yet_finished(string? scheduleId, ReportStatus status)
    {
        await _reports.SaveAsync(Schedule(["nep_a"]));
        await _reports.SaveAsync(Report(status, scheduleId));

        Assert.Null(await _announce.ExecuteAsync(Platform.TenantId, "rpt_1_20260302060000"));
        Assert.Empty(_platform.Store.SentMessages);
    }

    private static ReportSchedule Schedule(IReadOnlyList<string> deliverTo) => new()
    {
        Id = "rsc_1", TenantId = Platform.TenantId, Type = ReportType.Health, Format = ReportFormat.Pdf, Cron = "0 0 6 * * *",
        Range = TimeSpan.FromDays(1), DeliverTo = deliverTo, NextRunAt = Now.AddDays(1),
    };

    private static Report Report(ReportStatus status, string? scheduleId) => new()
    {
        Id = "rpt_1_20260302060000", TenantId = Platform.TenantId, Type = ReportType.Health, Format = ReportFormat.Pdf, From = Now.AddDays(-1), To = Now,
        Status = status, BlobName = status == ReportStatus.Ready ? "reports/2026/03/r.pdf" : null, ScheduleId = scheduleId,
    };

    /// <summary>Links like the standalone server's local files: relative to the server.</summary>
    private sealed class RelativeLinks : IBlobStore
    {
        public Task<BlobItem> PutAsync(string tenantId, string name, Stream content, string contentType, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<BlobDownload?> GetAsync(string tenantId, string name, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<Page<BlobItem>> ListAsync(string tenantId, string prefix, PageRequest page, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<bool> DeleteAsync(string tenantId, string name, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<Uri> CreateDownloadLinkAsync(string tenantId, string name, TimeSpan validFor, CancellationToken cancellationToken = default) =>
            Task.FromResult(new Uri($"/api/files/{tenantId}/{name}?valid={validFor}", UriKind.Relative));
    }
}
