using Workforce.Api.Forecasting;
using Workforce.Core;

namespace Workforce.Server.Forecasting;

internal static class ForecastingApi
{
    private const string SeriesNames = "Series: submissions, completions, busyAgentHours, errorRate, scheduleToStartP95 (the tenant's totals), and " +
        "submissions, completions, busyAgentHours per capability set as `completions:gpu,translate` (`:*` for tasks that require none).";

    /// <summary>Forecasts, anomalies, scaling advice and the models behind them: read-mostly, metered like analytics.</summary>
    public static RouteGroupBuilder MapForecastingApi(this RouteGroupBuilder api)
    {
        var forecasting = api.MapGroup("").WithTags("Forecasting");
        forecasting.MapGet(ApiRoutes.Forecasts, ForecastEndpoints.GetForecastsAsync)
            .WithSummary("The next hours of each series, with prediction intervals")
            .WithDescription("series: one series (404 until it has a model in service), or all. Hourly points for the next 48 hours with 85 % intervals; " +
                "the hour in progress is brought up to date from the minutes already seen. confident: the model's backtested interval coverage reached " +
                "Workforce:Forecasting:ConfidenceThreshold. A series needs 1,000 hourly points of history before it trains. " + SeriesNames);
        forecasting.MapGet(ApiRoutes.Anomalies, ForecastEndpoints.GetAnomaliesAsync)
            .WithSummary("Hours its model did not expect, in throughput, error rate and schedule-to-start latency")
            .WithDescription("from and to (ISO 8601; default the last 7 days), newest first, at most 500. score is the robust z-score of the hour's residual.");
        forecasting.MapGet(ApiRoutes.Recommendations, ForecastEndpoints.GetRecommendationsAsync)
            .WithSummary("Agents each capability set needs in the coming hours")
            .WithDescription("From the confident forecast of busy agent-hours at the target utilisation (default 70 %), per capability set (`*`: tasks that require none). " +
                "What an autoscaler reads.");
        forecasting.MapGet(ApiRoutes.Models, ForecastEndpoints.GetModelsAsync)
            .WithSummary("Each series' model versions, the one in service and their backtest metrics")
            .WithDescription("MASE (scaled by seasonal-naive), sMAPE (%) and interval coverage of every version and candidate method, latest 10 versions per series.");
        forecasting.MapPost(ApiRoutes.ModelsRetrain, ForecastEndpoints.RetrainAsync)
            .WithSummary("Retrain the tenant's series now (tenant key)")
            .WithDescription("202: a retraining workflow runs; series whose data did not change since their last training are skipped. A new version goes into " +
                "service only if its MASE is below 1 and below the version in service.");
        forecasting.MapPost(ApiRoutes.ModelRollback, ForecastEndpoints.RollBackAsync)
            .WithSummary("Put the version in service before the current one back (tenant key)")
            .WithDescription("404 for a series without models, 409 when no earlier version was in service. URL-encode the series name.");
        return api;
    }
}
