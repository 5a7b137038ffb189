using Workforce.Api.Auth;
using Workforce.Api.Billing;
using Workforce.Api.Tenants;
using Workforce.Api.Usage;
using Workforce.Core;

namespace Workforce.Server.Tenants;

internal static class TenantsApi
{
    /// <summary>Platform administration, for the holder of the admin key.</summary>
    public static RouteGroupBuilder MapTenantsApi(this RouteGroupBuilder api)
    {
        var tenants = api.MapGroup("").RequireAuthorization(CallerClaims.AdminPolicy).WithTags("Tenants");
        tenants.MapPost(ApiRoutes.Tenants, TenantEndpoints.CreateAsync)
            .WithSummary("Create a tenant (admin key)")
            .WithDescription("Creates a tenant and returns its first API key. The key is shown only in this response.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        tenants.MapPut(ApiRoutes.TenantSubscription, UsageEndpoints.SetTermsAsync)
            .WithSummary("Set a tenant's plan and Enterprise terms (admin key)")
            .WithDescription("Puts the tenant on a plan at once (no proration) and, for Enterprise, sets its own limits, price and overage prices; " +
                "status may be set too (e.g. to lift a suspension).")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        tenants.MapPost(ApiRoutes.InvoiceRefund, InvoiceEndpoints.RefundAsync)
            .WithTags("Billing")
            .WithSummary("Refund a paid invoice, whole or in part (admin key)")
            .WithDescription("{\"amount\": 10.00, \"reason\": \"…\"}; without an amount, all that is left. Refused with 409 beyond what is left or on an unpaid invoice.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }
}
