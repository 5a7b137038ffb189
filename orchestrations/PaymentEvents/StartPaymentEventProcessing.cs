using DurableTask.Core.Exceptions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Workforce.Core.Billing;

namespace Workforce.Orchestrations.PaymentEvents;

/// <summary>
/// Stores a verified payment event once, by its event id, and has it processed in the background: a
/// <see cref="PaymentEventOrchestrator"/> under an id derived from the event. A second delivery of the same event —
/// the provider retrying, or replaying — finds that instance, pending, running or completed, and starts nothing. A
/// failed one (the provider unreachable through every retry) may be started again by a redelivery.
/// </summary>
public sealed class StartPaymentEventProcessing(DurableTaskClient client)
{
    private static readonly OrchestrationRuntimeStatus[] Received = [.. ExclusiveInstances.Unfinished, OrchestrationRuntimeStatus.Completed];

    /// <returns>False when the event was received before.</returns>
    public async Task<bool> ExecuteAsync(PaymentEvent paymentEvent, CancellationToken cancellationToken = default)
    {
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(
                WorkflowNames.PaymentEvent, paymentEvent, new StartOrchestrationOptions(PaymentEventOrchestrator.InstanceId(paymentEvent)).WithDedupeStatuses(Received),
                cancellationToken);
            return true;
        }
        catch (OrchestrationAlreadyExistsException)
        {
            return false;
        }
    }
}
