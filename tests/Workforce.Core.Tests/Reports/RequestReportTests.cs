using Microsoft.Extensions.Time.Testing;
using Workforce.Core.Reports;

namespace Workforce.Core.Tests.Reports;

public sealed class RequestReportTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly InMemoryReportStore _store = new();
    private readonly RecordingReportRunner _runner = new();
    private readonly RequestReport _request;

    public RequestReportTests() => _request = new RequestReport(_store, _runner, new FakeTimeProvider(Now));

    [Fact]
    public async Task A_valid_request_is_saved_pending_and_its_run_started()
    {
        var outcome = await _request.ExecuteAsync(Caller.Tenant("acme"),
            new(ReportType.AgentActivity, ReportFormat.Csv, Now.AddDays(-7), Now, new Dictionary<string, string> { ["priority"] = "HIGH", ["type"] = "translate" }));

        var report = Assert.IsType<Report>(outcome.Value);
        Assert.StartsWith("rpt_", report.Id, StringComparison.Ordinal);
        Assert.Equal(36, report.Id.Length);
        Assert.Equal(ReportStatus.Pending, report.Status);
        Assert.Equal("high", report.Filters["priority"]);
        Assert.Same(report, Assert.Single(_store.Reports));
        Assert.Equal(report.Id, Assert.Single(_runner.Started).Id);
    }

    [Theory]
    [InlineData(-1, 1, "to")]
    [InlineData(-1, -2, "from")]
    [InlineData(-401, 0, "from")]
    public async Task A_range_in_the_future_backwards_or_over_400_days_is_refused(int fromDays, int toDays, string field)
    {
        var outcome = await _request.ExecuteAsync(Caller.Tenant("acme"), new(ReportType.Performance, ReportFormat.Pdf, Now.AddDays(fromDays), Now.AddDays(toDays)));

        Assert.Equal(FailureKind.Invalid, outcome.Failure?.Kind);
        Assert.True(outcome.Failure!.Errors!.ContainsKey(field), string.Join(", ", outcome.Failure.Errors!.Keys));
        Assert.Empty(_runner.Started);
    }

    [Theory]
    [InlineData(ReportType.AgentActivity, "colour", "red", "filters")]
    [InlineData(ReportType.AgentActivity, "priority", "urgent", "filters.priority")]
    [InlineData(ReportType.AgentActivity, "agentId", "not-a-guid", "filters.agentId")]
    [InlineData(ReportType.Health, "type", "translate", "filters")]
    [InlineData(ReportType.Billing, "priority", "high", "filters")]
    public async Task Unknown_malformed_or_inapplicable_filters_are_refused(ReportType type, string name, string value, string field)
    {
        var outcome = await _request.ExecuteAsync(Caller.Tenant("acme"),
            new(type, ReportFormat.Json, Now.AddDays(-1), Now, new Dictionary<string, string> { [name] = value }));

        Assert.True(outcome.Failure?.Errors?.ContainsKey(field), outcome.Failure?.Detail);
        Assert.Empty(_store.Reports);
    }

    [Fact]
    public async Task A_performance_report_filters_by_agent_or_by_type_not_both()
    {
        var outcome = await _request.ExecuteAsync(Caller.Tenant("acme"), new(ReportType.Performance, ReportFormat.Json, Now.AddDays(-1), Now,
            new Dictionary<string, string> { ["agentId"] = Guid.NewGuid().ToString(), ["type"] = "translate" }));

        Assert.True(outcome.Failure?.Errors?.ContainsKey("filters.agentId"));
    }

    [Fact]
    public async Task Missing_type_and_format_are_named()
    {
        var outcome = await _request.ExecuteAsync(Caller.Tenant("acme"), new(null, null, Now.AddDays(-1), Now));

        Assert.Contains("type", outcome.Failure!.Errors!.Keys);
        Assert.Contains("format", outcome.Failure.Errors!.Keys);
    }

    [Fact]
    public async Task An_agent_key_may_not_ask_for_reports()
    {
        var outcome = await _request.ExecuteAsync(Caller.Agent("acme", Guid.NewGuid()), new(ReportType.Health, ReportFormat.Pdf, Now.AddDays(-1), Now));

        Assert.Equal(FailureKind.Forbidden, outcome.Failure?.Kind);
    }

    [Fact]
    public async Task A_tenant_does_not_find_another_tenants_report()
    {
        var mine = (await _request.ExecuteAsync(Caller.Tenant("acme"), new(ReportType.Health, ReportFormat.Pdf, Now.AddDays(-1), Now))).Value!;
        var query = new QueryReports(_store, new NoBlobs(), new ReportOptions());

        Assert.Equal(FailureKind.NotFound, (await query.FindAsync(Caller.Tenant("globex"), mine.Id)).Failure?.Kind);
        Assert.Empty((await query.ListAsync(Caller.Tenant("globex"), new(50, null))).Value!.Items);
        Assert.Equal(mine.Id, (await query.FindAsync(Caller.Tenant("acme"), mine.Id)).Value?.Id);
    }

    private sealed class NoBlobs : Files.IBlobStore
    {
        public Task<Files.BlobItem> PutAsync(string tenantId, string name, Stream content, string contentType, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<Files.BlobDownload?> GetAsync(string tenantId, string name, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<Storage.Page<Files.BlobItem>> ListAsync(string tenantId, string prefix, Storage.PageRequest page, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<bool> DeleteAsync(string tenantId, string name, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<Uri> CreateDownloadLinkAsync(string tenantId, string name, TimeSpan validFor, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
