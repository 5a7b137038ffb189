using Workforce.Api.Billing;
using Workforce.Core;

namespace Workforce.Server.Billing;

internal static class InvoicesApi
{
    /// <summary>Invoices: not metered, and open while a tenant is suspended.</summary>
    public static RouteGroupBuilder MapInvoicesApi(this RouteGroupBuilder api)
    {
        var invoices = api.MapGroup("").WithTags("Billing");
        invoices.MapGet(ApiRoutes.Invoices, InvoiceEndpoints.ListAsync)
            .WithSummary("The tenant's invoices, newest first")
            .WithDescription("One per closed billing period: plan fee, proration of plan changes (to the second) and overage per meter; " +
                "status open, paid, not_charged (zero), offline (billing without a payment provider), uncollectible or refunded.");
        invoices.MapGet(ApiRoutes.Invoice, InvoiceEndpoints.GetAsync).WithSummary("An invoice with its lines, charge attempts and refunds");
        invoices.MapPost(ApiRoutes.InvoicePay, InvoiceEndpoints.PayAsync)
            .WithSummary("Charge an open invoice now (tenant key)")
            .WithDescription("The next charge attempt, outside the dunning schedule: how a past-due or suspended tenant pays; a success reactivates it at once.");
        return api;
    }
}
