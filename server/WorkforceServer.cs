using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Options;
using Workforce.Api;
using Workforce.Api.Analytics;
using Workforce.Api.Audit;
using Workforce.Api.Auth;
using Workforce.Api.Http;
using Workforce.Api.RateLimiting;
using Workforce.Api.Tasks;
using Workforce.Api.Usage;
using Workforce.Core;
using Workforce.Core.Analytics;
using Workforce.Durable;
using Workforce.Durable.Runtime;
using Workforce.Notifications;
using Workforce.Orchestrations;
using Workforce.Payments.PayPal.Billing;
using Workforce.Server.Agents;
using Workforce.Server.Analytics;
using Workforce.Server.Audit;
using Workforce.Server.Auth;
using Workforce.Server.Backups;
using Workforce.Server.Billing;
using Workforce.Server.Dashboard;
using Workforce.Server.Files;
using Workforce.Server.Forecasting;
using Workforce.Server.Health;
using Workforce.Server.Http;
using Workforce.Server.Metrics;
using Workforce.Server.Messaging;
using Workforce.Server.Notifications;
using Workforce.Server.Operations;
using Workforce.Server.RateLimiting;
using Workforce.Server.Telemetry;
using Workforce.Server.Realtime;
using Workforce.Server.Reports;
using Workforce.Server.Storage;
using Workforce.Server.Tasks;
using Workforce.Server.Tenants;
using Workforce.Server.Usage;
using Workforce.Storage.Sqlite;

namespace Workforce.Server;

/// <summary>How the standalone server is put together: its services, then its request pipeline.</summary>
internal static class WorkforceServer
{
    public const string DefaultUrl = "http://localhost:7071";

    public static WebApplicationBuilder AddWorkforceServer(this WebApplicationBuilder builder)
    {
        // Defaults sit beneath every other configuration source, so the server behaves the same from any
        // working directory and any setting can still override them.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
                // HttpClient logs four lines per request; for webhook deliveries every attempt is on record already.
                ["Logging:LogLevel:System.Net.Http.HttpClient.WebhookChannel"] = "Warning",
            },
        });
        builder.Configuration.AddWorkforceEnvironmentAliases();
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        var services = builder.Services;
        services.AddWorkforcePlatform();
        services.AddWorkforceTracing(builder.Configuration);
        services.AddValidatedOptions<DurableEngineOptions>(DurableEngineOptions.Section);
        services.AddValidatedOptions<BootstrapOptions>(BootstrapOptions.Section);
        services.AddValidatedOptions<RateLimitOptions>(RateLimitOptions.Section);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<DurableEngineOptions>>().Value);

        services.AddWorkforceStorage(builder.Configuration);
        // The options are bound whatever the provider: the server keeps its files there either way.
        services.AddSingleton<ISystemMetrics>(sp => new ProcessSystemMetrics(
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<SqliteStorageOptions>>().Value.DataDirectory));
        services.AddPayPalPayments(builder.Configuration);
        services.AddNotificationChannels(builder.Configuration);
        services.AddWorkforceWorkflows();
        services.AddEmbeddedDurableEngine(tasks => tasks.AddWorkforceWorkflows().AddDatabaseBackups());
        services.AddDatabaseBackups();
        services.AddWorkflowDrivers();
        services.AddHostedService<DefaultTenantBootstrap>();

        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddExceptionHandler<ApiExceptionHandler>();

        // One scheme decides per request how it authenticates, so that the rate limiter, which runs before
        // authorization, sees a hub request with an access token as made with the key that asked for the token.
        services.AddAuthentication(CallerClaims.CallerScheme)
            .AddPolicyScheme(CallerClaims.CallerScheme, null, options => options.ForwardDefaultSelector = context =>
                RealtimeTokenAuthentication.Applies(context) ? RealtimeTokenAuthentication.SchemeName : KeyAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(KeyAuthentication.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, RealtimeTokenAuthentication>(RealtimeTokenAuthentication.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(CallerClaims.ApiPolicy, policy => policy.RequireClaim(CallerClaims.TenantClaim))
            .AddPolicy(CallerClaims.AdminPolicy, policy => policy.RequireRole(CallerClaims.AdminRole))
            .AddRealtimePolicy();
        services.AddWorkforceRateLimits(builder.Configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new());

        var httpOptions = builder.Configuration.GetSection(WorkforceHttpOptions.Section).Get<WorkforceHttpOptions>() ?? new();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = httpOptions.MaxRequestBodyBytes);
        services.AddCors(cors => cors.AddDefaultPolicy(policy => policy
            .WithOrigins(httpOptions.CorsOrigins)
            .AllowAnyHeader()
            .AllowAnyMethod()
            .WithExposedHeaders("Location", "Retry-After", TaskEndpoints.IdempotentReplayHeader, QuotaHeaders.Policy, QuotaHeaders.Limit)));

        services.AddWorkforceRealtime(builder.Configuration);
        services.AddWorkforceOpenApi();
        services.AddWorkforceMetrics(builder.Configuration);
        services.AddWorkforceHealthChecks(builder.Configuration);
        return builder;
    }

    public static WebApplication UseWorkforceServer(this WebApplication app)
    {
        // First, so it records the status the client saw, whatever answered.
        app.UseAuditLog();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseWorkforceDashboard();
        app.UseMiddleware<RequestBodyChecking>();
        app.UseCors();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();

        var api = app.MapGroup("/" + ApiRoutes.Prefix);
        api.MapHealthApi();
        api.MapPayPalWebhook();
        api.MapWorkforceOpenApi();
        api.MapTenantsApi();
        api.MapBackupsApi();
        api.MapFilesApi();
        api.MapRealtimeHub();
        app.MapWorkforceMetrics();
        app.MapWorkforceHealthChecks();

        var v1 = api.MapGroup("")
            .RequireAuthorization(CallerClaims.ApiPolicy)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        v1.MapUsageApi();
        v1.MapInvoicesApi();
        v1.MapInvoicePdfApi();
        v1.MapPaymentsApi();
        // Where the tenant hears of what happens, and of its own suspension: as open as the invoices.
        v1.MapNotificationsApi();
        // The live dashboard's token: a tenant out of API calls or suspended still watches what happens.
        v1.MapRealtimeApi();
        // Open like usage: an operator reads the log even when the tenant's quota is used up.
        v1.MapAuditApi();

        var metered = v1.MapGroup("").AddEndpointFilter<ApiCallMetering>();
        metered.MapAgentsApi();
        metered.MapTasksApi();
        metered.MapMessagingApi();
        metered.MapOperationsApi();
        metered.MapAnalyticsApi();
        metered.MapForecastingApi();
        // Reports are heavy (a query over up to 400 days, then a file), so asking for them counts against the quota and its rate limit.
        metered.MapReportsApi();
        return app;
    }
}
