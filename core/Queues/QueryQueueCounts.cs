namespace Workforce.Core.Queues;

/// <summary>How much work waits in each queue, counting only the caller's tenant's messages.</summary>
public sealed class QueryQueueCounts(IWorkQueues queues)
{
    public async Task<Outcome<IReadOnlyList<QueueCounts>>> ExecuteAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsAgent)
        {
            return Failures.AgentKeyNotAllowed;
        }

        return Outcome<IReadOnlyList<QueueCounts>>.Success(await queues.CountAsync(caller.TenantId, cancellationToken));
    }
}
