using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Workforce.Core;
using Workforce.Core.Files;
using Workforce.Core.Storage;

namespace Workforce.Storage.Sqlite;

/// <summary>
/// <see cref="IBlobStore"/> on the local disk, beside the database: content in <c>{data}/files/{tenant}/{name}</c>,
/// its content type in the same place under <c>{data}/file-types</c>. A file is written under <c>{data}/file-uploads</c>
/// and moved into place, so a reader never sees half of it and the tenant folders hold nothing but blobs. Download links are
/// relative URLs the server serves at <see cref="LinkPath"/>, signed with HMAC-SHA256 under a key kept in the data
/// folder, and valid until their expiry: the local stand-in for a SAS.
/// </summary>
public sealed class FileSystemBlobStore(SqliteStorageOptions options, TimeProvider clock) : IBlobStore
{
    /// <summary>Where the server serves download links: <c>/api/files/{tenant}/{name}?expires=…&amp;signature=…</c>.</summary>
    public const string LinkPath = "/" + ApiRoutes.Prefix + "/" + ApiRoutes.FileDownloadPrefix;

    private readonly Lazy<byte[]> _linkKey = new(() => LoadOrCreateKey(Path.Combine(options.DataDirectory, "download-links.key")));

    private string Root => Path.GetFullPath(Path.Combine(options.DataDirectory, "files"));

    private string TypesRoot => Path.GetFullPath(Path.Combine(options.DataDirectory, "file-types"));

    private string UploadsRoot => Path.GetFullPath(Path.Combine(options.DataDirectory, "file-uploads"));

    public async Task<BlobItem> PutAsync(string tenantId, string name, Stream content, string contentType, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var path = BlobPath(tenantId, name);
        var typePath = TypePath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Directory.CreateDirectory(Path.GetDirectoryName(typePath)!);
        Directory.CreateDirectory(UploadsRoot);
        var upload = Path.Combine(UploadsRoot, Guid.NewGuid().ToString("N"));
        await using (var file = new FileStream(upload, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
        {
            await content.CopyToAsync(file, cancellationToken);
        }

        await File.WriteAllTextAsync(typePath, contentType, cancellationToken);
        File.Move(upload, path, overwrite: true);
        return Item(name, new FileInfo(path), contentType);
    }

    public async Task<BlobDownload?> GetAsync(string tenantId, string name, CancellationToken cancellationToken = default)
    {
        var path = BlobPath(tenantId, name);
        try
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, useAsync: true);
            return new BlobDownload(Item(name, new FileInfo(path), await ContentTypeAsync(path, cancellationToken)), stream);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public async Task<Page<BlobItem>> ListAsync(string tenantId, string prefix, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(page);
        BlobNames.CheckPrefix(prefix);
        var folder = TenantFolder(tenantId);
        var after = page.Cursor is null ? null : DecodeCursor(page.Cursor);
        var names = Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(folder, f).Replace(Path.DirectorySeparatorChar, '/'))
                .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && (after is null || string.CompareOrdinal(n, after) > 0))
                .Order(StringComparer.Ordinal)
                .Take(page.Limit + 1)
                .ToList()
            : [];
        var items = new List<BlobItem>();
        foreach (var name in names.Take(page.Limit))
        {
            var path = BlobPath(tenantId, name);
            items.Add(Item(name, new FileInfo(path), await ContentTypeAsync(path, cancellationToken)));
        }

        return new Page<BlobItem>(items, names.Count > page.Limit ? EncodeCursor(names[page.Limit - 1]) : null);
    }

    public Task<bool> DeleteAsync(string tenantId, string name, CancellationToken cancellationToken = default)
    {
        var path = BlobPath(tenantId, name);
        if (!File.Exists(path))
        {
            return Task.FromResult(false);
        }

        File.Delete(path);
        File.Delete(TypePath(path));
        return Task.FromResult(true);
    }

