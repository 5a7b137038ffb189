using Workforce.Core.Analytics;
using Workforce.Core.Storage;

namespace Workforce.Core.Agents;

/// <summary>Resource usage as an agent reports it; the platform stamps the time.</summary>
/// <param name="Tasks">
/// Heartbeat only: the tasks the agent is working on. The heartbeat's answer names those it no longer holds
/// (cancelled, timed out, removed), so the agent can stop their handlers. A heartbeat that names tasks may leave
/// the metrics out.
/// </param>
public sealed record MetricsReport(double? CpuPercent, double? MemoryMb, int? ThreadCount, IReadOnlyList<Guid>? Tasks = null)
{
    /// <summary>Whether the report carries metrics: any of them, or no task list (so an empty body is still checked as metrics).</summary>
    public bool HasMetrics => CpuPercent is not null || MemoryMb is not null || ThreadCount is not null || Tasks is null;
}

/// <summary>
/// Records that an agent is alive, optionally with its latest metrics. An offline agent that sends a heartbeat is
/// back online.
/// </summary>
public sealed class RecordHeartbeat(IWorkforceStore store, AgentChangeFeed changes, AnalyticsRecorder analytics, TimeProvider clock)
{
    public async Task<Outcome<Agent>> ExecuteAsync(Caller caller, Guid agentId, MetricsReport? metrics = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.MayActAs(agentId))
        {
            return Failures.NotYourAgent;
        }

        if (metrics is { HasMetrics: true } && Validate(metrics) is { Any: true } errors)
        {
            return errors.ToFailure();
        }

        var now = clock.GetUtcNow();
        var reported = metrics is not { HasMetrics: true } ? null : new AgentMetrics(metrics.CpuPercent!.Value, metrics.MemoryMb!.Value, metrics.ThreadCount!.Value, now);
        // Heartbeats arrive steadily from every agent and nobody waits on one closely: they may share commits.
        var outcome = await store.TransactCoalescedAsync(caller.TenantId, async tx =>
        {
            if (await tx.FindAgentAsync(agentId) is not { } agent)
            {
                return Failure.NotFound($"Agent {agentId}");
            }

            var updated = agent.Heartbeat(now, reported);
            tx.Update(updated);
            return Outcome<Agent>.Success(updated);
        }, cancellationToken);
        if (outcome.Succeeded)
        {
            changes.Publish(caller.TenantId, agentId);
            if (reported is not null)
            {
                analytics.RecordAgentMetrics(caller.TenantId, agentId, reported);
            }
        }

        return outcome;
    }

    private static FieldErrors Validate(MetricsReport metrics)
    {
        var errors = new FieldErrors();
        errors.Require(metrics.CpuPercent is >= 0 and <= 100, "cpuPercent", "cpuPercent must be between 0 and 100.");
        errors.Require(metrics.MemoryMb is >= 0 and <= 16_777_216, "memoryMb", "memoryMb must be between 0 and 16777216.");
        errors.Require(metrics.ThreadCount is >= 0 and <= 1_000_000, "threadCount", "threadCount must be between 0 and 1000000.");
        return errors;
    }
}
