using Microsoft.DurableTask;
using Workforce.Core.Billing;

namespace Workforce.Orchestrations.PaymentEvents;

/// <summary>
/// One per verified payment notification, under an instance id made of its event id: the durable record that the
/// event was received, and its processing after the webhook answered. The reconciliation reads the provider back, so
/// a provider that is briefly unreachable is retried with backoff.
/// </summary>
public sealed class PaymentEventOrchestrator : TaskOrchestrator<PaymentEvent, string>
{
    private static readonly TaskOptions Retries = new(new TaskRetryOptions(new RetryPolicy(
        maxNumberOfAttempts: 8, firstRetryInterval: TimeSpan.FromSeconds(5), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromMinutes(10))));

    public override Task<string> RunAsync(TaskOrchestrationContext context, PaymentEvent input)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.CallActivityAsync<string>(WorkflowNames.ReconcilePaymentEvent, input, Retries);
    }

    public static string InstanceId(PaymentEvent paymentEvent)
    {
        ArgumentNullException.ThrowIfNull(paymentEvent);
        return $"payment-event-{paymentEvent.Provider}-{paymentEvent.EventId}";
    }
}
