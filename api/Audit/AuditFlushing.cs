using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Workforce.Api.Audit;

/// <summary>Writes the recorded audit entries about once a second, and once more when the host stops.</summary>
public sealed partial class AuditFlushing(AuditRecorder recorder, TimeProvider clock, ILogger<AuditFlushing> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(AuditRecorder.FlushInterval, clock);
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
            await recorder.FlushAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFlushFailed(logger, e, recorder.Pending);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write the audit log; {Pending} entries are kept and written with the next flush")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception, int pending);
}
