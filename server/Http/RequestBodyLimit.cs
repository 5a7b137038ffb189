using Microsoft.Extensions.Options;
using Workforce.Api.Http;

namespace Workforce.Server.Http;

/// <summary>Applies <see cref="BodySizeLimit"/> to every request, before anything reads its body.</summary>
internal sealed class RequestBodyLimit(RequestDelegate next, IOptions<WorkforceHttpOptions> options)
{
    private readonly long _limit = options.Value.MaxRequestBodyBytes;

    public Task InvokeAsync(HttpContext context) =>
        BodySizeLimit.Enforce(context, _limit) is { } tooLarge ? tooLarge.ToProblem(context).ExecuteAsync(context) : next(context);
}
