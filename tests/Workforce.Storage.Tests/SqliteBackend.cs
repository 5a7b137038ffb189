using Workforce.Core.Analytics;
using Workforce.Core.Files;
using Workforce.Core.Forecasting;
using Workforce.Core.Queues;
using Workforce.Core.Reports;
using Workforce.Core.Storage;
using Workforce.Core.Tasks;
using Workforce.Core.Tenants;
using Workforce.Core.Usage;
using Workforce.Storage.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Workforce.Storage.Tests;

public sealed class SqliteBackend : IStorageBackend
{
    private readonly SqliteStorageOptions _options = new()
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "workforce-tests", Guid.NewGuid().ToString("N")),
    };

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly RecordingObserver _observer = new();
    private readonly FileSystemBlobStore _blobs;
    private SqliteDatabase _database;

    public SqliteBackend()
    {
        _database = SqliteDatabase.Open(_options);
        _blobs = new FileSystemBlobStore(_options, _clock);
        Open();
    }

    public IWorkforceStore Store { get; private set; } = null!;

    public ITenantDirectory Directory { get; private set; } = null!;

    public IWorkQueues Queues { get; private set; } = null!;


    public IBlobStore Blobs => _blobs;

    public IAnalyticsStore Analytics { get; private set; } = null!;

    public IReportStore Reports { get; private set; } = null!;

    public IForecastStore Forecasts { get; private set; } = null!;

    public Core.Audit.IAuditLog Audit { get; private set; } = null!;

    public Core.Messaging.IMessageStore Messages { get; private set; } = null!;

    public IReadOnlyList<TaskTransition> Published => _observer.Published;

    public Task ReopenAsync()
    {
        _database.Dispose();
        _database = SqliteDatabase.Open(_options);
        Open();
        return Task.CompletedTask;
    }

    public Task AdvanceTimeAsync(TimeSpan by)
    {
        _clock.Advance(by);
        return Task.CompletedTask;
    }

    public async Task<byte[]?> DownloadAsync(Uri link)
    {
        await using var download = await _blobs.OpenLinkAsync(link);
        if (download is null)
        {
            return null;
        }

        using var content = new MemoryStream();
        await download.Content.CopyToAsync(content);
        return content.ToArray();
    }

    public ValueTask DisposeAsync()
    {
        _database.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(_options.DataDirectory, recursive: true);
        return ValueTask.CompletedTask;
    }

    private void Open()
    {
        var queues = new SqliteWorkQueues(_database, TestQueues.All, _clock);
        Queues = queues;
        Store = new SqliteWorkforceStore(_database, queues, _observer.Feed(), TestBilling.Metering(), _clock);
        Directory = new SqliteTenantDirectory(_database);
        Analytics = new SqliteAnalyticsStore(_database);
        Reports = new SqliteReportStore(_database);
        Forecasts = new SqliteForecastStore(_database);
        Audit = new SqliteAuditLog(_database);
        Messages = new SqliteMessageStore(_database);
    }
}
