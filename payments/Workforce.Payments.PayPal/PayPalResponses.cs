using System.Net;
using System.Text.Json;
using Polly;
using Workforce.Payments.PayPal.Wire;

namespace Workforce.Payments.PayPal;

/// <summary>Turns what came back (or did not) into results and the typed exceptions.</summary>
internal static class PayPalResponses
{
    /// <summary>
    /// Sends through the retry pipeline; what is still a transport failure after every retry (a timeout, a refused
    /// connection, an open circuit) becomes <see cref="PayPalUnavailableException"/>. The caller's own cancellation stays one.
    /// </summary>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested
            && e is HttpRequestException or ExecutionRejectedException or TaskCanceledException or TimeoutException)
        {
            throw new PayPalUnavailableException(
                $"PayPal did not answer {request.Method} {request.RequestUri?.AbsolutePath} ({e.GetType().Name}: {e.Message}); " +
                "the outcome is unknown, so repeat the call with the same PayPal-Request-Id.",
                status: null, error: null, e);
        }
    }

    public static async Task<PayPalError?> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            // Read as bytes: the buffered body can be read again (for the log line and for the result).
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            var body = bytes.Length == 0 ? null : JsonSerializer.Deserialize<ErrorJson>(bytes, PayPalJson.Options);
            if (body is null)
            {
                return null;
            }

            var details = (body.Details ?? [])
                .Select(d => new PayPalErrorDetail(d.Field, d.Value, d.Location, d.Issue ?? "", d.Description))
                .ToList();
            return new PayPalError(
                body.Name ?? body.Error ?? response.StatusCode.ToString(),
                body.Message ?? body.ErrorDescription ?? "",
                body.DebugId ?? HeaderOf(response, "Paypal-Debug-Id"),
                details);
        }
        catch (JsonException)
        {
            // Not PayPal's JSON (an HTML error page from a proxy, say).
            return null;
        }
    }

    /// <summary>Throws the exception a failed status stands for; a 2xx passes.</summary>
    public static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        throw await FailureAsync(response, cancellationToken);
    }

    public static async Task<PayPalException> FailureAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var error = await ReadErrorAsync(response, cancellationToken);
        var where = $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath}";
        var what = $"PayPal answered {(int)response.StatusCode} to {where}: {error?.ToString() ?? response.ReasonPhrase}";
        return response.StatusCode switch
        {
            HttpStatusCode.NotFound => new PayPalNotFoundException(what, error),
            HttpStatusCode.Unauthorized => new PayPalAuthenticationException(what, response.StatusCode, error),
            HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout or >= HttpStatusCode.InternalServerError =>
                new PayPalUnavailableException(what + " (after retries)", response.StatusCode, error, inner: null),
            _ => new PayPalRejectedException(what, response.StatusCode, error),
        };
    }

    public static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
        where T : class =>
        JsonSerializer.Deserialize<T>(await response.Content.ReadAsByteArrayAsync(cancellationToken), PayPalJson.Options)
            ?? throw new PayPalException($"PayPal answered {(int)response.StatusCode} without the expected body.", response.StatusCode);

    private static string? HeaderOf(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
