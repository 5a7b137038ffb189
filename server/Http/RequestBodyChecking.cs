using Microsoft.Extensions.Options;
using Workforce.Api.Http;

namespace Workforce.Server.Http;

/// <summary>Applies <see cref="RequestBodyChecks"/> to every request, before anything reads its body.</summary>
internal sealed class RequestBodyChecking(RequestDelegate next, IOptions<WorkforceHttpOptions> options)
{
    private readonly long _limit = options.Value.MaxRequestBodyBytes;

    public Task InvokeAsync(HttpContext context) =>
        RequestBodyChecks.Check(context, _limit) is { } refused ? refused.ToProblem(context).ExecuteAsync(context) : next(context);
}
