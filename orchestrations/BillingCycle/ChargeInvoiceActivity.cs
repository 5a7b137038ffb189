using Microsoft.DurableTask;
using Workforce.Core.Billing;

namespace Workforce.Orchestrations.BillingCycle;

/// <returns>The invoice's status after the attempt: still open when the charge failed.</returns>
public sealed class ChargeInvoiceActivity(ChargeInvoice charge) : TaskActivity<ChargeInput, InvoiceStatus>
{
    public override async Task<InvoiceStatus> RunAsync(TaskActivityContext context, ChargeInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return (await charge.ExecuteAsync(input.TenantId, input.InvoiceId, input.Attempt))?.Status ?? InvoiceStatus.NotCharged;
    }
}
