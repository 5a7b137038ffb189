namespace Workforce.Storage.Azure.Tables;

/// <summary>
/// Submission and registration order without a shared counter: the current time in ticks, made strictly increasing
/// within this process. A counter row would make every submission of a tenant contend for one entity; across
/// server instances the order is the order of their clocks, which is as close to "first come" as they can know.
/// </summary>
internal sealed class SequenceClock(TimeProvider clock)
{
    private long _last;

    public long Next()
    {
        while (true)
        {
            var last = Volatile.Read(ref _last);
            var next = Math.Max(last + 1, clock.GetUtcNow().UtcTicks);
            if (Interlocked.CompareExchange(ref _last, next, last) == last)
            {
                return next;
            }
        }
    }
}
