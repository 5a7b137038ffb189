using Microsoft.DurableTask;
using Workforce.Core.Billing;

namespace Workforce.Orchestrations.BillingCycle;

/// <summary>
/// One per tenant, for the tenant's life: sleeps on a durable timer until its open billing period has ended and its
/// grace window passed, closes it (issuing its invoice), collects the invoice — a charge, then on failure the dunning
/// retries and, after the grace period, suspension — closes the payment account of a cancellation that took effect,
/// and goes on as new with a fresh history. No scan of all tenants
/// ever runs: each tenant's cycle wakes only for its own period end.
/// </summary>
public sealed class BillingCycleOrchestrator : TaskOrchestrator<string, object?>
{
    /// <summary>A store or payment provider that cannot be reached is tried again for about an hour before the cycle fails.</summary>
    private static readonly TaskOptions Retries = TaskOptions.FromRetryPolicy(new RetryPolicy(8, TimeSpan.FromSeconds(30), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromMinutes(15)));

    public override async Task<object?> RunAsync(TaskOrchestrationContext context, string tenantId)
    {
        ArgumentNullException.ThrowIfNull(context);
        var closing = await context.CallActivityAsync<ClosedPeriodsResult>(WorkflowNames.CloseBillingPeriods, tenantId, Retries);
        foreach (var invoiceId in closing.InvoicesToCollect)
        {
            await CollectAsync(context, new InvoiceRef(tenantId, invoiceId), closing.Dunning);
        }

        if (closing.EndedAccount is { } account)
        {
            await context.CallActivityAsync<bool>(WorkflowNames.EndPaymentAccount, new EndedAccount(tenantId, account), Retries);
        }

        var wake = closing.NextCloseAt.UtcDateTime > context.CurrentUtcDateTime ? closing.NextCloseAt.UtcDateTime : context.CurrentUtcDateTime;
        await context.CreateTimer(wake, CancellationToken.None);
        context.ContinueAsNew(tenantId);
        return null;
    }

    /// <summary>The tenant's cycle: one per tenant.</summary>
    public static string InstanceId(string tenantId) => $"billing-{tenantId}";

    /// <summary>
    /// Charges the invoice, and while it stays open retries on the dunning schedule, counted from the first failed
    /// attempt, then suspends the tenant the grace period after the last one.
    /// </summary>
    private static async Task CollectAsync(TaskOrchestrationContext context, InvoiceRef invoice, DunningSchedule dunning)
    {
        var attempt = 1;
        var charged = await ChargeAsync(context, invoice, attempt);
        if (charged.Status != InvoiceStatus.Open)
        {
            return;
        }

        var firstFailure = charged.At;
        foreach (var retryAfter in dunning.RetryAfter)
        {
            await context.CreateTimer((firstFailure + retryAfter).UtcDateTime, CancellationToken.None);
            charged = await ChargeAsync(context, invoice, ++attempt);
            if (charged.Status != InvoiceStatus.Open)
            {
                return;
            }
        }

        await context.CreateTimer((charged.At + dunning.GracePeriod).UtcDateTime, CancellationToken.None);
        await context.CallActivityAsync<bool>(WorkflowNames.SuspendForNonPayment, invoice, Retries);
    }

    private static Task<ChargedInvoice> ChargeAsync(TaskOrchestrationContext context, InvoiceRef invoice, int attempt) =>
        context.CallActivityAsync<ChargedInvoice>(WorkflowNames.ChargeInvoice, new ChargeInput(invoice.TenantId, invoice.InvoiceId, attempt), Retries);
}

/// <summary>
/// What a closing tells the cycle: the invoices to collect, the dunning schedule, when to wake next, and the payment
/// account to close after them (a cancellation that took effect).
/// </summary>
public sealed record ClosedPeriodsResult(
    int Closed, IReadOnlyList<string> InvoicesToCollect, DunningSchedule Dunning, DateTimeOffset NextCloseAt, PaymentAccount? EndedAccount = null);

public sealed record EndedAccount(string TenantId, PaymentAccount Account);

/// <summary>The dunning options as the orchestrator needs them: it may not read configuration itself.</summary>
public sealed record DunningSchedule(IReadOnlyList<TimeSpan> RetryAfter, TimeSpan GracePeriod);

public sealed record InvoiceRef(string TenantId, string InvoiceId);

public sealed record ChargeInput(string TenantId, string InvoiceId, int Attempt);

/// <summary>An invoice's status after a charge attempt, and when the attempt was made: dunning counts from it.</summary>
public sealed record ChargedInvoice(InvoiceStatus Status, DateTimeOffset At);
