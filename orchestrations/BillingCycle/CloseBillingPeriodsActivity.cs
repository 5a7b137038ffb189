using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Workforce.Core.Billing;
using Workforce.Core.Subscriptions;

namespace Workforce.Orchestrations.BillingCycle;

public sealed partial class CloseBillingPeriodsActivity(CloseBillingPeriods closePeriods, DunningOptions dunning, ILogger<CloseBillingPeriodsActivity> logger)
    : TaskActivity<string, ClosedPeriodsResult>
{
    public override async Task<ClosedPeriodsResult> RunAsync(TaskActivityContext context, string input)
    {
        var closing = await closePeriods.ExecuteAsync(input);
        foreach (var summary in closing.Closed)
        {
            LogClosed(logger, summary.TenantId, summary.Period.Start, summary.Period.End, summary.PlanId, summary.Usage.Tasks, summary.Usage.ComputeSeconds,
                summary.Usage.ApiCalls, summary.Usage.StoragePeakBytes, summary.OverageCost);
        }

        return new ClosedPeriodsResult(
            closing.Closed.Count,
            [.. closing.Invoices.Where(i => i.Status == InvoiceStatus.Open).Select(i => i.Id)],
            new DunningSchedule(dunning.RetryAfter, dunning.GracePeriod),
            closing.NextCloseAt,
            closing.EndedAccount);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Closed billing period {PeriodStart:o}–{PeriodEnd:o} of tenant {TenantId} on plan {PlanId}: " +
        "{Tasks} tasks, {ComputeSeconds} s compute, {ApiCalls} API calls, {StoragePeakBytes} B storage peak, overage {Overage}")]
    private static partial void LogClosed(ILogger logger, string tenantId, DateTimeOffset periodStart, DateTimeOffset periodEnd, string planId,
        long tasks, long computeSeconds, long apiCalls, long storagePeakBytes, Core.Plans.Money overage);
}
