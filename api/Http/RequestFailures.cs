using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Workforce.Core;

namespace Workforce.Api.Http;

/// <summary>
/// What a request that could not be read is refused with: unreadable JSON becomes a field error naming its JSON
/// path, an oversized body 413, a body that is not JSON 415, any other binding failure (a malformed query value, a
/// missing body) 400.
/// </summary>
public static class RequestFailures
{
    /// <returns>The refusal, or null when the exception is not about reading the request.</returns>
    public static Failure? Of(Exception exception) => exception switch
    {
        BadHttpRequestException { InnerException: JsonException json } => Failure.Invalid(FieldOf(json.Path), json.Message),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
            new Failure(FailureKind.TooLarge, "The request body is larger than the server accepts."),
        BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } bad =>
            new Failure(FailureKind.UnsupportedMediaType, $"{bad.Message} Send the body as JSON with Content-Type: application/json."),
        BadHttpRequestException bad => new Failure(FailureKind.Invalid, bad.Message),
        _ => null,
    };

    /// <summary>"$.requiredCapabilities[2]" → "requiredCapabilities[2]"; the whole body → "body".</summary>
    private static string FieldOf(string? path) =>
        path is null or "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
}
