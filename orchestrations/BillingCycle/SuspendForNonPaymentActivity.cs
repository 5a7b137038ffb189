using Microsoft.DurableTask;
using Workforce.Core.Billing;

namespace Workforce.Orchestrations.BillingCycle;

public sealed class SuspendForNonPaymentActivity(SuspendForNonPayment suspend) : TaskActivity<InvoiceRef, bool>
{
    public override Task<bool> RunAsync(TaskActivityContext context, InvoiceRef input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return suspend.ExecuteAsync(input.TenantId, input.InvoiceId);
    }
}
