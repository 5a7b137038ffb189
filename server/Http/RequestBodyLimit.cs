using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Workforce.Core;

namespace Workforce.Server.Http;

/// <summary>
/// Refuses oversized bodies with 413 problem+json: at once when Content-Length says so, otherwise when the server's
/// body-size limit trips during reading (handled by <see cref="ApiExceptionHandler"/>).
/// </summary>
internal sealed class RequestBodyLimit(RequestDelegate next, IOptions<WorkforceHttpOptions> options)
{
    private readonly long _limit = options.Value.MaxRequestBodyBytes;

    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentLength > _limit)
        {
            var failure = new Failure(FailureKind.TooLarge, $"The request body is {context.Request.ContentLength} bytes; the limit is {_limit}.");
            return failure.ToProblem(context).ExecuteAsync(context);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = _limit;
        }

        return next(context);
    }
}
