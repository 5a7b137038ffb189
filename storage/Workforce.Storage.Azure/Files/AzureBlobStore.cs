using Workforce.Core.Files;
using Workforce.Core.Storage;
using Workforce.Storage.Azure.Rest;

namespace Workforce.Storage.Azure.Files;

/// <summary>
/// <see cref="IBlobStore"/> on Blob Storage: one container, a virtual folder per tenant (<c>{tenant}/{name}</c>).
/// Download links carry a read-only SAS: a service SAS with an account key, a user delegation SAS with a token.
/// </summary>
internal sealed class AzureBlobStore(AzureStorage storage, TimeProvider clock) : IBlobStore
{
    public async Task<BlobItem> PutAsync(string tenantId, string name, Stream content, string contentType, CancellationToken cancellationToken = default)
    {
        var blob = await storage.Blobs.UploadAsync(storage.Names.Files, BlobName(tenantId, name), content, contentType, cancellationToken);
        return new BlobItem(name, blob.Length, blob.ContentType, blob.LastModified);
    }

    public async Task<BlobDownload?> GetAsync(string tenantId, string name, CancellationToken cancellationToken = default)
    {
        if (await storage.Blobs.DownloadAsync(storage.Names.Files, BlobName(tenantId, name), cancellationToken) is not { } response)
        {
            return null;
        }

        var headers = response.Content.Headers;
        var blob = new BlobItem(name, headers.ContentLength ?? 0, headers.ContentType?.ToString() ?? "application/octet-stream", headers.LastModified ?? clock.GetUtcNow());
        return new BlobDownload(blob, await response.Content.ReadAsStreamAsync(cancellationToken));
    }

    public async Task<Page<BlobItem>> ListAsync(string tenantId, string prefix, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(page);
        BlobNames.CheckPrefix(prefix);
        var folder = TenantFolder(tenantId);
        var marker = page.Cursor is null ? null : PageCursors.Decode("blobs", page.Cursor);
        var listing = await storage.Blobs.ListAsync(storage.Names.Files, folder + prefix, page.Limit, marker, cancellationToken);
        return new Page<BlobItem>(
            [.. listing.Blobs.Select(b => new BlobItem(b.Name[folder.Length..], b.Length, b.ContentType, b.LastModified))],
            listing.NextMarker is null ? null : PageCursors.Encode("blobs", listing.NextMarker));
    }

    public Task<bool> DeleteAsync(string tenantId, string name, CancellationToken cancellationToken = default) =>
        storage.Blobs.DeleteAsync(storage.Names.Files, BlobName(tenantId, name), cancellationToken);

    public Task<Uri> CreateDownloadLinkAsync(string tenantId, string name, TimeSpan validFor, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(validFor, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(validFor, UserDelegationBlobSas.MaxValidity);
        return storage.Blobs.ReadLinkAsync(storage.Names.Files, BlobName(tenantId, name), clock.GetUtcNow() + validFor, cancellationToken);
    }

    private static string BlobName(string tenantId, string name)
    {
        BlobNames.Check(name);
        return TenantFolder(tenantId) + name;
    }

    private static string TenantFolder(string tenantId)
    {
        BlobNames.Check(tenantId, nameof(tenantId));
        return tenantId.Contains('/', StringComparison.Ordinal) ? throw new ArgumentException("A tenant id cannot hold '/'.", nameof(tenantId)) : tenantId + "/";
    }
}
