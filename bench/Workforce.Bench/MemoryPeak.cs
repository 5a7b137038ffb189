namespace Workforce.Bench;

/// <summary>
/// The process's largest working set and managed heap while it is alive, sampled every 20 ms: what a report costs in
/// memory shows as its peak, which a single reading at the end would miss.
/// </summary>
internal sealed class MemoryPeak : IDisposable
{
    private readonly Timer _timer;
    private long _workingSet;
    private long _managed;

    public MemoryPeak()
    {
        Sample();
        _timer = new Timer(_ => Sample(), null, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(20));
    }

    public double WorkingSetMb => Interlocked.Read(ref _workingSet) / 1_048_576d;

    public double ManagedMb => Interlocked.Read(ref _managed) / 1_048_576d;

    public void Dispose()
    {
        _timer.Dispose();
        Sample();
    }

    private void Sample()
    {
        Max(ref _workingSet, Environment.WorkingSet);
        Max(ref _managed, GC.GetTotalMemory(forceFullCollection: false));
    }

    private static void Max(ref long peak, long value)
    {
        var seen = Interlocked.Read(ref peak);
        while (value > seen && Interlocked.CompareExchange(ref peak, value, seen) is var found && found != seen)
        {
            seen = found;
        }
    }
}
