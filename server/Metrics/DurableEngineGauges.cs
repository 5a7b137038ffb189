using System.Diagnostics.Metrics;
using Workforce.Core.Metrics;
using Workforce.Durable.Runtime;

namespace Workforce.Server.Metrics;

/// <summary>
/// The embedded engine's unfinished instances on the <see cref="WorkforceMeter.Name"/> meter. It lives here, not
/// in core, because only this host runs that engine; the count is the engine's in-memory one, so a scrape is free.
/// </summary>
internal sealed class DurableEngineGauges : IDisposable
{
    private readonly Meter _meter = new(WorkforceMeter.Name);

    public DurableEngineGauges(DurableEngine engine) =>
        _meter.CreateObservableGauge("workforce.durable.instances.active", () => (long)engine.ActiveInstanceCount, "{instance}",
            "Orchestration instances of the embedded engine that have not finished (task lifecycles, deliveries, jobs)");

    public void Dispose() => _meter.Dispose();
}
