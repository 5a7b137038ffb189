namespace Workforce.Server.Realtime;

/// <summary>Counts events in the last 60 seconds, in one-second buckets. Not thread-safe: its owner locks.</summary>
internal sealed class PerMinuteCounter(TimeProvider clock)
{
    private const int Buckets = 60;
    private readonly long[] _second = new long[Buckets];
    private readonly int[] _count = new int[Buckets];

    public void Add()
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var bucket = (int)(now % Buckets);
        if (_second[bucket] != now)
        {
            (_second[bucket], _count[bucket]) = (now, 0);
        }

        _count[bucket]++;
    }

    public int Total()
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var total = 0;
        for (var bucket = 0; bucket < Buckets; bucket++)
        {
            if (now - _second[bucket] < Buckets)
            {
                total += _count[bucket];
            }
        }

        return total;
    }
}
