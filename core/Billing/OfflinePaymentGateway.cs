using Workforce.Core.Plans;

namespace Workforce.Core.Billing;

/// <summary>Billing without a payment provider (no credentials configured): invoices are issued and nothing is charged.</summary>
public sealed class OfflinePaymentGateway : IPaymentGateway
{
    public bool IsOnline => false;

    public Task<ChargeResult> ChargeAsync(PaymentAccount account, Invoice invoice, int attempt, CancellationToken cancellationToken = default) =>
        Task.FromResult(new ChargeResult(ChargeOutcome.Offline, null, "Billing runs offline: no payment provider is configured."));

    public Task<RefundResult> RefundAsync(Invoice invoice, InvoiceRefund refund, CancellationToken cancellationToken = default) =>
        Task.FromResult(new RefundResult(RefundOutcome.Offline, null, "Billing runs offline: no payment provider is configured."));

    public Task<CheckoutStarted> StartCheckoutAsync(string tenantId, Plan plan, Uri returnUrl, Uri cancelUrl, string requestKey, CancellationToken cancellationToken = default) =>
        throw new PaymentsOfflineException();

    public Task CancelAsync(PaymentAccount account, string reason, string requestKey, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task StopRenewalsAsync(PaymentAccount account, string reason, string requestKey, CancellationToken cancellationToken = default) => Task.CompletedTask;
}

/// <summary>A payment operation was asked of a platform that runs billing offline.</summary>
public sealed class PaymentsOfflineException() : InvalidOperationException("Billing runs offline: no payment provider is configured.");
