using Microsoft.Extensions.Options;
using Workforce.Core.Metrics;

namespace Workforce.Server.Metrics;

/// <summary>
/// Samples the platform's levels at start and then every <see cref="MetricsOptions.LevelsInterval"/>, so that the
/// gauges on <c>/metrics</c> answer from memory. A failed sample keeps the last one (its age shows in
/// <c>workforce_levels_age_seconds</c>) and is tried again next interval.
/// </summary>
internal sealed partial class LevelsSampling(SamplePlatformLevels sample, IOptions<MetricsOptions> options, TimeProvider clock, ILogger<LevelsSampling> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var quotaTenants = settings.TenantQuotas ? settings.TenantQuotasMaxTenants : 0;
        using var timer = new PeriodicTimer(settings.LevelsInterval, clock);
        try
        {
            do
            {
                try
                {
                    await sample.ExecuteAsync(quotaTenants, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    LogSampleFailed(logger, e);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sampling the platform levels for /metrics failed; the gauges keep the last sample")]
    private static partial void LogSampleFailed(ILogger logger, Exception exception);
}
