using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Workforce.Api.Auth;
using Workforce.Api.Http;
using Workforce.Core;
using Workforce.Core.Billing;

namespace Workforce.Api.Billing;

/// <summary>The handlers of the invoice routes. Not metered, and open while a tenant is suspended, so it can see what it owes and pay.</summary>
public static class InvoiceEndpoints
{
    public static async Task<Results<Ok<InvoiceListResponse>, ProblemHttpResult>> ListAsync(
        QueryInvoices query, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var outcome = await query.ListAsync(user.Caller(), cancellationToken);
        return outcome.Value is { } invoices
            ? TypedResults.Ok(new InvoiceListResponse([.. invoices.Select(InvoiceResponse.From)]))
            : outcome.Failure!.ToProblem(context);
    }

    public static async Task<Results<Ok<InvoiceResponse>, ProblemHttpResult>> GetAsync(
        string id, QueryInvoices query, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var outcome = await query.GetAsync(user.Caller(), id, cancellationToken);
        return outcome.Value is { } invoice ? TypedResults.Ok(InvoiceResponse.From(invoice)) : outcome.Failure!.ToProblem(context);
    }

    /// <summary>Charges an open invoice now, as its next attempt: how a past-due or suspended tenant pays after fixing its payment method.</summary>
    public static async Task<Results<Ok<InvoiceResponse>, ProblemHttpResult>> PayAsync(
        string id, QueryInvoices query, ChargeInvoice charge, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(charge);
        var caller = user.Caller();
        var found = await query.GetAsync(caller, id, cancellationToken);
        if (found.Value is not { } invoice)
        {
            return found.Failure!.ToProblem(context);
        }

        if (!invoice.IsCollectable)
        {
            return Failure.Conflict($"Invoice {id} is {InvoiceNames.Of(invoice.Status)}; only an open or uncollectible invoice is charged.").ToProblem(context);
        }

        var charged = await charge.ExecuteAsync(caller.TenantId, id, invoice.Attempts.Count + 1, cancellationToken);
        return TypedResults.Ok(InvoiceResponse.From(charged!));
    }

    /// <summary>Platform administration: refunds a paid invoice, whole or in part.</summary>
    public static async Task<Results<Ok<InvoiceResponse>, ProblemHttpResult>> RefundAsync(
        string id, RefundRequest request, RefundInvoice refund, HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(refund);
        if (Invoice.TenantOf(id) is not { } tenantId)
        {
            return Failure.NotFound($"Invoice {id}").ToProblem(context);
        }

        var outcome = await refund.ExecuteAsync(tenantId, id, new RefundInvoiceCommand(request.Amount, request.Reason), cancellationToken);
        return outcome.Value is { } invoice ? TypedResults.Ok(InvoiceResponse.From(invoice)) : outcome.Failure!.ToProblem(context);
    }
}
