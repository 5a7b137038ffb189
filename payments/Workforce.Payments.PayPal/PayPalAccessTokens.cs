using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Workforce.Payments.PayPal.Wire;

namespace Workforce.Payments.PayPal;

/// <summary>
/// The OAuth2 client-credentials token (<c>POST /v1/oauth2/token</c>, Basic client id and secret,
/// <c>grant_type=client_credentials</c>), cached until <see cref="PayPalOptions.TokenRefreshMargin"/> before its
/// <c>expires_in</c>. One request fetches it while concurrent callers wait for that one.
/// </summary>
internal sealed class PayPalAccessTokens(
    IHttpClientFactory httpClients,
    IOptions<PayPalOptions> options,
    TimeProvider time,
    ILogger<PayPalAccessTokens> logger) : IDisposable
{
    public const string HttpClientName = "Workforce.Payments.PayPal.OAuth";

    private readonly SemaphoreSlim _fetching = new(1, 1);

    private volatile CachedToken? _current;

    public async ValueTask<string> GetAsync(CancellationToken cancellationToken)
    {
        if (_current is { } cached && cached.RenewAt > time.GetUtcNow())
        {
            return cached.Value;
        }

        await _fetching.WaitAsync(cancellationToken);
        try
        {
            if (_current is { } fetched && fetched.RenewAt > time.GetUtcNow())
            {
                return fetched.Value;
            }

            var token = await FetchAsync(cancellationToken);
            _current = token;
            return token.Value;
        }
        finally
        {
            _fetching.Release();
        }
    }

    /// <summary>Forgets <paramref name="token"/> after PayPal refused it, unless another caller already replaced it.</summary>
    public void Invalidate(string token)
    {
        if (_current is { } cached && cached.Value == token)
        {
            _current = null;
        }
    }

    public void Dispose() => _fetching.Dispose();

    private async Task<CachedToken> FetchAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.IsConfigured)
        {
            throw new PayPalNotConfiguredException();
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/oauth2/token")
        {
            Content = new FormUrlEncodedContent([new("grant_type", "client_credentials")]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{settings.ClientId}:{settings.ClientSecret}")));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        var response = await PayPalResponses.SendAsync(httpClients.CreateClient(HttpClientName), request, cancellationToken);
        using (response)
        {
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest or HttpStatusCode.Forbidden)
            {
                var error = await PayPalResponses.ReadErrorAsync(response, cancellationToken);
                throw new PayPalAuthenticationException($"PayPal refused the client credentials: {error}", response.StatusCode, error);
            }

            await PayPalResponses.EnsureSuccessAsync(response, cancellationToken);
            var token = await response.Content.ReadFromJsonAsync<TokenJson>(PayPalJson.Options, cancellationToken)
                ?? throw new PayPalException("PayPal answered the token request without a body.", response.StatusCode);
            PayPalLog.TokenObtained(logger, settings.BaseUrl, token.ExpiresIn);
            var lifetime = TimeSpan.FromSeconds(token.ExpiresIn);
            // A margin longer than the token's life would refetch on every call; keep at least half of it usable.
            var margin = settings.TokenRefreshMargin < lifetime / 2 ? settings.TokenRefreshMargin : lifetime / 2;
            return new CachedToken(token.AccessToken, time.GetUtcNow() + lifetime - margin);
        }
    }

    private sealed record CachedToken(string Value, DateTimeOffset RenewAt);
}

/// <summary>
/// Puts the bearer token on every attempt; on a 401 it drops the token, fetches a new one and sends the request once
/// more (PayPal revokes tokens before <c>expires_in</c> at times). Sits inside the retry pipeline, so every retry
/// goes out with the current token.
/// </summary>
internal sealed class PayPalAuthenticationHandler(PayPalAccessTokens tokens, ILogger<PayPalAuthenticationHandler> logger) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var token = await tokens.GetAsync(cancellationToken);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        PayPalLog.TokenRefused(logger, request.Method, request.RequestUri?.AbsolutePath);
        response.Dispose();
        tokens.Invalidate(token);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.GetAsync(cancellationToken));
        return await base.SendAsync(request, cancellationToken);
    }
}
