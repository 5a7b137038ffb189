using Workforce.Core.Metrics;
using Workforce.Core.Plans;
using Workforce.Core.Storage;
using Workforce.Core.Tasks;

namespace Workforce.Core.Scheduling;

/// <summary>
/// Hands an agent the best task it can serve: strict priority, then submission order, among pending tasks whose
/// backoff has passed, whose required capabilities the agent has, while the agent has a free slot and its tenant
/// compute minutes left. With a wait, the lease long-polls until a task turns up or the wait ends. A lease of one
/// by <see cref="LeaseTasks"/>, which hands out several at once.
/// </summary>
public sealed class LeaseTask(
    IWorkforceStore store, TaskAvailability availability, LeaseOptions options, PlanCatalogue plans, TimeProvider clock, WorkforceMeter? meter = null)
{
    private readonly LeaseTasks _leases = new(store, availability, options, plans, clock, meter);

    /// <returns>The assigned task, or null when none became available within the wait.</returns>
    public async Task<Outcome<WorkTask?>> ExecuteAsync(Caller caller, Guid agentId, int waitSeconds = 0, CancellationToken cancellationToken = default)
    {
        var outcome = await _leases.LeaseOneAsync(caller, agentId, waitSeconds, cancellationToken);
        return outcome.Value is { } leased ? Outcome<WorkTask?>.Success(leased.Count > 0 ? leased[0] : null) : outcome.Failure!;
    }
}
