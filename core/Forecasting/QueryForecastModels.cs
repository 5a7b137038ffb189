namespace Workforce.Core.Forecasting;

/// <summary>A series' models: its pointer and its latest versions, newest first.</summary>
public sealed record SeriesModelHistory(SeriesModels Models, IReadOnlyList<ModelVersion> Versions);

/// <summary>The tenant's trained series, the version in service of each and the metrics of their latest versions.</summary>
public sealed class QueryForecastModels(IForecastStore forecasts)
{
    public const int VersionsShown = 10;

    public async Task<IReadOnlyList<SeriesModelHistory>> ExecuteAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var histories = new List<SeriesModelHistory>();
        foreach (var models in (await forecasts.ListSeriesAsync(caller.TenantId, cancellationToken)).Where(models => models.LatestVersion > 0))
        {
            histories.Add(new SeriesModelHistory(models, await forecasts.ListVersionsAsync(caller.TenantId, models.Series, VersionsShown, cancellationToken)));
        }

        return histories;
    }
}
