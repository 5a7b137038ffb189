namespace Workforce.Core.Forecasting;

/// <summary>The tenant's recorded anomalies in a range (default: the last 7 days), newest first.</summary>
public sealed class QueryAnomalies(IForecastStore forecasts, TimeProvider clock)
{
    public const int MaxAnomalies = 500;

    public async Task<Outcome<IReadOnlyList<RecordedAnomaly>>> ExecuteAsync(Caller caller, DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var end = to ?? clock.GetUtcNow().AddTicks(1);
        var start = from ?? end.AddDays(-7);
        if (start >= end)
        {
            return Failure.Invalid("from", "from must be before to.");
        }

        return Outcome<IReadOnlyList<RecordedAnomaly>>.Success(await forecasts.ListAnomaliesAsync(caller.TenantId, start, end, MaxAnomalies, cancellationToken));
    }
}
