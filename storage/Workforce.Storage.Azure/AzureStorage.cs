using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Workforce.Core.Queues;
using Workforce.Core.Storage;

namespace Workforce.Storage.Azure;

/// <summary>
/// The storage account as the adapters use it: the SDK clients of its three services over one connection pool,
/// authorized with the account's shared key or, without one, an Entra ID token, and the names of the tables, queues
/// and container. <see cref="ProvisionAsync"/> creates what is missing.
/// </summary>
internal sealed class AzureStorage : IDisposable
{
    /// <summary>
    /// The Blob and Queue service version, pinned to the newest that the pinned Azurite (tools/azurite) implements,
    /// so that the version verified by the tests is the version production speaks; the SDKs would otherwise send
    /// their own newest, which Azurite refuses. Raise it with Azurite. (The Tables SDK speaks 2020-12-06, which Azurite serves.)
    /// </summary>
    private const BlobClientOptions.ServiceVersion BlobVersion = BlobClientOptions.ServiceVersion.V2026_06_06;

    private const QueueClientOptions.ServiceVersion QueueVersion = QueueClientOptions.ServiceVersion.V2026_06_06;

    private readonly HttpClient? _http;
    private readonly StorageAccount _account;
    private readonly QueueServiceClient _queues;

    /// <param name="tokens">How an account without a shared key is reached; unused when <paramref name="account"/> has a key.</param>
    /// <param name="transport">Where requests go; by default one HTTP connection pool serves the three services (tests answer in memory).</param>
    public AzureStorage(StorageAccount account, TokenCredential? tokens, AzureStorageOptions options, HttpPipelineTransport? transport = null)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(options);
        _account = account;
        if (transport is null)
        {
            _http = new HttpClient(new SocketsHttpHandler
            {
                ConnectTimeout = options.ConnectTimeout,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            })
            {
                // Each attempt is bounded by the SDK's network timeout instead, so that a slow attempt is retried rather than failed.
                Timeout = Timeout.InfiniteTimeSpan,
            };
            transport = new HttpClientTransport(_http);
        }

        var tableOptions = Configure(new TableClientOptions(), "Table", options, transport);
        var queueOptions = Configure(new QueueClientOptions(QueueVersion) { MessageEncoding = QueueMessageEncoding.None }, "Queue", options, transport);
        var blobOptions = Configure(new BlobClientOptions(BlobVersion), "Blob", options, transport);
        TableServiceClient tables;
        if (account.SharedKey is { } key)
        {
            var sharedKey = new StorageSharedKeyCredential(account.Name, key);
            tables = new TableServiceClient(account.TableEndpoint, new TableSharedKeyCredential(account.Name, key), tableOptions);
            _queues = new QueueServiceClient(account.QueueEndpoint, sharedKey, queueOptions);
            Blobs = new BlobServiceClient(account.BlobEndpoint, sharedKey, blobOptions);
        }
        else
        {
            ArgumentNullException.ThrowIfNull(tokens);
            tables = new TableServiceClient(account.TableEndpoint, tokens, tableOptions);
            _queues = new QueueServiceClient(account.QueueEndpoint, tokens, queueOptions);
            Blobs = new BlobServiceClient(account.BlobEndpoint, tokens, blobOptions);
        }

