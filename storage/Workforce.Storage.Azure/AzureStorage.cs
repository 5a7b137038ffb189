using Microsoft.Extensions.Logging;
using Workforce.Core.Queues;
using Workforce.Core.Storage;
using Workforce.Storage.Azure.Rest;

namespace Workforce.Storage.Azure;

/// <summary>
/// The storage account as the adapters use it: one HTTP connection pool, the three services and the names of the
/// tables, queues and container. <see cref="ProvisionAsync"/> creates what is missing.
/// </summary>
internal sealed class AzureStorage : IDisposable
{
    private readonly HttpClient _http;
    private readonly StorageAccount _account;
    private readonly StorageAuthentication _authentication;

    public AzureStorage(StorageAccount account, StorageAuthentication authentication, AzureStorageOptions options, TimeProvider clock, ILoggerFactory loggers)
    {
        _account = account;
        _authentication = authentication;
        _http = new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = options.ConnectTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        })
        {
            // Each attempt is bounded by StorageHttp instead, so that a slow attempt is retried rather than failed.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var retry = new StorageRetryPolicy(options.MaxRetries, options.RetryDelay, options.MaxRetryDelay, options.RequestTimeout);
        var http = new StorageHttp(_http, authentication, retry, clock, loggers.CreateLogger<StorageHttp>());
        Tables = new TableService(http, account.TableEndpoint);
        Queues = new QueueService(http, account.QueueEndpoint);
        BlobSas sas = authentication is SharedKeyAuthentication key
            ? new SharedKeyBlobSas(account.Name, key)
            : new UserDelegationBlobSas(account.Name, http, account.BlobEndpoint, clock);
        Blobs = new BlobService(http, account.BlobEndpoint, sas);
        Names = new StorageNames(options.ResourcePrefix);
    }

    public TableService Tables { get; }

    public QueueService Queues { get; }

    public BlobService Blobs { get; }

    public StorageNames Names { get; }

    /// <summary>Creates the tables, the queues with their poison queues, and the container, where they do not exist yet.</summary>
    /// <exception cref="StorageUnavailableException">The account did not answer within <paramref name="timeout"/>, or refused.</exception>
    public async Task ProvisionAsync(IEnumerable<QueueDefinition> queues, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await Task.WhenAll(Names.AllTables.Select(table => Tables.CreateTableIfNotExistsAsync(table, deadline.Token))
                .Concat(queues.SelectMany(q => new[] { Names.Queue(q.Name), Names.PoisonQueue(q.Name) }).Select(q => Queues.CreateIfNotExistsAsync(q, deadline.Token)))
                .Append(Blobs.CreateContainerIfNotExistsAsync(Names.Files, deadline.Token)));
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new StorageUnavailableException($"Azure Storage did not answer within {timeout.TotalSeconds:0} s ({Endpoints}).", e);
        }
        catch (StorageRequestException e)
        {
            throw new StorageUnavailableException($"Azure Storage refused to create the tables, queues and container ({Endpoints}): {e.Message}", e);
        }
    }

    /// <summary>Deletes what <see cref="ProvisionAsync"/> created: a test's own resources, or a retired deployment's.</summary>
    public async Task DeprovisionAsync(IEnumerable<QueueDefinition> queues, CancellationToken cancellationToken)
    {
        await Task.WhenAll(Names.AllTables.Select(table => Tables.DeleteTableIfExistsAsync(table, cancellationToken))
            .Concat(queues.SelectMany(q => new[] { Names.Queue(q.Name), Names.PoisonQueue(q.Name) }).Select(q => Queues.DeleteIfExistsAsync(q, cancellationToken)))
            .Append(Blobs.DeleteContainerIfExistsAsync(Names.Files, cancellationToken)));
    }

    public string Endpoints => $"account {_account.Name}: {_account.TableEndpoint}, {_account.QueueEndpoint}, {_account.BlobEndpoint}";

    public void Dispose()
    {
        _http.Dispose();
        (_authentication as IDisposable)?.Dispose();
    }
}
