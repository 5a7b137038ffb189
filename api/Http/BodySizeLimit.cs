using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Workforce.Core;

namespace Workforce.Api.Http;

/// <summary>
/// Refuses oversized bodies with 413: at once when Content-Length says so, otherwise when the host's body-size limit
/// trips during reading (which <see cref="RequestFailures"/> turns into the same refusal).
/// </summary>
public static class BodySizeLimit
{
    /// <returns>The refusal, or null when the request may be read (its body then limited to <paramref name="limit"/> bytes).</returns>
    public static Failure? Enforce(HttpContext context, long limit)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Request.ContentLength > limit)
        {
            return new Failure(FailureKind.TooLarge, $"The request body is {context.Request.ContentLength} bytes; the limit is {limit}.");
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        return null;
    }
}
