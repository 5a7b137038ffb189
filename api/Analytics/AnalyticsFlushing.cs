using Microsoft.Extensions.Hosting;
using Workforce.Core.Analytics;

namespace Workforce.Api.Analytics;

/// <summary>Writes the node's analytics every <see cref="AnalyticsOptions.FlushInterval"/>, and once more when the host stops.</summary>
public sealed class AnalyticsFlushing(FlushAnalytics flush, AnalyticsOptions options, TimeProvider clock) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.FlushInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await flush.ExecuteAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await flush.ExecuteAsync(cancellationToken);
    }
}
