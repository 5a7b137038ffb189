using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Options;
using Workforce.Api.Auth;
using Workforce.Api.Http;
using Workforce.Api.Realtime;
using Workforce.Api.Tasks;
using Workforce.Core;
using Workforce.Core.Agents;
using Workforce.Core.Retention;
using Workforce.Core.Scheduling;
using Workforce.Core.Tasks;
using Workforce.Durable;
using Workforce.Durable.Runtime;
using Workforce.Orchestrations;
using Workforce.Orchestrations.TaskLifecycle;
using Workforce.Server.Agents;
using Workforce.Server.Auth;
using Workforce.Server.Dashboard;
using Workforce.Server.Files;
using Workforce.Server.Http;
using Workforce.Server.Operations;
using Workforce.Server.RateLimiting;
using Workforce.Server.Realtime;
using Workforce.Server.Storage;
using Workforce.Server.Tasks;
using Workforce.Server.Tenants;

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
            },
        });
        builder.Configuration.AddWorkforceEnvironmentAliases();
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        var services = builder.Services;
        services.AddWorkforceOptions<TaskOptions>(TaskOptions.Section)
            .Validate(o => !o.Validate().Any(), "Workforce:Tasks is invalid; check Retry (0 < BaseDelay <= MaxDelay, Multiplier >= 1, 0 <= JitterRatio <= 1).");
        services.AddWorkforceOptions<LeaseOptions>(LeaseOptions.Section);
        services.AddWorkforceOptions<AgentOptions>(AgentOptions.Section);
        services.AddWorkforceOptions<LifecycleOptions>(LifecycleOptions.Section);
        services.AddWorkforceOptions<RetentionOptions>(RetentionOptions.Section);
        services.AddWorkforceOptions<DurableEngineOptions>(DurableEngineOptions.Section);
        services.AddWorkforceOptions<WorkforceHttpOptions>(WorkforceHttpOptions.Section);
        services.AddWorkforceOptions<AuthOptions>(AuthOptions.Section);
        services.AddWorkforceOptions<AdminOptions>(AdminOptions.Section);
        services.AddWorkforceOptions<BootstrapOptions>(BootstrapOptions.Section);
        services.AddWorkforceOptions<RateLimitOptions>(RateLimitOptions.Section);
        services.AddWorkforceOptions<RealtimeOptions>(RealtimeOptions.Section);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<TaskOptions>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<LeaseOptions>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<AgentOptions>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<LifecycleOptions>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<RetentionOptions>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<DurableEngineOptions>>().Value);

        services.AddWorkforceCore();
        services.AddWorkforceStorage(builder.Configuration);
        services.AddWorkforceWorkflows();
        services.AddEmbeddedDurableEngine();
        services.AddHostedService<DefaultTenantBootstrap>();

        services.ConfigureHttpJsonOptions(options => WorkforceJson.Configure(options.SerializerOptions));
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Extensions.TryAdd("traceId", context.HttpContext.TraceIdentifier);
            context.ProblemDetails.Detail ??= context.ProblemDetails.Status switch
            {
                StatusCodes.Status404NotFound => $"Nothing is at {context.HttpContext.Request.Method} {context.HttpContext.Request.Path}; see /api/docs for the API.",
                StatusCodes.Status405MethodNotAllowed => $"{context.HttpContext.Request.Path} does not accept {context.HttpContext.Request.Method}.",
                _ => null,
            };
        });
        services.AddExceptionHandler<ApiExceptionHandler>();

        services.AddSingleton<CallerCache>();
        services.AddSingleton<KeyAuthentication>();
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
            .WithExposedHeaders("Location", "Retry-After", TaskEndpoints.IdempotentReplayHeader)));

        services.AddWorkforceRealtime();
        services.AddWorkforceOpenApi();
        return builder;
    }

    public static WebApplication UseWorkforceServer(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseWorkforceDashboard();
        app.UseMiddleware<RequestBodyLimit>();
        app.UseCors();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();

        var api = app.MapGroup("/" + ApiRoutes.Prefix);
        api.MapHealthApi();
        api.MapWorkforceOpenApi();
        api.MapTenantsApi();
        api.MapFilesApi();
        api.MapRealtimeHub();

        var v1 = api.MapGroup("")
            .RequireAuthorization(CallerClaims.ApiPolicy)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        v1.MapAgentsApi();
        v1.MapTasksApi();
        v1.MapOperationsApi();
        v1.MapRealtimeApi();
        return app;
    }

    private static OptionsBuilder<T> AddWorkforceOptions<T>(this IServiceCollection services, string section)
        where T : class =>
        services.AddOptions<T>().BindConfiguration(section).ValidateDataAnnotations().ValidateOnStart();
}
