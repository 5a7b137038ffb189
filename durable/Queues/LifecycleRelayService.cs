using Microsoft.Extensions.Hosting;
using Workforce.Orchestrations.TaskLifecycle;

namespace Workforce.Durable.Queues;

/// <summary>Runs the <see cref="LifecycleEventRelay"/> for the life of the host.</summary>
public sealed class LifecycleRelayService(LifecycleEventRelay relay) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => relay.RunAsync(stoppingToken);
}
