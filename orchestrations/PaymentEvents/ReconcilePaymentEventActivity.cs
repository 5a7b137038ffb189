using Microsoft.DurableTask;
using Workforce.Core.Billing;

namespace Workforce.Orchestrations.PaymentEvents;

/// <returns>What the reconciliation did, for the operations view.</returns>
public sealed class ReconcilePaymentEventActivity(ReconcilePaymentEvent reconcile) : TaskActivity<PaymentEvent, string>
{
    public override Task<string> RunAsync(TaskActivityContext context, PaymentEvent input) => reconcile.ExecuteAsync(input);
}
