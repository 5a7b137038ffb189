using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using Workforce.Core;

namespace Workforce.Api.Http;

/// <summary>
/// What every request body must be before a handler may read it, checked by both hosts in front of the handlers:
/// no larger than the limit (413), not compressed (415: the hosts do not decompress), and — when it names a
/// charset — in an encoding the server knows (415). The last two would otherwise surface from deep inside JSON
/// binding as exceptions that are not about the request, and so as 500s.
/// </summary>
public static class RequestBodyChecks
{
    /// <returns>
    /// The refusal, or null when the body may be read: its size is then limited to <paramref name="limit"/> bytes,
    /// by the server where it can be told, else by reading it through <see cref="SizeLimitedRequestBody"/>.
    /// </returns>
    public static Failure? Check(HttpContext context, long limit)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        if (request.ContentLength > limit)
        {
            return new Failure(FailureKind.TooLarge, $"The request body is {request.ContentLength} bytes; the limit is {limit}.");
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }
        else if (request.ContentLength is null)
        {
            // Nothing below would stop a body of unknown length (chunked) from being read whole.
            request.Body = new SizeLimitedRequestBody(request.Body, limit);
        }

        if (request.Headers.ContentEncoding is { Count: > 0 } encodings
            && encodings.Any(e => !string.IsNullOrWhiteSpace(e) && !string.Equals(e.Trim(), "identity", StringComparison.OrdinalIgnoreCase)))
        {
            return new Failure(FailureKind.UnsupportedMediaType,
                $"The server does not accept compressed request bodies (Content-Encoding: {encodings}); send the body uncompressed.");
        }

        return UnknownCharset(request);
    }

    /// <summary>
    /// The refusal of a charset the JSON reader would fail on. The reader looks the charset up by its literal value,
    /// so a quoted one (<c>charset="utf-8"</c>, as RFC 9110 allows) is unquoted in the request for it.
    /// </summary>
    private static Failure? UnknownCharset(HttpRequest request)
    {
        // An empty charset ("charset=") counts as named, and the reader fails on it like on any other unknown one.
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType) || mediaType.Charset is not { HasValue: true } charset)
        {
            return null;
        }

        var name = HeaderUtilities.RemoveQuotes(charset);
        try
        {
            _ = Encoding.GetEncoding(name.ToString());
        }
        catch (ArgumentException)
        {
            return new Failure(FailureKind.UnsupportedMediaType,
                $"The Content-Type names the charset '{charset}', which the server does not know; send the body as UTF-8 (Content-Type: application/json; charset=utf-8).");
        }

        if (name.Length != charset.Length)
        {
            mediaType.Charset = name;
            request.ContentType = mediaType.ToString();
        }

        return null;
    }
}
