using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Workforce.Core.Analytics;
using Workforce.Core.Files;
using Workforce.Core.Reports;
using Workforce.Core.Storage;

namespace Workforce.Core.Tests.Reports;

public sealed class GenerateReportTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
    private readonly Platform _platform = new();
    private readonly InMemoryReportStore _reports = new();
    private readonly MemoryBlobs _blobs = new();
    private readonly FakeRenderer _renderer = new();
    private readonly GenerateReport _generate;

    public GenerateReportTests()
    {
        _platform.Clock.SetUtcNow(Now);
        var analytics = new Mock<IAnalyticsStore>();
        analytics.Setup(a => a.ReadRollupsAsync(It.IsAny<string>(), It.IsAny<RollupResolution>(), It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .Returns(() => NoRollups());
        var options = new AnalyticsOptions();
        var build = new BuildReportDocument(_platform.Store, analytics.Object, new QueryAnalyticsSummary(analytics.Object, options, _platform.Clock),
            new Core.Usage.QueryUsageHistory(_platform.Store, _platform.Clock), options, _platform.Clock);
        _generate = new GenerateReport(_reports, build, [_renderer], _blobs, _platform.Clock, NullLogger<GenerateReport>.Instance);
    }

    [Fact]
    public async Task A_report_is_rendered_into_its_blob_and_marked_ready_with_its_length()
    {
        var report = await SaveAsync(ReportType.Health);

        var ready = await _generate.ExecuteAsync(Platform.TenantId, report.Id);

        Assert.Equal(ReportStatus.Ready, ready!.Status);
        Assert.Equal($"reports/2026/03/{report.Id}.txt", ready.BlobName);
        Assert.Equal("System health|acme", System.Text.Encoding.UTF8.GetString(_blobs.Files[(Platform.TenantId, ready.BlobName!)]));
        Assert.Equal(_blobs.Files[(Platform.TenantId, ready.BlobName!)].Length, ready.Length);
        Assert.Equal(ReportStatus.Ready, (await _reports.FindAsync(Platform.TenantId, report.Id))!.Status);
    }

    [Fact]
    public async Task Generating_a_finished_report_again_changes_nothing()
    {
        var report = await SaveAsync(ReportType.Performance);
        var first = await _generate.ExecuteAsync(Platform.TenantId, report.Id);
        _platform.Clock.Advance(TimeSpan.FromMinutes(5));

        var second = await _generate.ExecuteAsync(Platform.TenantId, report.Id);

        Assert.Equal(first, second);
        Assert.Equal(1, _renderer.Renders);
    }

    [Fact]
    public async Task A_report_that_cannot_be_made_fails_at_once_with_the_reason()
    {
        var report = await SaveAsync(ReportType.Billing);
        _renderer.Throw = new ReportFailedException("nothing to draw");

        var failed = await _generate.ExecuteAsync(Platform.TenantId, report.Id);

        Assert.Equal(ReportStatus.Failed, failed!.Status);
        Assert.Equal("nothing to draw", failed.Error);
    }

    [Fact]
    public async Task Other_errors_propagate_for_the_workflow_to_retry_and_then_fail_the_report()
    {
        var report = await SaveAsync(ReportType.Health);
        _renderer.Throw = new IOException("disk full");

        await Assert.ThrowsAsync<IOException>(() => _generate.ExecuteAsync(Platform.TenantId, report.Id));
        Assert.Equal(ReportStatus.Running, (await _reports.FindAsync(Platform.TenantId, report.Id))!.Status);

        var failed = await _generate.FailAsync(Platform.TenantId, report.Id, "Generating the report failed: disk full");
        Assert.Equal(ReportStatus.Failed, failed!.Status);
        Assert.Contains("disk full", failed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_purged_report_is_not_generated()
    {
        Assert.Null(await _generate.ExecuteAsync(Platform.TenantId, "rpt_gone"));
    }

    private async Task<Report> SaveAsync(ReportType type)
    {
        var report = new Report { Id = Report.NewId(), TenantId = Platform.TenantId, Type = type, Format = ReportFormat.Csv, From = Now.AddDays(-2), To = Now, CreatedAt = Now };
        await _reports.SaveAsync(report);
        return report;
    }

#pragma warning disable CS1998
    private static async IAsyncEnumerable<AnalyticsRollup> NoRollups([EnumeratorCancellation] CancellationToken cancellationToken = default)
#pragma warning restore CS1998
    {
        yield break;
    }

    private sealed class FakeRenderer : IReportRenderer
    {
        public int Renders { get; private set; }

        public Exception? Throw { get; set; }

        public ReportFormat Format => ReportFormat.Csv;

        public string ContentType => "text/plain";

        public string Extension => "txt";

        public async Task RenderAsync(ReportDocument document, Stream output, CancellationToken cancellationToken = default)
        {
            Renders++;
            await output.WriteAsync(System.Text.Encoding.UTF8.GetBytes($"{document.Title}|"), cancellationToken);
            if (Throw is not null)
            {
                throw Throw;
            }

            await foreach (var _ in document.Primary.Rows.WithCancellation(cancellationToken))
            {
            }

            await output.WriteAsync(System.Text.Encoding.UTF8.GetBytes(document.TenantId), cancellationToken);
        }
    }

    private sealed class MemoryBlobs : IBlobStore
    {
        public Dictionary<(string Tenant, string Name), byte[]> Files { get; } = [];

        public async Task<BlobItem> PutAsync(string tenantId, string name, Stream content, string contentType, CancellationToken cancellationToken = default)
        {
            using var copy = new MemoryStream();
            await content.CopyToAsync(copy, cancellationToken);
            Files[(tenantId, name)] = copy.ToArray();
            return new BlobItem(name, copy.Length, contentType, Now);
        }

        public Task<BlobDownload?> GetAsync(string tenantId, string name, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<Page<BlobItem>> ListAsync(string tenantId, string prefix, PageRequest page, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<bool> DeleteAsync(string tenantId, string name, CancellationToken cancellationToken = default) => Task.FromResult(Files.Remove((tenantId, name)));

        public Task<Uri> CreateDownloadLinkAsync(string tenantId, string name, TimeSpan validFor, CancellationToken cancellationToken = default) =>
            Task.FromResult(new Uri($"https://files.example/{tenantId}/{name}"));
    }
}
