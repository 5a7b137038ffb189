using Workforce.Api.Analytics;
using Workforce.Core;
using Workforce.Core.Analytics;

namespace Workforce.Server.Analytics;

internal static class AnalyticsApi
{
    private const string RangeLimits = "from and to are ISO-8601 times (from inclusive, to exclusive; default the last hour). step is a whole number and a unit " +
        "(1m, 15m, 1h, 1d; default the finest that gives at most 360 points); at most 1,440 points per response. Steps of whole hours read hourly rollups, " +
        "kept 13 months; other steps read minute rollups, kept 30 days.";

    /// <summary>The tenant's history and the servers' figures: read-only, metered like the rest of the API.</summary>
    public static RouteGroupBuilder MapAnalyticsApi(this RouteGroupBuilder api)
    {
        var analytics = api.MapGroup("").WithTags("Analytics");
        analytics.MapGet(ApiRoutes.AnalyticsSummary, AnalyticsEndpoints.GetSummaryAsync)
            .WithSummary("Totals over a range")
            .WithDescription("Tasks submitted, completed, failed, cancelled and retried, error rate, throughput, schedule-to-start and run-time percentiles (ms), " +
                "queue depth, agents online and utilisation, API calls, and the same per task type and priority. " + RangeLimits);
        analytics.MapGet(ApiRoutes.AnalyticsSeries, AnalyticsEndpoints.GetSeriesAsync)
            .WithSummary("One metric as a series")
            .WithDescription($"metric = {string.Join(" | ", AnalyticsMetrics.All.Select(metric => metric.Name))}. type and priority filter task metrics; " +
                "priority also filters queueDepth; agentId gives the attempts that agent ended (completed, failed, retried, run time). A step with no data has value null " +
                "for rates, percentiles and levels, 0 for counts. " + RangeLimits);
        analytics.MapGet(ApiRoutes.Visualizations, AnalyticsEndpoints.GetVisualizationsAsync)
            .WithSummary("The series the dashboard's history view draws")
            .WithDescription("range = 1h (1-minute steps) | 24h (10 minutes) | 7d (1 hour) | 30d (6 hours); default 24h. Column-wise: timestamps in Unix seconds, " +
                "and one value per timestamp in each series (throughput, errorRate, latency percentiles, utilisation, queueDepth, onlineAgents).");
        analytics.MapGet(ApiRoutes.Performance, AnalyticsEndpoints.GetPerformanceAsync)
            .WithSummary("The servers' current CPU, memory, disk and uptime")
            .WithDescription("The answering server measured now; other servers as they reported in their last minute (those silent for 5 minutes are left out).");
        analytics.MapGet(ApiRoutes.AgentMetrics, AnalyticsEndpoints.GetAgentMetricsAsync)
            .WithTags("Agents")
            .WithSummary("An agent's reported CPU, memory and threads over time")
            .WithDescription("Without a step, or with a step under a minute (e.g. 30s), the heartbeats of the last hour at full resolution; with a step of whole minutes, " +
                "averages per step from rollups kept 30 days (whole hours: 13 months). average covers the whole range. An agent key reads only its own agent.");
        return api;
    }
}
