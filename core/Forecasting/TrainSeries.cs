using Microsoft.Extensions.Logging;
using Workforce.Core.Analytics;
using Workforce.Core.Notifications;
using Workforce.Core.Storage;

namespace Workforce.Core.Forecasting;

/// <summary>What one training of a series did.</summary>
/// <param name="Trained">The version trained; null when the series has too little history yet.</param>
public sealed record TrainingOutcome(ForecastSeries Series, ModelVersion? Trained, bool Promoted, int? InService, int NewAnomalies, string? Skipped = null);

/// <summary>
/// Trains a new version of a series' model on its history, keeps it, and puts it in service if it beats the version
/// in service (<see cref="ModelVersion.Beats"/>); then refreshes the forecast from the version in service and records
/// the anomalies it sees in the last day, announcing the new ones. The version is written before the pointer moves,
/// so a crash in between leaves the version in service as it was.
/// </summary>
public sealed partial class TrainSeries(
    ReadSeriesHistory history, IForecastStore forecasts, IWorkforceStore store, ForecastingOptions options, TimeProvider clock, ILogger<TrainSeries> logger)
{
    private const int AnomalyLookbackHours = 24;

    public async Task<TrainingOutcome> ExecuteAsync(string tenantId, ForecastSeries series, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(series);
        var data = await history.ExecuteAsync(tenantId, series, cancellationToken);
        var points = data?.Values.Count(value => !double.IsNaN(value)) ?? 0;
        var models = await forecasts.FindSeriesAsync(tenantId, series.Name, cancellationToken);
        var skipped = data is null || points < Forecaster.MinimumPoints
            ? $"{points} hourly points; training needs {Forecaster.MinimumPoints}."
            : data.Values.All(value => double.IsNaN(value) || value == 0) ? "Nothing happened in the window: there is nothing to forecast." : null;
        if (data is null || skipped is not null)
        {
            // Marked as read, so that the series waits for more data like a trained one instead of being read again
            // first thing in every run.
            var readUpTo = data?.At(data.Count) ?? AnalyticsRollup.StartOf(RollupResolution.Hour, clock.GetUtcNow());
            await forecasts.SaveAsync(
                models is null ? new SeriesModels(tenantId, series.Name, null, [], 0, readUpTo) : models with { TrainedUpTo = readUpTo }, cancellationToken);
            return new TrainingOutcome(series, null, false, models?.Current, 0, skipped);
        }

        var now = clock.GetUtcNow();
        var result = Forecaster.Train(data, options.Settings);
        var version = new ModelVersion(
            tenantId, series.Name, (models?.LatestVersion ?? 0) + 1, result.Chosen.Method, result.Chosen.Parameters, result.Chosen.Backtest, result.Candidates,
            data.Start, data.At(data.Count), points, now);
        await forecasts.SaveAsync(version, cancellationToken);

        var current = models?.Current is { } number ? await forecasts.FindVersionAsync(tenantId, series.Name, number, cancellationToken) : null;
        var promoted = version.Beats(current);
        var inService = promoted ? version : current;
        await forecasts.SaveAsync(
            new SeriesModels(
                tenantId, series.Name, inService?.Version,
                promoted && current is not null ? [.. models!.Previous, current.Version] : models?.Previous ?? [],
                version.Version, version.WindowEnd),
            cancellationToken);
        LogTrained(logger, series.Name, tenantId, version.Version, version.Method, version.Backtest.Mase, promoted);
        if (inService is null)
        {
            return new TrainingOutcome(series, version, false, null, 0);
        }

        var forecast = promoted ? result.Forecast : Forecaster.Forecast(data, inService.Method, inService.Parameters, options.Settings);
        await forecasts.SaveAsync(ForecastOf(inService, forecast, now), cancellationToken);
        var anomalies = series.IsWatched ? await RecordAnomaliesAsync(data, inService, now, cancellationToken) : 0;
        return new TrainingOutcome(series, version, promoted, inService.Version, anomalies);
    }

    /// <summary>The version's forecast, confident when its backtest's interval coverage reached the threshold.</summary>
    public SeriesForecast ForecastOf(ModelVersion version, IReadOnlyList<ForecastPoint> points, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(version);
        return new(version.TenantId, version.Series, version.Version, version.Method, now, version.Backtest.Coverage >= options.ConfidenceThreshold, points);
    }

    private async Task<int> RecordAnomaliesAsync(HourlySeries data, ModelVersion model, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Against Holt-Winters whichever method is in service: after a level shift, seasonal-naive (alone or in the
        // combination) keeps expecting last week and would flag every hour of the new level.
        var holtWinters = model.Candidates.FirstOrDefault(candidate => candidate.Method == ForecastMethods.HoltWinters);
        var detected = Forecaster.DetectAnomalies(
            data, holtWinters?.Method ?? model.Method, holtWinters?.Parameters ?? model.Parameters, options.Settings, AnomalyLookbackHours);
        if (detected.Count == 0)
        {
            return 0;
        }

        var added = await forecasts.AddAsync(
            [.. detected.Select(anomaly => new RecordedAnomaly(model.TenantId, model.Series, anomaly.At, anomaly.Value, anomaly.Expected, anomaly.Score, now))],
            cancellationToken);
        if (added.Count > 0)
        {
            await store.TransactAsync(model.TenantId, tx =>
            {
                foreach (var anomaly in added)
                {
                    tx.Raise(NotificationEvents.OfAnomaly(anomaly));
                }

                return ValueTask.FromResult(true);
            }, cancellationToken);
        }

        return added.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Trained {Series} of tenant {TenantId}: version {Version} ({Method}, MASE {Mase:0.000}); promoted: {Promoted}")]
    private static partial void LogTrained(ILogger logger, string series, string tenantId, int version, string method, double mase, bool promoted);
}
