using Microsoft.AspNetCore.Diagnostics;
using Workforce.Api.Http;

namespace Workforce.Server.Http;

/// <summary>
/// Turns the exceptions a request can cause into problem+json: a request that could not be read as
/// <see cref="RequestFailures"/> says, anything unexpected a 500 that reveals nothing but a trace id.
/// </summary>
internal sealed partial class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (RequestFailures.Of(exception) is not { } failure)
        {
            if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
            {
                return true;
            }

            LogUnhandled(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
            return false;
        }

        await failure.ToProblem(httpContext).ExecuteAsync(httpContext);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, PathString path);
}
