using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
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
        FailureKind.PreconditionFailed => StatusCodes.Status412PreconditionFailed,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>Every problem names its trace id; one that would say nothing about a 400, 404, 405, 413 or 415 says what is wrong.</summary>
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
            // The binder answers a body that outgrows the limit, or breaks off, while it is read with a bare status.
            StatusCodes.Status413PayloadTooLarge =>
                $"The request body is larger than the {context.HttpContext.RequestServices.GetService<IOptions<WorkforceHttpOptions>>()?.Value.MaxRequestBodyBytes ?? new WorkforceHttpOptions().MaxRequestBodyBytes} bytes the server accepts.",
            StatusCodes.Status400BadRequest => "The request body could not be read to its end; send it whole, as JSON.",
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
