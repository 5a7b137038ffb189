using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Workforce.Api.Auth;
using Workforce.Api.Http;
using Workforce.Core;
using Workforce.Core.Forecasting;

namespace Workforce.Api.Forecasting;

/// <summary>The handlers of the forecasting routes: forecasts, anomalies, scaling advice and the models behind them.</summary>
public static class ForecastEndpoints
{
    public static async Task<Results<Ok<ForecastListResponse>, ProblemHttpResult>> GetForecastsAsync(
        QueryForecasts query, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken, string? series = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        var outcome = await query.ExecuteAsync(user.Caller(), series, cancellationToken);
        return outcome.Value is { } forecasts
            ? TypedResults.Ok(new ForecastListResponse([.. forecasts.Select(ForecastResponse.Of)]))
            : outcome.Failure!.ToProblem(context);
    }

    public static async Task<Results<Ok<AnomalyListResponse>, ProblemHttpResult>> GetAnomaliesAsync(
        QueryAnomalies query, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken, DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        var outcome = await query.ExecuteAsync(user.Caller(), from, to, cancellationToken);
        return outcome.Value is { } anomalies
            ? TypedResults.Ok(new AnomalyListResponse([.. anomalies.Select(AnomalyResponse.Of)]))
            : outcome.Failure!.ToProblem(context);
    }

    public static async Task<Ok<RecommendationListResponse>> GetRecommendationsAsync(IForecastStore forecasts, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(forecasts);
        var recommendations = await forecasts.ListRecommendationsAsync(user.Caller().TenantId, cancellationToken);
        return TypedResults.Ok(new RecommendationListResponse([.. recommendations.Select(RecommendationResponse.Of)]));
    }

    public static async Task<Ok<SeriesModelsListResponse>> GetModelsAsync(QueryForecastModels query, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var histories = await query.ExecuteAsync(user.Caller(), cancellationToken);
        return TypedResults.Ok(new SeriesModelsListResponse([.. histories.Select(history => SeriesModelsResponse.Of(history.Models, history.Versions))]));
    }

    public static async Task<Results<Accepted, ProblemHttpResult>> RetrainAsync(
        RequestRetraining retraining, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(retraining);
        var outcome = await retraining.ExecuteAsync(user.Caller(), cancellationToken);
        return outcome.Succeeded ? TypedResults.Accepted((string?)null) : outcome.Failure!.ToProblem(context);
    }

    public static async Task<Results<Ok<SeriesModelsResponse>, ProblemHttpResult>> RollBackAsync(
        string series, RollBackModel rollBack, IForecastStore forecasts, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rollBack);
        ArgumentNullException.ThrowIfNull(forecasts);
        var outcome = await rollBack.ExecuteAsync(user.Caller(), series, cancellationToken);
        if (outcome.Value is not { } models)
        {
            return outcome.Failure!.ToProblem(context);
        }

        var versions = await forecasts.ListVersionsAsync(models.TenantId, models.Series, QueryForecastModels.VersionsShown, cancellationToken);
        return TypedResults.Ok(SeriesModelsResponse.Of(models, versions));
    }
}
