namespace Workforce.Api.Realtime;

/// <summary>
/// An access token for the live-updates hub and where the hub is; pass the token as <c>access_token</c> (the SignalR
/// client's accessTokenFactory does).
/// </summary>
public sealed record RealtimeTokenResponse(string AccessToken, DateTimeOffset ExpiresAt, string HubUrl);
