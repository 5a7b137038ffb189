using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;
using Workforce.Core.Files;
using Workforce.Core.Storage;
using BlobItem = Workforce.Core.Files.BlobItem;
using RequestFailedException = Azure.RequestFailedException;

namespace Workforce.Storage.Azure.Files;

/// <summary>
/// <see cref="IBlobStore"/> on Blob Storage: one container, a virtual folder per tenant (<c>{tenant}/{name}</c>).
/// Uploads go in blocks of <see cref="BlockSize"/>, one at a time, so a stream of any length is sent with bounded
/// memory and each block is retried on its own; downloads stream. Download links carry a read-only SAS: a service
/// SAS signed with the account key when the account has one, a user delegation SAS when it is reached with a token.
/// </summary>
internal sealed class AzureBlobStore(AzureStorage storage, TimeProvider clock) : IBlobStore
{
    public const int BlockSize = 4 * 1024 * 1024;

    /// <summary>The longest a user delegation key, and so a link signed with one, may be valid.</summary>
    public static readonly TimeSpan MaxLinkValidity = TimeSpan.FromDays(7);

    private static readonly StorageTransferOptions Blocks = new()
    {
        InitialTransferSize = BlockSize,
        MaximumTransferSize = BlockSize,
        MaximumConcurrency = 1,
    };

    /// <summary>One Put Blob when the content fits in a block; otherwise Put Block per block and a Put Block List.</summary>
    public async Task<BlobItem> PutAsync(string tenantId, string name, Stream content, string contentType, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var blob = Blob(tenantId, name);
        await using var counted = new CountingStream(content);
        var uploaded = await blob.UploadAsync(counted, new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
            TransferOptions = Blocks,
        }, cancellationToken);
        return new BlobItem(name, counted.BytesRead, contentType, uploaded.Value.LastModified);
    }

    public async Task<BlobDownload?> GetAsync(string tenantId, string name, CancellationToken cancellationToken = default)
    {
        try
        {
            var download = (await Blob(tenantId, name).DownloadStreamingAsync(cancellationToken: cancellationToken)).Value;
            var details = download.Details;
            return new BlobDownload(new BlobItem(name, details.ContentLength, details.ContentType ?? "application/octet-stream", details.LastModified), download.Content);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task<Page<BlobItem>> ListAsync(string tenantId, string prefix, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(page);
        BlobNames.CheckPrefix(prefix);
        var folder = TenantFolder(tenantId);
        var marker = page.Cursor is null ? null : PageCursors.Decode("blobs", page.Cursor);
        await foreach (var listing in storage.Files.GetBlobsAsync(new GetBlobsOptions { Prefix = folder + prefix }, cancellationToken).AsPages(marker, page.Limit))
        {
            return new Page<BlobItem>(
                [.. listing.Values.Select(b => new BlobItem(b.Name[folder.Length..], b.Properties.ContentLength ?? 0,
                    b.Properties.ContentType ?? "application/octet-stream", b.Properties.LastModified ?? clock.GetUtcNow()))],
                string.IsNullOrEmpty(listing.ContinuationToken) ? null : PageCursors.Encode("blobs", listing.ContinuationToken));
        }

        return new Page<BlobItem>([], null);
    }

    public async Task<bool> DeleteAsync(string tenantId, string name, CancellationToken cancellationToken = default) =>
        await Blob(tenantId, name).DeleteIfExistsAsync(cancellationToken: cancellationToken);

    /// <summary>
    /// A shared key signs the link here, without a request; a token credential first asks the service for a user
    /// delegation key, valid from now exactly as long as the link, so no key outlives the links signed with it.
    /// </summary>
    public async Task<Uri> CreateDownloadLinkAsync(string tenantId, string name, TimeSpan validFor, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(validFor, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(validFor, MaxLinkValidity);
        var blob = Blob(tenantId, name);
        var sas = new BlobSasBuilder(BlobSasPermissions.Read, clock.GetUtcNow() + validFor)
        {
            BlobContainerName = blob.BlobContainerName,
            BlobName = blob.Name,
            Resource = "b",
        };
        if (blob.CanGenerateSasUri)
        {
            return blob.GenerateSasUri(sas);
        }

        var key = await storage.Blobs.GetUserDelegationKeyAsync(startsOn: null, sas.ExpiresOn, cancellationToken);
        return blob.GenerateUserDelegationSasUri(sas, key.Value);
    }

    private BlobClient Blob(string tenantId, string name)
    {
        BlobNames.Check(name);
        return storage.Files.GetBlobClient(TenantFolder(tenantId) + name);
    }

    private static string TenantFolder(string tenantId)
    {
        BlobNames.Check(tenantId, nameof(tenantId));
        return tenantId.Contains('/', StringComparison.Ordinal) ? throw new ArgumentException("A tenant id cannot hold '/'.", nameof(tenantId)) : tenantId + "/";
    }
}
