using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Workforce.Api.Auth;
using Workforce.Api.Http;
using Workforce.Api.Realtime;
using Workforce.Core;
using Workforce.Core.Agents;
using Workforce.Core.Notifications;
using Workforce.Core.Tasks;
using Workforce.Storage.Sqlite;

namespace Workforce.Server.Realtime;

/// <summary>Live updates: the SignalR hub, and the endpoint that gives browsers a token for it.</summary>
internal static class RealtimeApi
{
    /// <summary>Tenant keys only: an agent's key must not let it watch the whole tenant.</summary>
    public const string HubPolicy = "realtime";

    /// <summary>
    /// The hub in-process, or on Azure SignalR Service when <see cref="AzureSignalROptions"/> names one. The choice is
    /// made here, from configuration, because it decides which services exist; the connection string is validated at
    /// start-up, before the SDK connects to the service.
    /// </summary>
    public static IServiceCollection AddWorkforceRealtime(this IServiceCollection services, IConfiguration configuration)
    {
        var azure = AzureSignalROptions.From(configuration);
        services.AddOptions<AzureSignalROptions>()
            .Configure(options => (options.ConnectionString, options.Source) = (azure.ConnectionString, azure.Source))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AzureSignalROptions>, AzureSignalROptionsValidation>();

        var signalR = services.AddSignalR().AddJsonProtocol(protocol => WorkforceJson.Configure(protocol.PayloadSerializerOptions));
        // A malformed connection string is left out here: mapping the hub builds the SDK's endpoint manager, which
        // would throw its own error before start-up validation, without saying which setting is wrong.
        if (azure.ConnectionString is { } connectionString && AzureSignalROptionsValidation.Problem(connectionString) is null)
        {
            // The SDK's own setup also reads Azure:SignalR (endpoints, server sticky mode, …); the connection string
            // set here wins over its ConnectionString.
            signalR.AddAzureSignalR(options => options.ConnectionString = connectionString);
        }

        var rule = azure.IsConfigured ? WatchRule.RecentActivity : WatchRule.LocalConnections;
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<RealtimeOptions>>().Value;
            var dataDirectory = sp.GetRequiredService<IOptions<SqliteStorageOptions>>().Value.DataDirectory;
            return new RealtimeAccessTokens(RealtimeSigningKey.Resolve(options, dataDirectory), options.AccessTokenLifetime, sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton(new RealtimeHubAddress($"/{ApiRoutes.Prefix}/{ApiRoutes.RealtimeHub}"));
        services.AddSingleton(sp => new LiveActivity(sp.GetRequiredService<TimeProvider>(), rule));
        services.AddSingleton<ITaskObserver>(sp => sp.GetRequiredService<LiveActivity>());
        services.AddSingleton<IAgentObserver>(sp => sp.GetRequiredService<LiveActivity>());
        services.AddSingleton<INotificationObserver>(sp => sp.GetRequiredService<LiveActivity>());
        services.AddHostedService<RealtimeBroadcaster>();
        return services;
    }

    public static AuthorizationBuilder AddRealtimePolicy(this AuthorizationBuilder authorization) =>
        authorization.AddPolicy(HubPolicy, policy => policy
            .RequireClaim(CallerClaims.TenantClaim)
            .RequireAssertion(context => !context.User.HasClaim(claim => claim.Type == CallerClaims.AgentClaim)));

    /// <summary>The token endpoint, in the v1 group (API key required).</summary>
    public static RouteGroupBuilder MapRealtimeApi(this RouteGroupBuilder api)
    {
        api.MapPost(ApiRoutes.RealtimeToken, RealtimeEndpoints.IssueToken)
            .WithTags("Realtime")
            .WithSummary("Get an access token for the live-updates hub (tenant key)")
            .WithDescription($"Browsers cannot send X-API-Key on a WebSocket; they pass this short-lived token as access_token to /{ApiRoutes.Prefix}/{ApiRoutes.RealtimeHub}.");
        return api;
    }

    /// <summary>The hub, on the <c>/api</c> group: it authorizes itself, by key or by token.</summary>
    public static RouteGroupBuilder MapRealtimeHub(this RouteGroupBuilder api)
    {
        api.MapHub<WorkforceHub>(ApiRoutes.RealtimeHub).RequireAuthorization(HubPolicy);
        return api;
    }
}
