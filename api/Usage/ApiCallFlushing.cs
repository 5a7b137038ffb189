using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Workforce.Api.Usage;

/// <summary>Writes the counted API calls about once a second, and once more when the host stops.</summary>
public sealed partial class ApiCallFlushing(ApiCallMeter meter, TimeProvider clock, ILogger<ApiCallFlushing> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(ApiCallMeter.RefreshInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync(cancellationToken);
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        try
        {
            await meter.FlushAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFlushFailed(logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write the counted API calls; they are kept and written with the next flush")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception);
}
