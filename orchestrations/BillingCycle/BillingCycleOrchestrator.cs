using Microsoft.DurableTask;

namespace Workforce.Orchestrations.BillingCycle;

/// <summary>
/// One per tenant, for the tenant's life: sleeps on a durable timer until its open billing period has ended and its
/// grace window passed, closes it, and goes on as new with a fresh history. No scan of all tenants ever runs: each
/// tenant's cycle wakes only for its own period end.
/// </summary>
public sealed class BillingCycleOrchestrator : TaskOrchestrator<string, object?>
{
    public override async Task<object?> RunAsync(TaskOrchestrationContext context, string tenantId)
    {
        ArgumentNullException.ThrowIfNull(context);
        var closing = await context.CallActivityAsync<ClosedPeriodsResult>(WorkflowNames.CloseBillingPeriods, tenantId);
        await context.CreateTimer(closing.NextCloseAt.UtcDateTime, CancellationToken.None);
        context.ContinueAsNew(tenantId);
        return null;
    }

    /// <summary>The instance id of the tenant's cycle: one cycle per tenant.</summary>
    public static string InstanceId(string tenantId) => $"billing-{tenantId}";
}

/// <summary>What a closing tells the cycle: how many periods it closed, and when to wake next.</summary>
public sealed record ClosedPeriodsResult(int Closed, DateTimeOffset NextCloseAt);
