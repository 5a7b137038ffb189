using System.Collections.Concurrent;

namespace Workforce.Storage.Azure.Tables;

/// <summary>
/// One lease at a time per tenant within this process. Every lease starts at the head of the same pending range,
/// so concurrent leases would all pick the same first task and all but one would lose on its ETag and start over;
/// taking turns turns that herd into a queue. Leases from other processes still race, and ETags settle who wins.
/// </summary>
internal sealed class LeaseTurns
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _turns = new(StringComparer.Ordinal);

    /// <returns>The turn; dispose it once the lease has committed or failed.</returns>
    public async Task<IDisposable> TakeAsync(string tenantId, CancellationToken cancellationToken)
    {
        var turn = _turns.GetOrAdd(tenantId, static _ => new SemaphoreSlim(1, 1));
        await turn.WaitAsync(cancellationToken);
        return new Turn(turn);
    }

    private sealed class Turn(SemaphoreSlim turn) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                turn.Release();
            }
        }
    }
}
