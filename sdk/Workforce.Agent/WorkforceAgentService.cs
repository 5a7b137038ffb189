using Microsoft.Extensions.Hosting;

namespace Workforce.Agent;

/// <summary>Runs an <see cref="AgentHost"/> for the generic host's lifetime: a stop of the host (SIGTERM, Ctrl+C) drains it.</summary>
internal sealed class WorkforceAgentService(AgentHost agent) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => agent.RunAsync(stoppingToken);
}
