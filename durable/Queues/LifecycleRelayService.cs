using Microsoft.Extensions.Hosting;
using Workforce.Orchestrations.TaskLifecycle;

namespace Workforce.Durable.Queues;

/// <summary>Runs the <see cref="LifecycleEventRelay"/> for the life of the host, after catching up with what the last one left.</summary>
public sealed class LifecycleRelayService(LifecycleEventRelay relay) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await relay.CatchUpAsync(stoppingToken);
        await relay.RunAsync(stoppingToken);
    }
}
