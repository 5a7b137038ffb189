namespace Workforce.Core.Analytics;

/// <summary>
/// A distribution of durations in log-scale buckets, eight per doubling (each about 9 % wider than the last), so a
/// quantile read from it is within 9 % of the true value at any scale, from a millisecond to a day. Buckets
/// add up exactly, which is what lets per-minute histograms be summed into any range and read for p50/p95/p99 —
/// percentiles themselves cannot be averaged. Sparse: only buckets that hold something are kept.
/// </summary>
public sealed class LatencyHistogram
{
    private const double BucketsPerDoubling = 8;

    /// <summary>Bucket 0 holds everything under a millisecond; bucket i ≥ 1 holds [2^((i-1)/8), 2^(i/8)) ms.</summary>
    private readonly SortedDictionary<int, long> _counts = [];

    public long Count { get; private set; }

    public IReadOnlyDictionary<int, long> Buckets => _counts;

    public bool IsEmpty => Count == 0;

    public void Add(TimeSpan duration) => Add(BucketOf(duration.TotalMilliseconds), 1);

    public void Add(int bucket, long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bucket);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0)
        {
            return;
        }

        _counts[bucket] = _counts.GetValueOrDefault(bucket) + count;
        Count += count;
    }

    public void Merge(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var (bucket, count) in other._counts)
        {
            Add(bucket, count);
        }
    }

    /// <summary>The duration in milliseconds below which the fraction <paramref name="q"/> of the samples fall; null when empty.</summary>
    /// <remarks>Interpolates geometrically inside the bucket the quantile falls in.</remarks>
    public double? Quantile(double q)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(q, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(q, 1);
        if (Count == 0)
        {
            return null;
        }

        var rank = q * Count;
        long seen = 0;
        foreach (var (bucket, count) in _counts)
        {
            if (seen + count >= rank)
            {
                var within = count == 0 ? 0 : (rank - seen) / count;
                var lower = LowerBound(bucket);
                var upper = UpperBound(bucket);
                return bucket == 0 ? upper * within : lower * Math.Pow(upper / lower, within);
            }

            seen += count;
        }

        return UpperBound(_counts.Keys.Last());
    }

    public static int BucketOf(double milliseconds) =>
        milliseconds < 1 ? 0 : 1 + (int)Math.Floor(Math.Log2(milliseconds) * BucketsPerDoubling);

    private static double LowerBound(int bucket) => bucket == 0 ? 0 : Math.Pow(2, (bucket - 1) / BucketsPerDoubling);

    private static double UpperBound(int bucket) => Math.Pow(2, bucket / BucketsPerDoubling);
}
