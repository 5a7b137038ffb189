using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Workforce.Core;

namespace Workforce.Api.Http;

/// <summary>Every refusal leaves as RFC 9457 problem+json; the status follows from the kind of failure.</summary>
public static class Problems
{
    public static int StatusCode(FailureKind kind) => kind switch
    {
        FailureKind.Invalid => StatusCodes.Status400BadRequest,
        FailureKind.Unauthorized => StatusCodes.Status401Unauthorized,
        FailureKind.Forbidden => StatusCodes.Status403Forbidden,
        FailureKind.NotFound => StatusCodes.Status404NotFound,
        FailureKind.Conflict => StatusCodes.Status409Conflict,
        FailureKind.TooLarge => StatusCodes.Status413PayloadTooLarge,
        FailureKind.UnsupportedMediaType => StatusCodes.Status415UnsupportedMediaType,
        FailureKind.Unprocessable => StatusCodes.Status422UnprocessableEntity,
        FailureKind.QueueFull => StatusCodes.Status429TooManyRequests,
        FailureKind.QuotaExceeded => StatusCodes.Status429TooManyRequests,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>Every problem names its trace id; one that would say nothing about a 404, 405 or 415 says what is wrong.</summary>
    public static void Describe(ProblemDetailsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.ProblemDetails.Extensions.TryAdd("traceId", context.HttpContext.TraceIdentifier);
        var request = context.HttpContext.Request;
        context.ProblemDetails.Detail ??= context.ProblemDetails.Status switch
        {
            StatusCodes.Status404NotFound => $"Nothing is at {request.Method} {request.Path}; see /api/docs for the API.",
            StatusCodes.Status405MethodNotAllowed => $"{request.Path} does not accept {request.Method}.",
            StatusCodes.Status415UnsupportedMediaType => $"{request.Method} {request.Path} takes a JSON body: send it with Content-Type: application/json.",
            _ => null,
        };
    }

    public static ProblemHttpResult ToProblem(this Failure failure, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(failure);
        ArgumentNullException.ThrowIfNull(context);
        if (failure.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }

        var problem = failure.Errors is { } errors
            ? new HttpValidationProblemDetails(errors.ToDictionary())
            : new ProblemDetails();
        problem.Status = StatusCode(failure.Kind);
        problem.Detail = failure.Detail;
        problem.Type = failure.Type;
        foreach (var (name, value) in failure.Extensions ?? new Dictionary<string, object?>())
        {
            problem.Extensions[name] = value;
        }

        return TypedResults.Problem(problem);
    }
}
