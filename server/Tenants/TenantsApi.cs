using Microsoft.AspNetCore.Http.HttpResults;
using Workforce.Core;
using Workforce.Core.Tenants;
using Workforce.Server.Auth;
using Workforce.Server.Http;

namespace Workforce.Server.Tenants;

/// <summary>A created tenant; <see cref="ApiKey"/> is shown this once and stored only as a hash.</summary>
public sealed record TenantResponse(string Id, string Name, DateTimeOffset CreatedAt, string ApiKey);

internal static class TenantsApi
{
    /// <summary>Platform administration, for the holder of the admin key.</summary>
    public static RouteGroupBuilder MapTenantsApi(this RouteGroupBuilder api)
    {
        var tenants = api.MapGroup("").RequireAuthorization(CallerClaims.AdminPolicy).WithTags("Tenants");
        tenants.MapPost(ApiRoutes.Tenants, CreateAsync)
            .WithSummary("Create a tenant (admin key)")
            .WithDescription("Creates a tenant and returns its first API key. The key is shown only in this response.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return api;
    }

    private static async Task<Results<Created<TenantResponse>, ProblemHttpResult>> CreateAsync(
        CreateTenantCommand command, CreateTenant createTenant, HttpContext context, CancellationToken cancellationToken)
    {
        var outcome = await createTenant.ExecuteAsync(command, cancellationToken);
        if (outcome.Value is not { } created)
        {
            return outcome.Failure!.ToProblem(context);
        }

        var tenant = created.Tenant;
        return TypedResults.Created($"/{ApiRoutes.Prefix}/{ApiRoutes.Tenants}/{tenant.Id}", new TenantResponse(tenant.Id, tenant.Name, tenant.CreatedAt, created.ApiKey));
    }
}