    public Task<Uri> CreateDownloadLinkAsync(string tenantId, string name, TimeSpan validFor, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(validFor, TimeSpan.Zero);
        BlobPath(tenantId, name);
        var expires = (clock.GetUtcNow() + validFor).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var path = LinkPath + Uri.EscapeDataString(tenantId) + "/" + string.Join('/', name.Split('/').Select(Uri.EscapeDataString));
        return Task.FromResult(new Uri($"{path}?expires={expires}&signature={Signature(tenantId, name, expires)}", UriKind.Relative));
    }

    /// <summary>Opens the blob a download link names, if its signature is this store's and it has not expired.</summary>
    /// <param name="link">The link's path and query, as the server received it.</param>
    /// <returns>The open content, or null for a link that is forged, expired, or names no blob.</returns>
    public async Task<BlobDownload?> OpenLinkAsync(Uri link, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(link);
        var text = link.OriginalString;
        var query = text.IndexOf('?', StringComparison.Ordinal);
        if (!text.StartsWith(LinkPath, StringComparison.Ordinal) || query < 0)
        {
            return null;
        }

        var segments = text[LinkPath.Length..query].Split('/').Select(Uri.UnescapeDataString).ToArray();
        var parameters = text[(query + 1)..].Split('&').Select(p => p.Split('=', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]), StringComparer.Ordinal);
        if (segments.Length < 2 || !parameters.TryGetValue("expires", out var expires) || !parameters.TryGetValue("signature", out var signature)
            || !long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var expiresAt)
            || DateTimeOffset.FromUnixTimeSeconds(expiresAt) <= clock.GetUtcNow())
        {
            return null;
        }

        var (tenantId, name) = (segments[0], string.Join('/', segments[1..]));
        var expected = Encoding.ASCII.GetBytes(Signature(tenantId, name, expires));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature))
            ? await GetAsync(tenantId, name, cancellationToken)
            : null;
    }

    private string Signature(string tenantId, string name, string expires) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_linkKey.Value, Encoding.UTF8.GetBytes($"{tenantId}\n{name}\n{expires}")));

    private string TenantFolder(string tenantId)
    {
        BlobNames.Check(tenantId, nameof(tenantId));
        return tenantId.Contains('/', StringComparison.Ordinal)
            ? throw new ArgumentException("A tenant id cannot hold '/'.", nameof(tenantId))
            : Path.Combine(Root, tenantId);
    }

    /// <summary>Names are checked (no '..', no '\'), so the path cannot leave the tenant's folder.</summary>
    private string BlobPath(string tenantId, string name)
    {
        BlobNames.Check(name);
        return Path.Combine(TenantFolder(tenantId), name.Replace('/', Path.DirectorySeparatorChar));
    }

    private static BlobItem Item(string name, FileInfo file, string contentType) => new(name, file.Length, contentType, file.LastWriteTimeUtc);

    private string TypePath(string blobPath) => Path.Combine(TypesRoot, Path.GetRelativePath(Root, blobPath));

    private async Task<string> ContentTypeAsync(string path, CancellationToken cancellationToken) =>
        File.Exists(TypePath(path)) ? await File.ReadAllTextAsync(TypePath(path), cancellationToken) : "application/octet-stream";

    private static string EncodeCursor(string name) => Convert.ToBase64String(Encoding.UTF8.GetBytes("n:" + name));

    private static string DecodeCursor(string cursor)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
            if (text.StartsWith("n:", StringComparison.Ordinal))
            {
                return text[2..];
            }
        }
        catch (FormatException)
        {
        }

        throw new InvalidCursorException("The cursor is not valid.");
    }

    /// <summary>A random key made on first use and kept with the data, so links survive a restart.</summary>
    private static byte[] LoadOrCreateKey(string path)
    {
        if (File.Exists(path))
        {
            return File.ReadAllBytes(path);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var key = RandomNumberGenerator.GetBytes(32);
        try
        {
            using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            file.Write(key);
            return key;
        }
        catch (IOException) when (File.Exists(path))
        {
            return File.ReadAllBytes(path); // another process made it first
        }
    }
}
