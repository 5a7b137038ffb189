using Azure;
using Azure.Core;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace Workforce.Server.Backups;

/// <summary>
/// Backups in an Azure Blob Storage container, as block blobs. A backup is uploaded in blocks as it is written and
/// committed only when complete; a failed upload is deleted, and the empty blob a crash may leave is not listed
/// (the service discards uncommitted blocks after a week).
/// </summary>
public sealed class BackupContainer(BlobContainerClient container) : IBackupDestination
{
    /// <summary>
    /// The Blob service version the Azure storage adapter pins (storage/Workforce.Storage.Azure/AzureStorage.cs): the
    /// newest the pinned Azurite implements, so the tests verify what production speaks. Raise the two together.
    /// </summary>
    public const BlobClientOptions.ServiceVersion ServiceVersion = BlobClientOptions.ServiceVersion.V2026_06_06;

    /// <summary>Blocks of 8 MiB: a 50 000-block blob holds about 400 GB.</summary>
    private const int BlockBytes = 8 << 20;

    private int _created;

    public string Kind => BackupOptions.Blob;

    public string Location => container.Uri.ToString();

    /// <summary>The container the options name, with a connection string's key or an Entra ID token.</summary>
    public static BackupContainer From(BackupOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clientOptions = new BlobClientOptions(ServiceVersion);
        var service = string.IsNullOrWhiteSpace(options.ConnectionString)
            ? new BlobServiceClient(options.AccountUrl, Credential(options), clientOptions)
            : new BlobServiceClient(options.ConnectionString, clientOptions);
        return new BackupContainer(service.GetBlobContainerClient(options.Container));
    }

    public async Task<IReadOnlyList<BackupFile>> ListAsync(CancellationToken cancellationToken = default)
    {
        var backups = new List<BackupFile>();
        try
        {
            await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, "workforce-", cancellationToken))
            {
                // An empty blob is an upload a crash cut short just after it began, never a backup.
                if (blob.Properties.ContentLength > 0 && BackupFile.From(blob.Name, blob.Properties.ContentLength.Value) is { } backup)
                {
                    backups.Add(backup);
                }
            }
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            // No backup taken yet.
        }

        return [.. backups.OrderByDescending(b => b.TakenAt)];
    }

    public async Task<BackupFile> WriteAsync(string name, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (Volatile.Read(ref _created) == 0)
        {
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            Volatile.Write(ref _created, 1);
        }

        var blob = container.GetBlockBlobClient(name);
        try
        {
            // Not disposed on failure: disposing the SDK's write stream commits what was written so far.
            var upload = await blob.OpenWriteAsync(overwrite: true, new BlockBlobOpenWriteOptions
            {
                BufferSize = BlockBytes,
                HttpHeaders = new BlobHttpHeaders { ContentType = "application/gzip" },
            }, cancellationToken);
            await write(upload, cancellationToken);
            await upload.DisposeAsync();
        }
        catch
        {
            // Opening the write stream may have created the blob empty; a failed backup leaves nothing by its name.
            await container.DeleteBlobIfExistsAsync(name, cancellationToken: CancellationToken.None);
            throw;
        }

        var properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
        return BackupFile.From(name, properties.Value.ContentLength)!;
    }

    public async Task<Stream> OpenReadAsync(string name, CancellationToken cancellationToken = default)
    {
        try
        {
            return await container.GetBlobClient(name).OpenReadAsync(new BlobOpenReadOptions(allowModifications: false), cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new FileNotFoundException($"There is no backup {name} in {Location}.", name, e);
        }
    }

    public async Task DeleteAsync(string name, CancellationToken cancellationToken = default) =>
        await container.DeleteBlobIfExistsAsync(name, cancellationToken: cancellationToken);

    /// <summary>As the Azure storage adapter reaches an account by name: a user-assigned identity, or whatever <c>DefaultAzureCredential</c> finds.</summary>
    private static TokenCredential Credential(BackupOptions options) =>
        options.ManagedIdentityClientId is { Length: > 0 } clientId
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential();
}
