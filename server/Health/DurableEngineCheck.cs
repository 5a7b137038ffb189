using Microsoft.Extensions.Diagnostics.HealthChecks;
using Workforce.Durable.Queues;
using Workforce.Durable.Runtime;

namespace Workforce.Server.Health;

/// <summary>
/// The embedded durable engine and the queue listeners are running: without them the server still accepts tasks,
/// but no lifecycle, retry, timeout or notification moves on, so it should not take traffic.
/// </summary>
internal sealed class DurableEngineCheck(DurableEngine engine, IEnumerable<IHostedService> hosted) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var listeners = hosted.OfType<QueueListener>().ToList();
        var stopped = listeners.Count(listener => listener.ExecuteTask is not { IsCompleted: false });
        var data = new Dictionary<string, object>
        {
            ["activeInstances"] = engine.ActiveInstanceCount,
            ["queueListeners"] = listeners.Count,
            ["queueListenersStopped"] = stopped,
        };
        return Task.FromResult(!engine.IsRunning ? HealthCheckResult.Unhealthy("the durable engine is not running", data: data)
            : listeners.Count == 0 || stopped > 0 ? HealthCheckResult.Unhealthy("a queue listener is not running", data: data)
            : HealthCheckResult.Healthy("the durable engine and the queue listeners are running", data));
    }
}
