namespace Workforce.Core.Forecasting;

/// <summary>
/// Puts the version that was in service before the current one back in service, and forecasts from it again. The
/// rolled-back version stays kept; a later training must beat the restored one to replace it.
/// </summary>
public sealed class RollBackModel(IForecastStore forecasts, ReadSeriesHistory history, TrainSeries train, ForecastingOptions options, TimeProvider clock)
{
    public async Task<Outcome<SeriesModels>> ExecuteAsync(Caller caller, string series, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsAgent)
        {
            return Failures.AgentKeyNotAllowed;
        }

        if (ForecastSeries.Parse(series) is not { } parsed || await forecasts.FindSeriesAsync(caller.TenantId, series, cancellationToken) is not { } models)
        {
            return Failure.NotFound($"Series {series}");
        }

        if (models.Previous.Count == 0 || await forecasts.FindVersionAsync(caller.TenantId, series, models.Previous[^1], cancellationToken) is not { } previous)
        {
            return Failure.Conflict($"{series} has no earlier version in service to return to.");
        }

        var restored = models with { Current = previous.Version, Previous = [.. models.Previous.SkipLast(1)] };
        await forecasts.SaveAsync(restored, cancellationToken);
        if (await history.ExecuteAsync(caller.TenantId, parsed, cancellationToken) is { } data)
        {
            var points = Forecaster.Forecast(data, previous.Method, previous.Parameters, options.Settings);
            await forecasts.SaveAsync(train.ForecastOf(previous, points, clock.GetUtcNow()), cancellationToken);
        }

        return restored;
    }
}
