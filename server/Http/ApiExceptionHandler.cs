using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Workforce.Core;

namespace Workforce.Server.Http;

/// <summary>
/// Turns the exceptions a request can cause into problem+json: unreadable JSON becomes a field error naming the
/// JSON path, an oversized body 413, anything unexpected a 500 that reveals nothing but a trace id.
/// </summary>
internal sealed partial class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var failure = exception switch
        {
            BadHttpRequestException { InnerException: JsonException json } => Failure.Invalid(FieldOf(json.Path), json.Message),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                new Failure(FailureKind.TooLarge, "The request body is larger than the server accepts."),
            BadHttpRequestException bad => new Failure(FailureKind.Invalid, bad.Message),
            _ => null,
        };

        if (failure is null)
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

    /// <summary>"$.requiredCapabilities[2]" → "requiredCapabilities[2]"; the whole body → "body".</summary>
    private static string FieldOf(string? path) =>
        path is null or "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, PathString path);
}
