using Workforce.Api.Usage;
using Workforce.Core;

namespace Workforce.Server.Usage;

internal static class UsageApi
{
    /// <summary>Usage and subscription: not metered, and open when a quota is used up.</summary>
    public static RouteGroupBuilder MapUsageApi(this RouteGroupBuilder api)
    {
        var usage = api.MapGroup("").WithTags("Usage and subscription");
        usage.MapGet(ApiRoutes.Usage, UsageEndpoints.GetUsageAsync)
            .WithSummary("Usage of the current billing period")
            .WithDescription("Each meter's use, limit (null when unlimited), remaining, percent and overage. Compute in minutes, storage in bytes (kept now; billed on the period's peak).");
        usage.MapGet(ApiRoutes.UsageHistory, UsageEndpoints.GetHistoryAsync)
            .WithSummary("A meter's use per hour or day")
            .WithDescription("meter = tasks | computeMinutes | apiCalls | storageBytes; granularity = hour | day (default day); from and to are ISO-8601 times " +
                "(default: the last day by hour, the last 30 days by day). Storage buckets show the bytes kept at their end.");
        usage.MapGet(ApiRoutes.Subscription, UsageEndpoints.GetSubscriptionAsync).WithSummary("The subscription: plan, status, period, limits and prices");
        usage.MapPut(ApiRoutes.Subscription, UsageEndpoints.ChangeSubscriptionAsync)
            .WithSummary("Change plan or overage policy (tenant key)")
            .WithDescription("plan = free | professional; overage = block | allow (not on Free), with overageCapPercent (100–1000, default 200) or overageSpendCap. " +
                "An upgrade takes effect at once, its fee prorated to the second on the next invoice; a downgrade at the period's end.");

        return api;
    }
}
