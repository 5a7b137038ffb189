using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Workforce.Api.Billing;
using Workforce.Core;
using Workforce.Functions.Http;

namespace Workforce.Functions.Billing;

/// <summary>The invoice routes: not metered, and open while a tenant is suspended.</summary>
public sealed class InvoiceFunctions(ApiRequests api)
{
    [Function(nameof(ListInvoices))]
    public Task<ApiResponse> ListInvoices(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Invoices)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.Account, InvoiceEndpoints.ListAsync);

    [Function(nameof(GetInvoice))]
    public Task<ApiResponse> GetInvoice(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Invoice)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.Account, InvoiceEndpoints.GetAsync);

    [Function(nameof(PayInvoice))]
    public Task<ApiResponse> PayInvoice(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.InvoicePay)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.Account, InvoiceEndpoints.PayAsync);

    [Function(nameof(RefundInvoice))]
    public Task<ApiResponse> RefundInvoice(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.InvoiceRefund)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.Admin, InvoiceEndpoints.RefundAsync);
}
