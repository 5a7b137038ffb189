using Microsoft.DurableTask;
using Workforce.Core.Billing;

namespace Workforce.Orchestrations.BillingCycle;

/// <returns>The invoice's status after the attempt (still open when the charge failed) and the attempt's time.</returns>
public sealed class ChargeInvoiceActivity(ChargeInvoice charge, TimeProvider clock) : TaskActivity<ChargeInput, ChargedInvoice>
{
    public override async Task<ChargedInvoice> RunAsync(TaskActivityContext context, ChargeInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var invoice = await charge.ExecuteAsync(input.TenantId, input.InvoiceId, input.Attempt);
        var at = invoice?.Attempts.FirstOrDefault(a => a.Number == input.Attempt)?.At ?? clock.GetUtcNow();
        return new ChargedInvoice(invoice?.Status ?? InvoiceStatus.NotCharged, at);
    }
}
