using Microsoft.Extensions.Logging.Abstractions;
using Workforce.Core.Analytics;
using Workforce.Core.Files;
using Workforce.Core.Forecasting;
using Workforce.Core.Queues;
using Workforce.Core.Reports;
using Workforce.Core.Storage;
using Workforce.Core.Tasks;
using Workforce.Core.Tenants;
using Workforce.Core.Usage;
using Workforce.Storage.Azure;
using Workforce.Storage.Azure.Files;
using Workforce.Storage.Azure.Queues;
using Workforce.Storage.Azure.Tables;
using Workforce.Testing;

namespace Workforce.Storage.Tests;

/// <summary>
/// The Azure adapters against the Azurite that test.sh starts, on tables, queues and a container of their own
/// (a random resource prefix), deleted after the test. Time is real: waiting is the only way to let it pass.
/// </summary>
public sealed class AzureBackend : IStorageBackend
{
    private static readonly HttpClient Anonymous = new();

    private readonly AzureStorageOptions _options = new()
    {
        ConnectionString = Azurite.ConnectionString,
        ResourcePrefix = Azurite.NewResourcePrefix(),
        // Fail fast in tests; the defaults are for a production account.
        MaxRetries = 2,
    };

    private readonly RecordingObserver _observer = new();
    private AzureStorage _storage = null!;

    private AzureBackend()
    {
    }

    public IWorkforceStore Store { get; private set; } = null!;

    public ITenantDirectory Directory { get; private set; } = null!;

    public IWorkQueues Queues { get; private set; } = null!;


    public IBlobStore Blobs { get; private set; } = null!;

    public IAnalyticsStore Analytics { get; private set; } = null!;

    public IReportStore Reports { get; private set; } = null!;

    public IForecastStore Forecasts { get; private set; } = null!;

    public Core.Audit.IAuditLog Audit { get; private set; } = null!;

    public Core.Messaging.IMessageStore Messages { get; private set; } = null!;

    public IReadOnlyList<TaskTransition> Published => _observer.Published;

    public static async Task<IStorageBackend> CreateAsync()
    {
        var backend = new AzureBackend();
        backend.Open();
        await backend._storage.ProvisionAsync(TestQueues.All, TimeSpan.FromSeconds(30), CancellationToken.None);
        return backend;
    }

    public Task ReopenAsync()
    {
        _storage.Dispose();
        Open();
        return Task.CompletedTask;
    }

    public Task AdvanceTimeAsync(TimeSpan by) => Task.Delay(by);

    public async Task<byte[]?> DownloadAsync(Uri link)
    {
        using var response = await Anonymous.GetAsync(link);
        return response.IsSuccessStatusCode ? await response.Content.ReadAsByteArrayAsync() : null;
    }

    public async ValueTask DisposeAsync()
    {
        await _storage.DeprovisionAsync(TestQueues.All, CancellationToken.None);
        _storage.Dispose();
    }

    private void Open()
    {
        _storage = new AzureStorage(StorageAccount.Parse(_options.ConnectionString!), tokens: null, _options);
        var registry = new TenantRegistry(_storage);
        var directory = new AzureTenantDirectory(_storage, registry);
        var queues = new AzureWorkQueues(_storage, new QueueLedger(_storage, TimeProvider.System), TestQueues.All, TimeProvider.System);
        Directory = directory;
        Queues = queues;
        Store = new AzureWorkforceStore(_storage, directory, registry, queues, _observer.Feed(), TestBilling.Metering(), TimeProvider.System, NullLogger<AzureWorkforceStore>.Instance);
        Blobs = new AzureBlobStore(_storage, TimeProvider.System);
        Analytics = new AzureAnalyticsStore(_storage, TimeProvider.System);
        Reports = new AzureReportStore(_storage, TimeProvider.System);
        Forecasts = new AzureForecastStore(_storage, TimeProvider.System);
        Audit = new AzureAuditLog(_storage);
        Messages = new AzureMessageStore(_storage);
    }
}
