using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;

namespace Workforce.Storage.Azure.Rest;

internal sealed record BlobProperties(string Name, long Length, string ContentType, DateTimeOffset LastModified);

internal sealed record BlobListing(IReadOnlyList<BlobProperties> Blobs, string? NextMarker);

/// <summary>
/// The Blob service for block blobs: upload in blocks of <see cref="BlockSize"/> (so a stream of any length is
/// sent with bounded memory, and each block can be retried), streamed download, listing by prefix with markers,
/// delete, and read-only SAS links (<see cref="BlobSas"/>).
/// </summary>
internal sealed class BlobService(StorageHttp http, Uri endpoint, BlobSas sas)
{
    public const int BlockSize = 4 * 1024 * 1024;

    public async Task CreateContainerIfNotExistsAsync(string container, CancellationToken cancellationToken)
    {
        try
        {
            using var _ = await SendAsync(HttpMethod.Put, $"{container}?restype=container", cancellationToken);
        }
        catch (StorageRequestException e) when (e.Status == HttpStatusCode.Conflict)
        {
        }
    }

    public async Task DeleteContainerIfExistsAsync(string container, CancellationToken cancellationToken)
    {
        try
        {
            using var _ = await SendAsync(HttpMethod.Delete, $"{container}?restype=container", cancellationToken);
        }
        catch (StorageRequestException e) when (e.Status == HttpStatusCode.NotFound)
        {
        }
    }

    /// <summary>One Put Blob when the content fits in a block; otherwise Put Block per block and a Put Block List.</summary>
    public async Task<BlobProperties> UploadAsync(string container, string name, Stream content, string contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var path = BlobPath(container, name);
        var buffer = new byte[BlockSize];
        var first = await content.ReadAtLeastAsync(buffer, BlockSize, throwOnEndOfStream: false, cancellationToken);
        if (first < BlockSize)
        {
            var whole = buffer[..first];
            using var response = await SendAsync(HttpMethod.Put, path, cancellationToken, () => Body(whole, contentType), request => request.Headers.Add("x-ms-blob-type", "BlockBlob"));
            return new BlobProperties(name, first, contentType, response.Content.Headers.LastModified ?? DateTimeOffset.UtcNow);
        }

        var blocks = new List<string>();
        var length = 0L;
        for (var read = first; read > 0; read = await content.ReadAtLeastAsync(buffer, BlockSize, throwOnEndOfStream: false, cancellationToken))
        {
            var blockId = Convert.ToBase64String(Encoding.ASCII.GetBytes(blocks.Count.ToString("D8", CultureInfo.InvariantCulture)));
            var block = buffer[..read];
            using (await SendAsync(HttpMethod.Put, $"{path}?comp=block&blockid={Uri.EscapeDataString(blockId)}", cancellationToken, () => Body(block, "application/octet-stream")))
            {
                blocks.Add(blockId);
                length += read;
            }
        }

        var list = new XElement("BlockList", blocks.Select(id => new XElement("Latest", id))).ToString(SaveOptions.DisableFormatting);
        using var committed = await SendAsync(HttpMethod.Put, $"{path}?comp=blocklist", cancellationToken,
            () => Body(Encoding.UTF8.GetBytes(list), "application/xml"), request => request.Headers.Add("x-ms-blob-content-type", contentType));
        return new BlobProperties(name, length, contentType, committed.Content.Headers.LastModified ?? DateTimeOffset.UtcNow);
    }

    /// <returns>The response with its body still unread (the caller disposes it), or null when there is no such blob.</returns>
    public async Task<HttpResponseMessage?> DownloadAsync(string container, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(StorageService.Blob, () => new HttpRequestMessage(HttpMethod.Get, new Uri(endpoint, BlobPath(container, name))),
                cancellationToken, HttpCompletionOption.ResponseHeadersRead);
        }
        catch (StorageRequestException e) when (e.Status == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<BlobListing> ListAsync(string container, string prefix, int maxResults, string? marker, CancellationToken cancellationToken)
    {
        var query = $"{container}?restype=container&comp=list&prefix={Uri.EscapeDataString(prefix)}&maxresults={maxResults}" +
            (marker is null ? "" : $"&marker={Uri.EscapeDataString(marker)}");
        using var response = await SendAsync(HttpMethod.Get, query, cancellationToken);
        var xml = XDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        var blobs = xml.Root!.Element("Blobs")!.Elements("Blob").Select(b => new BlobProperties(
            (string)b.Element("Name")!,
            (long)b.Element("Properties")!.Element("Content-Length")!,
            (string?)b.Element("Properties")!.Element("Content-Type") ?? "application/octet-stream",
            DateTimeOffset.Parse((string)b.Element("Properties")!.Element("Last-Modified")!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal))).ToList();
        var next = (string?)xml.Root.Element("NextMarker");
        return new BlobListing(blobs, string.IsNullOrEmpty(next) ? null : next);
    }

    /// <returns>False when there was no such blob.</returns>
    public async Task<bool> DeleteAsync(string container, string name, CancellationToken cancellationToken)
    {
        try
        {
            using var _ = await SendAsync(HttpMethod.Delete, BlobPath(container, name), cancellationToken);
            return true;
        }
        catch (StorageRequestException e) when (e.Status == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>The blob's address with a read-only SAS that expires at <paramref name="expiresOn"/>.</summary>
    public async Task<Uri> ReadLinkAsync(string container, string name, DateTimeOffset expiresOn, CancellationToken cancellationToken) =>
        new(new Uri(endpoint, BlobPath(container, name)).AbsoluteUri + "?" + await sas.ReadOnlyAsync(container, name, expiresOn, cancellationToken));

    /// <summary>Each segment of the name escaped, the slashes between them kept, as the service expects.</summary>
    private static string BlobPath(string container, string name) =>
        container + "/" + string.Join('/', name.Split('/').Select(Uri.EscapeDataString));

    private static ByteArrayContent Body(byte[] bytes, string contentType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, CancellationToken cancellationToken,
        Func<HttpContent>? content = null, Action<HttpRequestMessage>? configure = null) =>
        http.SendAsync(StorageService.Blob, () =>
        {
            var request = new HttpRequestMessage(method, new Uri(endpoint, path)) { Content = content?.Invoke() };
            configure?.Invoke(request);
            return request;
        }, cancellationToken);
}