        Names = new StorageNames(options.ResourcePrefix);
        TenantData = tables.GetTableClient(Names.TenantData);
        Keys = tables.GetTableClient(Names.Keys);
        Tenants = tables.GetTableClient(Names.Tenants);
        Usage = tables.GetTableClient(Names.Usage);
        QueueLedger = tables.GetTableClient(Names.QueueLedger);
        Analytics = tables.GetTableClient(Names.Analytics);
        AgentSamples = tables.GetTableClient(Names.AgentSamples);
        Reports = tables.GetTableClient(Names.Reports);
        Forecasts = tables.GetTableClient(Names.Forecasts);
        Audit = tables.GetTableClient(Names.Audit);
        Messages = tables.GetTableClient(Names.Messages);
        Files = Blobs.GetBlobContainerClient(Names.Files);
    }

    public StorageNames Names { get; }

    /// <inheritdoc cref="StorageNames.TenantData"/>
    public TableClient TenantData { get; }

    /// <inheritdoc cref="StorageNames.Keys"/>
    public TableClient Keys { get; }

    /// <inheritdoc cref="StorageNames.Tenants"/>
    public TableClient Tenants { get; }

    public TableClient Usage { get; }

    /// <inheritdoc cref="StorageNames.QueueLedger"/>
    public TableClient QueueLedger { get; }

    /// <inheritdoc cref="StorageNames.Analytics"/>
    public TableClient Analytics { get; }

    /// <inheritdoc cref="StorageNames.AgentSamples"/>
    public TableClient AgentSamples { get; }

    /// <inheritdoc cref="StorageNames.Reports"/>
    public TableClient Reports { get; }

    /// <inheritdoc cref="StorageNames.Forecasts"/>
    public TableClient Forecasts { get; }

    /// <inheritdoc cref="StorageNames.Audit"/>
    public TableClient Audit { get; }

    /// <inheritdoc cref="StorageNames.Messages"/>
    public TableClient Messages { get; }

    /// <summary>The service, for what concerns the account rather than one blob: user delegation keys.</summary>
    public BlobServiceClient Blobs { get; }

    public BlobContainerClient Files { get; }

    private IEnumerable<TableClient> AllTables => [TenantData, Keys, Tenants, Usage, QueueLedger, Analytics, AgentSamples, Reports, Forecasts, Audit, Messages];

    public QueueClient Queue(string name) => _queues.GetQueueClient(Names.Queue(name));

    public QueueClient PoisonQueue(string name) => _queues.GetQueueClient(Names.PoisonQueue(name));

    /// <summary>Creates the tables, the queues with their poison queues, and the container, where they do not exist yet.</summary>
    /// <exception cref="StorageUnavailableException">The account did not answer within <paramref name="timeout"/>, or refused.</exception>
    public async Task ProvisionAsync(IEnumerable<QueueDefinition> queues, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await Task.WhenAll(AllTables.Select(table => (Task)table.CreateIfNotExistsAsync(deadline.Token))
                .Concat(QueuesOf(queues).Select(queue => (Task)queue.CreateIfNotExistsAsync(cancellationToken: deadline.Token)))
                .Append(Files.CreateIfNotExistsAsync(cancellationToken: deadline.Token)));
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new StorageUnavailableException($"Azure Storage did not answer within {timeout.TotalSeconds:0} s ({Endpoints}).", e);
        }
        catch (RequestFailedException e)
        {
            throw new StorageUnavailableException($"Azure Storage refused to create the tables, queues and container ({Endpoints}): {e.Message}", e);
        }
    }

    /// <summary>Deletes what <see cref="ProvisionAsync"/> created: a test's own resources, or a retired deployment's.</summary>
    public Task DeprovisionAsync(IEnumerable<QueueDefinition> queues, CancellationToken cancellationToken) =>
        Task.WhenAll(AllTables.Select(table => DeleteTableIfExistsAsync(table, cancellationToken))
            .Concat(QueuesOf(queues).Select(queue => (Task)queue.DeleteIfExistsAsync(cancellationToken)))
            .Append(Files.DeleteIfExistsAsync(cancellationToken: cancellationToken)));

    public string Endpoints => $"account {_account.Name}: {_account.TableEndpoint}, {_account.QueueEndpoint}, {_account.BlobEndpoint}";

    public void Dispose() => _http?.Dispose();

    private IEnumerable<QueueClient> QueuesOf(IEnumerable<QueueDefinition> queues) =>
        queues.SelectMany(q => new[] { Queue(q.Name), PoisonQueue(q.Name) });

    private static async Task DeleteTableIfExistsAsync(TableClient table, CancellationToken cancellationToken)
    {
        try
        {
            await table.DeleteAsync(cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
    }

    /// <summary>
    /// Every client alike: the shared transport; the SDK's exponential retries (with jitter, and honouring
    /// Retry-After) of throttling, server errors, timeouts and broken connections, each attempt bounded by
    /// <see cref="AzureStorageOptions.RequestTimeout"/>; an account that never answered reported as unavailable;
    /// and every attempt counted.
    /// </summary>
    private static T Configure<T>(T client, string service, AzureStorageOptions options, HttpPipelineTransport transport)
        where T : ClientOptions
    {
        client.Transport = transport;
        client.Retry.Mode = RetryMode.Exponential;
        client.Retry.MaxRetries = options.MaxRetries;
        client.Retry.Delay = options.RetryDelay;
        client.Retry.MaxDelay = options.MaxRetryDelay;
        client.Retry.NetworkTimeout = options.RequestTimeout;
        client.AddPolicy(new UnreachableAccountPolicy(), HttpPipelinePosition.PerCall);
        client.AddPolicy(new RequestMeter(service), HttpPipelinePosition.PerRetry);
        return client;
    }
}
