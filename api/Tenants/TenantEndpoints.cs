using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Workforce.Api.Http;
using Workforce.Core;
using Workforce.Core.Tenants;
using Workforce.Orchestrations.BillingCycle;

namespace Workforce.Api.Tenants;

/// <summary>A created tenant; <see cref="ApiKey"/> is shown this once and stored only as a hash.</summary>
public sealed record TenantResponse(string Id, string Name, DateTimeOffset CreatedAt, string ApiKey);

/// <summary>The handler of the v1 tenant route: platform administration, for the holder of the admin key.</summary>
public static class TenantEndpoints
{
    public static async Task<Results<Created<TenantResponse>, ProblemHttpResult>> CreateAsync(
        CreateTenantCommand command, CreateTenant createTenant, StartBillingCycle startBillingCycle, HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(createTenant);
        ArgumentNullException.ThrowIfNull(startBillingCycle);
        var outcome = await createTenant.ExecuteAsync(command, cancellationToken);
        if (outcome.Value is not { } created)
        {
            return outcome.Failure!.ToProblem(context);
        }

        await startBillingCycle.ExecuteAsync(created.Tenant.Id, CancellationToken.None);

        var tenant = created.Tenant;
        return TypedResults.Created($"/{ApiRoutes.Prefix}/{ApiRoutes.Tenants}/{tenant.Id}", new TenantResponse(tenant.Id, tenant.Name, tenant.CreatedAt, created.ApiKey));
    }
}
