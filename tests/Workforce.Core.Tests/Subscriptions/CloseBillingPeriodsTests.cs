using Workforce.Core.Plans;
using Workforce.Core.Subscriptions;
using Workforce.Core.Usage;

namespace Workforce.Core.Tests.Subscriptions;

public sealed class CloseBillingPeriodsTests
{
    private readonly Platform _platform = new();

    private CloseBillingPeriods Close => new(_platform.Store, _platform.Plans, _platform.Billing, _platform.Clock);

    [Fact]
    public async Task A_period_closes_only_after_its_grace_window_with_its_usage_frozen()
    {
        await _platform.SubmitAsync();
        var anchor = (await _platform.Store.FindSubscriptionAsync(Platform.TenantId))!.AnchoredAt;
        _platform.Clock.SetUtcNow(anchor + _platform.Billing.PeriodLength + _platform.Billing.GracePeriod - TimeSpan.FromSeconds(1));

        Assert.Empty((await Close.ExecuteAsync(Platform.TenantId)).Closed);

        _platform.Clock.Advance(TimeSpan.FromSeconds(1));
        var closing = await Close.ExecuteAsync(Platform.TenantId);

        var summary = Assert.Single(closing.Closed);
        Assert.Equal(anchor, summary.Period.Start);
        Assert.Equal(1, summary.Usage.Tasks);
        Assert.Equal(Plan.Free, summary.PlanId);
        Assert.Equal(anchor + (2 * _platform.Billing.PeriodLength) + _platform.Billing.GracePeriod, closing.NextCloseAt);
    }

    [Fact]
    public async Task Closing_again_closes_nothing_twice()
    {
        await _platform.SubmitAsync();
        _platform.Clock.Advance(_platform.Billing.PeriodLength + _platform.Billing.GracePeriod);

        Assert.Single((await Close.ExecuteAsync(Platform.TenantId)).Closed);
        Assert.Empty((await Close.ExecuteAsync(Platform.TenantId)).Closed);
    }

    [Fact]
    public async Task A_year_of_periods_missed_closes_each_once_in_order()
    {
        await _platform.SubmitAsync();
        _platform.Clock.Advance((12 * _platform.Billing.PeriodLength) + _platform.Billing.GracePeriod);

        var closed = (await Close.ExecuteAsync(Platform.TenantId)).Closed;

        Assert.Equal(12, closed.Count);
        Assert.Equal(closed.OrderBy(c => c.Period.Start), closed);
        Assert.Equal(1, closed.Sum(c => c.Usage.Tasks));
    }

    [Fact]
    public async Task Usage_late_within_the_grace_window_counts_in_its_own_period_and_later_in_the_current_one()
    {
        await _platform.SubmitAsync();
        var subscription = (await _platform.Store.FindSubscriptionAsync(Platform.TenantId))!;
        var firstEnd = subscription.PeriodContaining(_platform.Clock.GetUtcNow()).End;
        var metering = new UsageMetering(_platform.Billing, _platform.Plans);

        _platform.Clock.SetUtcNow(firstEnd + TimeSpan.FromMinutes(30));
        Assert.Equal(subscription.AnchoredAt, metering.PeriodOf(subscription, new UsageEvent("late", Meter.ApiCalls, 1, firstEnd.AddSeconds(-1)), _platform.Clock.GetUtcNow()));

        _platform.Clock.SetUtcNow(firstEnd + _platform.Billing.GracePeriod);
        Assert.Equal(firstEnd, metering.PeriodOf(subscription, new UsageEvent("later", Meter.ApiCalls, 1, firstEnd.AddSeconds(-1)), _platform.Clock.GetUtcNow()));
    }
}
