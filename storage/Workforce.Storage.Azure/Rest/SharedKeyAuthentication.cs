using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Workforce.Storage.Azure.Rest;

/// <summary>
/// Shared Key authorization ("Authorize with Shared Key" in the Storage REST reference): an HMAC-SHA256 with the
/// account key over the request's canonical form. Blob and Queue sign twelve standard headers; Table signs only
/// Content-MD5, Content-Type and the date. Requests carry <c>x-ms-date</c>, so the Date line stays empty.
/// </summary>
internal sealed class SharedKeyAuthentication(string accountName, byte[] key) : StorageAuthentication
{
    public override ValueTask AuthorizeAsync(HttpRequestMessage request, StorageService service, CancellationToken cancellationToken)
    {
        var toSign = service == StorageService.Table ? TableStringToSign(request) : BlobQueueStringToSign(request);
        request.Headers.Authorization = new AuthenticationHeaderValue("SharedKey", $"{accountName}:{Sign(toSign)}");
        return ValueTask.CompletedTask;
    }

    /// <summary>Also signs shared access signatures, which use the same key and MAC.</summary>
    public string Sign(string stringToSign) => Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));

    private string BlobQueueStringToSign(HttpRequestMessage request)
    {
        var content = request.Content?.Headers;
        var length = content?.ContentLength is > 0 and var l ? l.ToString(CultureInfo.InvariantCulture) : "";
        var builder = new StringBuilder()
            .Append(request.Method.Method).Append('\n')
            .Append(Joined(content?.ContentEncoding)).Append('\n')
            .Append(Joined(content?.ContentLanguage)).Append('\n')
            .Append(length).Append('\n')
            .Append(content?.ContentMD5 is { } md5 ? Convert.ToBase64String(md5) : "").Append('\n')
            .Append(content?.ContentType?.ToString() ?? "").Append('\n')
            .Append('\n') // Date: x-ms-date is signed instead
            .Append(Header(request, "If-Modified-Since")).Append('\n')
            .Append(Header(request, "If-Match")).Append('\n')
            .Append(Header(request, "If-None-Match")).Append('\n')
            .Append(Header(request, "If-Unmodified-Since")).Append('\n')
            .Append(Header(request, "Range")).Append('\n');

        foreach (var header in request.Headers
                     .Where(h => h.Key.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
                     .Select(h => (Name: h.Key.ToLowerInvariant(), Value: string.Join(',', h.Value).Trim()))
                     .OrderBy(h => h.Name, StringComparer.Ordinal))
        {
            builder.Append(header.Name).Append(':').Append(header.Value).Append('\n');
        }

        builder.Append('/').Append(accountName).Append(request.RequestUri!.AbsolutePath);
        foreach (var (name, values) in QueryParameters(request.RequestUri).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            builder.Append('\n').Append(name).Append(':').Append(string.Join(',', values.Order(StringComparer.Ordinal)));
        }

        return builder.ToString();
    }

    private string TableStringToSign(HttpRequestMessage request)
    {
        var content = request.Content?.Headers;
        var resource = $"/{accountName}{request.RequestUri!.AbsolutePath}";
        if (QueryParameters(request.RequestUri).TryGetValue("comp", out var comp))
        {
            resource += "?comp=" + comp[0];
        }

        return string.Join('\n',
            request.Method.Method,
            content?.ContentMD5 is { } md5 ? Convert.ToBase64String(md5) : "",
            content?.ContentType?.ToString() ?? "",
            Header(request, "x-ms-date"),
            resource);
    }

    private static string Joined(IEnumerable<string>? values) => values is null ? "" : string.Join(',', values);

    private static string Header(HttpRequestMessage request, string name) =>
        request.Headers.TryGetValues(name, out var values) ? string.Join(',', values) : "";

    /// <summary>Query parameters with lower-cased names and decoded values, as the canonical resource wants them.</summary>
    private static Dictionary<string, List<string>> QueryParameters(Uri uri)
    {
        var parameters = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]).ToLowerInvariant();
            var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            if (!parameters.TryGetValue(name, out var values))
            {
                parameters[name] = values = [];
            }

            values.Add(value);
        }

        return parameters;
    }
}
