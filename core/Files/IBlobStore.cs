using Workforce.Core.Storage;

namespace Workforce.Core.Files;

/// <summary>A stored file of a tenant: a report, a model version.</summary>
public sealed record BlobItem(string Name, long Length, string ContentType, DateTimeOffset LastModified);

/// <summary>An open download: the blob's properties and its content as a stream, read as it arrives.</summary>
public sealed class BlobDownload(BlobItem blob, Stream content) : IAsyncDisposable
{
    public BlobItem Blob { get; } = blob;

    public Stream Content { get; } = content;

    public ValueTask DisposeAsync() => Content.DisposeAsync();
}

/// <summary>
/// Files of each tenant, by name. Names are paths (<c>reports/2026/q1.pdf</c>) checked by <see cref="BlobNames"/>;
/// content is streamed both ways, so a file never has to fit in memory.
/// </summary>
public interface IBlobStore
{
    /// <summary>Stores the content under the name, replacing what was there.</summary>
    Task<BlobItem> PutAsync(string tenantId, string name, Stream content, string contentType, CancellationToken cancellationToken = default);

    /// <returns>The open content, or null when there is no such blob. Dispose it.</returns>
    Task<BlobDownload?> GetAsync(string tenantId, string name, CancellationToken cancellationToken = default);

    /// <summary>The tenant's blobs whose names start with <paramref name="prefix"/>, in name order.</summary>
    /// <exception cref="InvalidCursorException">The cursor was not issued by this store.</exception>
    Task<Page<BlobItem>> ListAsync(string tenantId, string prefix, PageRequest page, CancellationToken cancellationToken = default);

    /// <returns>False when there was no such blob.</returns>
    Task<bool> DeleteAsync(string tenantId, string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// A link that lets whoever holds it download the blob, without a key, until <paramref name="validFor"/> has
    /// passed. It is not checked that the blob exists; the link serves it while it does.
    /// </summary>
    Task<Uri> CreateDownloadLinkAsync(string tenantId, string name, TimeSpan validFor, CancellationToken cancellationToken = default);
}

/// <summary>What a blob may be called: the same rules for every backend, so names move between them unchanged.</summary>
public static class BlobNames
{
    public const int MaxLength = 512;

    /// <exception cref="ArgumentException">The name is not a valid blob name.</exception>
    public static void Check(string name, string parameterName = "name")
    {
        if (!IsValid(name))
        {
            throw new ArgumentException(
                $"A blob name is 1 to {MaxLength} characters of '/'-separated segments, none empty or ending in '.', without '\\' or control characters.",
                parameterName);
        }
    }

    /// <summary>A prefix may be empty or end in '/'; otherwise it follows the name rules.</summary>
    public static void CheckPrefix(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (prefix.Length > 0 && !IsValid(prefix.TrimEnd('/')))
        {
            Check(prefix, nameof(prefix));
        }
    }

    private static bool IsValid(string name) =>
        !string.IsNullOrEmpty(name)
        && name.Length <= MaxLength
        && !name.Any(c => char.IsControl(c) || c == '\\')
        && name.Split('/').All(segment => segment.Length > 0 && !segment.EndsWith('.'));
}
