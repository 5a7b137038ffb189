using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Workforce.Api.Auth;
using Workforce.Api.Http;
using Workforce.Core;
using Workforce.Core.Plans;
using Workforce.Core.Subscriptions;
using Workforce.Core.Usage;

namespace Workforce.Api.Usage;

/// <summary>
/// The handlers of the usage and subscription routes. They are not metered, and stay open when a quota is used up,
/// so a tenant can always see where it stands and upgrade.
/// </summary>
public static class UsageEndpoints
{
    public static async Task<Results<Ok<UsageResponse>, ProblemHttpResult>> GetUsageAsync(
        QueryUsage query, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var outcome = await query.ExecuteAsync(user.Caller(), cancellationToken);
        return outcome.Value is { } report ? TypedResults.Ok(UsageResponse.From(report)) : outcome.Failure!.ToProblem(context);
    }

    public static async Task<Results<Ok<UsageHistoryResponse>, ProblemHttpResult>> GetHistoryAsync(
        QueryUsageHistory query, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken,
        string? meter = null, DateTimeOffset? from = null, DateTimeOffset? to = null, string? granularity = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        var step = granularity?.ToLowerInvariant() switch
        {
            null or "day" => UsageGranularity.Day,
            "hour" => UsageGranularity.Hour,
            _ => (UsageGranularity?)null,
        };
        if (step is null)
        {
            return Failure.Invalid("granularity", "Use hour or day.").ToProblem(context);
        }

        var outcome = await query.ExecuteAsync(user.Caller(), new UsageHistoryQuery(meter, from, to, step.Value), cancellationToken);
        return outcome.Value is { } history ? TypedResults.Ok(UsageHistoryResponse.Of(history)) : outcome.Failure!.ToProblem(context);
    }

    public static async Task<Results<Ok<SubscriptionResponse>, ProblemHttpResult>> GetSubscriptionAsync(
        QueryUsage query, PlanCatalogue plans, TimeProvider clock, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var outcome = await query.ExecuteAsync(user.Caller(), cancellationToken);
        return outcome.Value is { } report
            ? TypedResults.Ok(SubscriptionResponse.From(report.Subscription, plans, clock.GetUtcNow()))
            : outcome.Failure!.ToProblem(context);
    }

    public static async Task<Results<Ok<SubscriptionResponse>, ProblemHttpResult>> ChangeSubscriptionAsync(
        SubscriptionChangeRequest request, ChangeSubscription change, ApiCallMeter apiCalls, PlanCatalogue plans, TimeProvider clock, ClaimsPrincipal user,
        HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(change);
        var overage = SubscriptionNames.Overage(request.Overage);
        if (request.Overage is not null && overage is null)
        {
            return Failure.Invalid("overage", "Use block or allow.").ToProblem(context);
        }

        var command = new ChangeSubscriptionCommand(request.Plan, overage, request.OverageCapPercent, request.OverageSpendCap);
        var outcome = await change.ExecuteAsync(user.Caller(), command, cancellationToken);
        apiCalls.Invalidate(user.Caller().TenantId);
        return outcome.Value is { } subscription
            ? TypedResults.Ok(SubscriptionResponse.From(subscription, plans, clock.GetUtcNow()))
            : outcome.Failure!.ToProblem(context);
    }

    /// <summary>Platform administration: a tenant's plan, and Enterprise limits and prices.</summary>
    public static async Task<Results<Ok<SubscriptionResponse>, ProblemHttpResult>> SetTermsAsync(
        string id, SubscriptionTermsRequest request, SetSubscriptionTerms setTerms, ApiCallMeter apiCalls, PlanCatalogue plans, TimeProvider clock,
        HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(setTerms);
        var errors = new FieldErrors();
        var overage = SubscriptionNames.Overage(request.Overage);
        if (request.Overage is not null && overage is null)
        {
            errors.Add("overage", "Use block or allow.");
        }

        var status = SubscriptionNames.Status(request.Status);
        if (request.Status is not null && status is null)
        {
            errors.Add("status", "Use active, past_due, suspended or cancelled.");
        }

        if (errors.Any)
        {
            return errors.ToFailure().ToProblem(context);
        }

        var command = new SubscriptionTermsCommand(request.Plan, request.Limits?.ToLimits(), request.Price, request.OveragePrices?.ToPrices(), overage, status);
        var outcome = await setTerms.ExecuteAsync(id, command, cancellationToken);
        apiCalls.Invalidate(id);
        return outcome.Value is { } subscription
            ? TypedResults.Ok(SubscriptionResponse.From(subscription, plans, clock.GetUtcNow()))
            : outcome.Failure!.ToProblem(context);
    }
}
