namespace Workforce.Core.Notifications;

/// <summary>When a failed delivery is tried again: the next step of the schedule, less jitter, or later if the peer asked (<c>Retry-After</c>).</summary>
public sealed class DeliverySchedule(NotificationOptions options, Random random)
{
    public DeliverySchedule(NotificationOptions options)
        : this(options, Random.Shared)
    {
    }

    /// <summary>Attempts in one run: the first, and one per step of the schedule.</summary>
    public int MaxAttempts => options.Retries.Count + 1;

    /// <param name="attemptsInRun">Attempts made in this run so far, the failed one included.</param>
    /// <returns>When to try again; null when the schedule has run out.</returns>
    public DateTimeOffset? NextAttemptAt(int attemptsInRun, DateTimeOffset failedAt, TimeSpan? retryAfter)
    {
        if (attemptsInRun >= MaxAttempts)
        {
            return null;
        }

        var step = options.Retries[attemptsInRun - 1];
        var delay = step - (step * options.RetryJitter * random.NextDouble());
        if (retryAfter is { } asked && asked > delay)
        {
            delay = asked < options.MaxRetryAfter ? asked : options.MaxRetryAfter;
        }

        return failedAt + delay;
    }
}
