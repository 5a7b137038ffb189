namespace Workforce.Core.Tasks;

/// <summary>
/// Exponential backoff with jitter for retried tasks: <c>baseDelay × multiplier^(attempt-1)</c>, capped, then
/// shortened by up to <see cref="JitterRatio"/> so that tasks failing together do not all return together.
/// </summary>
public sealed class RetryBackoff
{
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    public double Multiplier { get; set; } = 2;

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>0 gives exact delays; 0.2 gives delays between 80% and 100% of the exponential value.</summary>
    public double JitterRatio { get; set; } = 0.2;

    /// <param name="attempt">The 1-based attempt that just failed.</param>
    /// <param name="random">A value in [0, 1); tests pass a fixed one.</param>
    public TimeSpan DelayAfter(int attempt, double random)
    {
        var exponent = Math.Max(0, attempt - 1);
        var exponential = BaseDelay.TotalMilliseconds * Math.Pow(Multiplier, exponent);
        var capped = Math.Min(exponential, MaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (1 - (JitterRatio * random)));
    }
}
