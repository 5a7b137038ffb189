using Workforce.Core.Tasks;

namespace Workforce.Core.Tests.Tasks;

public sealed class RetryBackoffTests
{
    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 4)]
    [InlineData(3, 8)]
    [InlineData(7, 128)]
    public void Delay_doubles_from_two_seconds_per_attempt(int attempt, int expectedSeconds)
    {
        var backoff = new RetryBackoff { JitterRatio = 0 };

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), backoff.DelayAfter(attempt, random: 0.5));
    }

    [Fact]
    public void Delay_is_capped_at_five_minutes()
    {
        var backoff = new RetryBackoff { JitterRatio = 0 };

        Assert.Equal(TimeSpan.FromMinutes(5), backoff.DelayAfter(20, random: 0));
    }

    [Fact]
    public void Jitter_shortens_the_delay_by_at_most_its_ratio()
    {
        var backoff = new RetryBackoff { JitterRatio = 0.2 };
        var random = new Random(7);

        for (var i = 0; i < 1_000; i++)
        {
            var attempt = random.Next(1, 12);
            var exact = new RetryBackoff { JitterRatio = 0 }.DelayAfter(attempt, 0);
            var delay = backoff.DelayAfter(attempt, random.NextDouble());
            Assert.InRange(delay, exact * 0.8, exact);
        }
    }

    [Fact]
    public void Jitter_spreads_tasks_that_fail_together()
    {
        var backoff = new RetryBackoff();

        Assert.NotEqual(backoff.DelayAfter(3, 0.1), backoff.DelayAfter(3, 0.9));
    }
}
