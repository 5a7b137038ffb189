using Microsoft.OpenApi;
using Workforce.Core;
using Workforce.Api.Auth;

namespace Workforce.Server;

/// <summary>The OpenAPI document at <c>/api/openapi/v1.json</c> and a browsable UI at <c>/api/docs</c>.</summary>
internal static class OpenApiSetup
{
    public const string DocsPath = "docs";

    public static IServiceCollection AddWorkforceOpenApi(this IServiceCollection services) =>
        services.AddOpenApi("v1", options => options.AddOperationTransformer(Http.ResponseUnions.DocumentAsync).AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Workforce API",
                Version = "v1",
                Description = "Register worker agents, submit tasks, and let agents lease and report them. " +
                    "Authenticate with a tenant or agent key in the X-API-Key header.",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[KeyAuthentication.SchemeName] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = KeyAuthentication.Header,
                Description = "A tenant key, an agent key (for that agent's own calls), or the admin key (tenant creation).",
            };
            document.Security ??= [];
            document.Security.Add(new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(KeyAuthentication.SchemeName, document)] = [],
            });
            return Task.CompletedTask;
        }));

    public static RouteGroupBuilder MapWorkforceOpenApi(this RouteGroupBuilder api)
    {
        api.MapOpenApi(ApiRoutes.OpenApiDocument).AllowAnonymous();
        return api;
    }

    public static WebApplication UseWorkforceDocs(this WebApplication app)
    {
        app.UseSwaggerUI(ui =>
        {
            ui.SwaggerEndpoint($"/{ApiRoutes.Prefix}/openapi/v1.json", "Workforce v1");
            ui.RoutePrefix = $"{ApiRoutes.Prefix}/{DocsPath}";
            ui.DocumentTitle = "Workforce API";
        });
        return app;
    }
}
