using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Workforce.Api.Auth;
using Workforce.Api.Http;
using Workforce.Core;
using Workforce.Core.Analytics;
using Workforce.Core.Tasks;

namespace Workforce.Api.Analytics;

/// <summary>The handlers of the analytics routes: the tenant's kept history, and the servers' current figures.</summary>
public static class AnalyticsEndpoints
{
    public static async Task<Results<Ok<AnalyticsSeriesResponse>, ProblemHttpResult>> GetSeriesAsync(
        string metric, QueryAnalytics query, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken,
        DateTimeOffset? from = null, DateTimeOffset? to = null, string? step = null, string? type = null, string? priority = null, Guid? agentId = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (ParseStep(step) is not { Succeeded: true } parsedStep)
        {
            return ParseStep(step).Failure!.ToProblem(context);
        }

        var taskPriority = TaskPriorities.Parse(priority);
        if (priority is not null && taskPriority is null)
        {
            return Failure.Invalid("priority", "Use low, medium, high or critical.").ToProblem(context);
        }

        var outcome = await query.ExecuteAsync(user.Caller(), new AnalyticsQuery(metric, from, to, parsedStep.Value, type, taskPriority, agentId), cancellationToken);
        return outcome.Value is { } series ? TypedResults.Ok(AnalyticsSeriesResponse.Of(series)) : outcome.Failure!.ToProblem(context);
    }

    public static async Task<Results<Ok<AnalyticsSummary>, ProblemHttpResult>> GetSummaryAsync(
        QueryAnalyticsSummary query, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken,
        DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        var outcome = await query.ExecuteAsync(user.Caller(), from, to, cancellationToken);
        return outcome.Value is { } summary ? TypedResults.Ok(summary) : outcome.Failure!.ToProblem(context);
    }

    public static async Task<Results<Ok<VisualizationResponse>, ProblemHttpResult>> GetVisualizationsAsync(
        QueryVisualizations query, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken, string? range = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (QueryVisualizations.Parse(range ?? "24h") is not { } chosen)
        {
            return Failure.Invalid("range", "Use 1h, 24h, 7d or 30d.").ToProblem(context);
        }

        return TypedResults.Ok(VisualizationResponse.Of(await query.ExecuteAsync(user.Caller(), chosen, cancellationToken)));
    }

    public static async Task<Ok<PerformanceReport>> GetPerformanceAsync(QueryPerformance query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return TypedResults.Ok(await query.ExecuteAsync(cancellationToken));
    }

    public static async Task<Results<Ok<AgentMetricsHistoryResponse>, ProblemHttpResult>> GetAgentMetricsAsync(
        Guid id, QueryAgentMetrics query, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken,
        DateTimeOffset? from = null, DateTimeOffset? to = null, string? step = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parsedStep = ParseStep(step, allowSeconds: true);
        if (!parsedStep.Succeeded)
        {
            return parsedStep.Failure!.ToProblem(context);
        }

        var outcome = await query.ExecuteAsync(user.Caller(), id, new AgentMetricsQuery(from, to, parsedStep.Value), cancellationToken);
        return outcome.Value is { } history ? TypedResults.Ok(AgentMetricsHistoryResponse.Of(history)) : outcome.Failure!.ToProblem(context);
    }

    /// <summary>A step as people write it: a whole number and a unit, <c>30s</c>, <c>15m</c>, <c>1h</c>, <c>1d</c>.</summary>
    private static Outcome<TimeSpan?> ParseStep(string? step, bool allowSeconds = false)
    {
        if (string.IsNullOrEmpty(step))
        {
            return Outcome<TimeSpan?>.Success(null);
        }

        var unit = step[^1];
        if (int.TryParse(step.AsSpan(0, step.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0)
        {
            TimeSpan? parsed = unit switch
            {
                's' when allowSeconds => TimeSpan.FromSeconds(count),
                'm' => TimeSpan.FromMinutes(count),
                'h' => TimeSpan.FromHours(count),
                'd' => TimeSpan.FromDays(count),
                _ => null,
            };
            if (parsed is not null)
            {
                return Outcome<TimeSpan?>.Success(parsed);
            }
        }

        return Failure.Invalid("step", $"Write the step as a whole number and a unit: {(allowSeconds ? "30s, " : "")}1m, 15m, 1h or 1d.");
    }
}
