using Microsoft.DurableTask;
using Workforce.Core.Notifications;

namespace Workforce.Orchestrations.Notifications;

/// <summary>
/// Carries one delivery through its attempts: an attempt, then a durable timer until the next one the attempt set
/// (the retry schedule with jitter, or the peer's Retry-After), until it is delivered, gives up, or its endpoint is
/// disabled. One instance per delivery and resend (<see cref="NotificationDelivery.RunId"/>); every decision is made
/// by the activity, from the stored delivery, so the orchestrator only keeps time.
/// </summary>
public sealed class DeliverNotificationOrchestrator : TaskOrchestrator<DeliveryRun, DeliveryStatus>
{
    /// <summary>A store that cannot be reached is tried again for a few minutes; failures of the peer are the schedule's business, not this.</summary>
    private static readonly TaskOptions Retries = TaskOptions.FromRetryPolicy(new RetryPolicy(5, TimeSpan.FromSeconds(5), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromMinutes(2)));

    public override async Task<DeliveryStatus> RunAsync(TaskOrchestrationContext context, DeliveryRun run)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(run);
        var attempt = run.FirstAttempt;
        while (true)
        {
            var step = await context.CallActivityAsync<DeliveryStep>(WorkflowNames.AttemptDelivery, new DeliveryAttemptInput(run.TenantId, run.DeliveryId, attempt), Retries);
            if (step.Status != DeliveryStatus.Pending || step.NextAttemptAt is not { } due)
            {
                return step.Status;
            }

            if (due.UtcDateTime > context.CurrentUtcDateTime)
            {
                await context.CreateTimer(due.UtcDateTime, CancellationToken.None);
            }

            attempt = step.NextAttempt;
        }
    }
}

/// <param name="FirstAttempt">The number of the run's first attempt: one more than the attempts before it.</param>
public sealed record DeliveryRun(string TenantId, string DeliveryId, int FirstAttempt);

public sealed record DeliveryAttemptInput(string TenantId, string DeliveryId, int Attempt);
