using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Workforce.Api.Billing;
using Workforce.Core;
using Workforce.Functions.Http;

namespace Workforce.Functions.Billing;

/// <summary>Checkout and cancellation (the tenant's, not metered), and PayPal's webhook (anonymous, verified with PayPal).</summary>
public sealed class PaymentFunctions(ApiRequests api)
{
    [Function(nameof(CheckoutSubscription))]
    public Task<ApiResponse> CheckoutSubscription(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.SubscriptionCheckout)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.Account, PaymentEndpoints.CheckoutAsync);

    [Function(nameof(CancelSubscription))]
    public Task<ApiResponse> CancelSubscription(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.SubscriptionCancel)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.Account, PaymentEndpoints.CancelAsync);

    [Function(nameof(ReceivePayPalWebhook))]
    public Task<ApiResponse> ReceivePayPalWebhook(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.PayPalWebhook)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.Anyone, PaymentEndpoints.ReceivePayPalWebhookAsync);
}
