using Workforce.Core.Notifications;

namespace Workforce.Core.Tests.Notifications;

public sealed class DeliveryScheduleTests
{
    private static readonly DateTimeOffset FailedAt = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Retries_follow_the_standard_schedule_and_then_stop()
    {
        var schedule = new DeliverySchedule(new NotificationOptions { RetryJitter = 0 });

        var delays = Enumerable.Range(1, 8).Select(attempts => schedule.NextAttemptAt(attempts, FailedAt, null) - FailedAt).ToList();

        Assert.Equal(
            [TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10), null],
            delays);
        Assert.Equal(8, schedule.MaxAttempts);
    }

    [Fact]
    public void Jitter_only_shortens_a_delay_and_by_at_most_its_share()
    {
        var schedule = new DeliverySchedule(new NotificationOptions { RetryJitter = 0.1 }, new Random(7));

        var delays = Enumerable.Range(0, 200).Select(_ => schedule.NextAttemptAt(2, FailedAt, null)!.Value - FailedAt).ToList();

        Assert.All(delays, d => Assert.InRange(d, TimeSpan.FromMinutes(4.5), TimeSpan.FromMinutes(5)));
        Assert.True(delays.Distinct().Count() > 100);
    }

    [Fact]
    public void A_longer_Retry_After_pushes_the_retry_back_up_to_the_cap_and_a_shorter_one_changes_nothing()
    {
        var schedule = new DeliverySchedule(new NotificationOptions { RetryJitter = 0, MaxRetryAfter = TimeSpan.FromHours(1) });

        Assert.Equal(FailedAt + TimeSpan.FromMinutes(10), schedule.NextAttemptAt(1, FailedAt, TimeSpan.FromMinutes(10)));
        Assert.Equal(FailedAt + TimeSpan.FromHours(1), schedule.NextAttemptAt(1, FailedAt, TimeSpan.FromDays(2)));
        Assert.Equal(FailedAt + TimeSpan.FromMinutes(5), schedule.NextAttemptAt(2, FailedAt, TimeSpan.FromSeconds(1)));
    }
}
