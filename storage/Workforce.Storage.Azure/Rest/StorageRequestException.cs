using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Workforce.Storage.Azure.Rest;

/// <summary>A request the storage service refused: its status, and the service's error code (e.g. <c>UpdateConditionNotSatisfied</c>) in the message.</summary>
internal sealed partial class StorageRequestException(HttpStatusCode status, string message) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;

    public static async Task<StorageRequestException> FromAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var code = response.Headers.TryGetValues("x-ms-error-code", out var codes) ? codes.FirstOrDefault() : null;
        code ??= JsonErrorCode(body) ?? XmlCode(body);
        var request = response.RequestMessage;
        return new StorageRequestException(response.StatusCode,
            $"{request?.Method} {request?.RequestUri?.GetLeftPart(UriPartial.Path)} failed with {(int)response.StatusCode} {code}: {Shorten(body)}");
    }

    /// <summary>Table errors are OData JSON: <c>{"odata.error":{"code":"…","message":{"value":"…"}}}</c>.</summary>
    private static string? JsonErrorCode(string body)
    {
        if (!body.StartsWith('{'))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("odata.error", out var error) && error.TryGetProperty("code", out var code) ? code.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? XmlCode(string body) => XmlErrorCode().Match(body) is { Success: true } match ? match.Groups[1].Value : null;

    private static string Shorten(string body) => body.Length <= 300 ? body : body[..300] + "…";

    [GeneratedRegex("<Code>([^<]+)</Code>")]
    private static partial Regex XmlErrorCode();
}
