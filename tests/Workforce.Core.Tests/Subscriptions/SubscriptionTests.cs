using Workforce.Core.Plans;
using Workforce.Core.Subscriptions;
using Workforce.Core.Usage;

namespace Workforce.Core.Tests.Subscriptions;

public sealed class SubscriptionTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly PlanCatalogue Plans = new(new BillingOptions());
    private static readonly Plan Free = Plans.Get(Plan.Free);
    private static readonly Plan Professional = Plans.Get(Plan.Professional);

    private readonly Subscription _free = Subscription.StartFree("acme", Start, TimeSpan.FromDays(30));

    [Fact]
    public void Periods_are_anchored_at_the_start_and_as_long_as_configured()
    {
        var third = _free.PeriodContaining(Start.AddDays(65));

        Assert.Equal(Start.AddDays(60), third.Start);
        Assert.Equal(Start.AddDays(90), third.End);
        Assert.Equal(new BillingPeriod(Start, Start.AddDays(30)), _free.PeriodContaining(Start));
    }

    [Fact]
    public void The_share_of_a_period_left_is_counted_to_the_second()
    {
        var period = _free.PeriodContaining(Start);

        Assert.Equal(0.5m, period.RemainingShare(Start.AddDays(15)));
        Assert.Equal(1m / (30 * 86_400), period.RemainingShare(period.End.AddSeconds(-1)));
    }

    [Fact]
    public void Free_blocks_at_its_limit_and_says_when_it_resets()
    {
        var usage = PeriodUsage.Empty(Start, 0).Add(Meter.Tasks, 999);

        Assert.Null(_free.Admit(Free, usage, Meter.Tasks, 1, Start.AddDays(1)));
        var refusal = _free.Admit(Free, usage.Add(Meter.Tasks, 1), Meter.Tasks, 1, Start.AddDays(1));

        Assert.Equal(new QuotaRefusal(Meter.Tasks, 1_000, 1_000, Start.AddDays(30)), refusal);
    }

    [Fact]
    public void Allowed_overage_runs_to_the_percentage_cap_and_no_further()
    {
        var professional = _free.ChangePlan(Free, Professional, Start) with { Overage = OveragePolicy.Allow, OverageCapPercent = 150 };
        var usage = PeriodUsage.Empty(Start, 0).Add(Meter.Tasks, 14_999);

        Assert.Null(professional.Admit(Professional, usage, Meter.Tasks, 1, Start));
        Assert.NotNull(professional.Admit(Professional, usage.Add(Meter.Tasks, 1), Meter.Tasks, 1, Start));
    }

    [Fact]
    public void A_spend_cap_stops_overage_when_its_cost_would_pass_the_cap()
    {
        // 1,000 tasks over the limit cost 5.00 USD at the default Professional price.
        var capped = _free.ChangePlan(Free, Professional, Start) with { Overage = OveragePolicy.Allow, OverageSpendCap = new Money(5m, "USD") };
        var usage = PeriodUsage.Empty(Start, 0).Add(Meter.Tasks, 10_999);

        Assert.Null(capped.Admit(Professional, usage, Meter.Tasks, 1, Start));
        Assert.NotNull(capped.Admit(Professional, usage.Add(Meter.Tasks, 1), Meter.Tasks, 1, Start));
        Assert.Equal(new Money(5m, "USD"), Subscription.OverageCost(Professional, usage.Add(Meter.Tasks, 1)));
    }

    [Fact]
    public void A_suspended_subscription_admits_nothing()
    {
        var suspended = _free with { Status = SubscriptionStatus.Suspended };

        var refusal = suspended.Admit(Free, PeriodUsage.Empty(Start, 0), Meter.ApiCalls, 1, Start);

        Assert.True(refusal!.Suspended);
        Assert.Equal(FailureKind.QuotaExceeded, refusal.ToFailure(Start).Kind);
    }

    [Fact]
    public void Compute_used_up_refuses_submissions_and_leases_but_not_the_usage_already_running()
    {
        var usage = PeriodUsage.Empty(Start, 0).Add(Meter.ComputeMinutes, 100 * 60);

        Assert.Equal(Meter.ComputeMinutes, _free.AdmitSubmission(Free, usage, 0, Start)!.Meter);
        Assert.Equal(Meter.ComputeMinutes, _free.AdmitLease(Free, usage, Start)!.Meter);
        Assert.Null(_free.AdmitLease(Free, PeriodUsage.Empty(Start, 0).Add(Meter.ComputeMinutes, (100 * 60) - 1), Start));
    }

    [Fact]
    public void An_upgrade_takes_effect_at_once_and_is_recorded_for_proration()
    {
        var at = Start.AddDays(10);

        var upgraded = _free.ChangePlan(Free, Professional, at);

        Assert.Equal(Plan.Professional, upgraded.PlanIdAt(at));
        Assert.Equal([new PlanChange(at, Plan.Free, Plan.Professional, Free.Price, Professional.Price)], upgraded.ChangesThisPeriod);
        Assert.Null(upgraded.Scheduled);
    }

    [Fact]
    public void A_downgrade_waits_for_the_period_end_and_the_roll_over_applies_it()
    {
        var professional = _free.ChangePlan(Free, Professional, Start) with { Overage = OveragePolicy.Allow };

        var downgrading = professional.ChangePlan(Professional, Free, Start.AddDays(10));

        Assert.Equal(Plan.Professional, downgrading.PlanIdAt(Start.AddDays(29)));
        Assert.Equal(Plan.Free, downgrading.PlanIdAt(Start.AddDays(30)));
        var rolled = downgrading.RollOver(Start.AddDays(30), Plans);
        Assert.Equal(Plan.Free, rolled.PlanId);
        Assert.Equal(OveragePolicy.Block, rolled.Overage);
        Assert.Empty(rolled.ChangesThisPeriod);
        Assert.Null(rolled.Scheduled);
    }

    [Fact]
    public void Enterprise_terms_set_for_the_tenant_replace_the_catalogue_ones()
    {
        var enterprise = _free with { PlanId = Plan.Enterprise, CustomLimits = new QuotaLimits(50_000, null, null, 1_000_000), CustomPrice = new Money(1_200m, "USD") };

        var plan = enterprise.PlanAt(Start, Plans);

        Assert.Equal(50_000, plan.Limits.Tasks);
        Assert.Null(plan.Limits.ComputeMinutes);
        Assert.Equal(1_200m, plan.Price.Amount);
    }

    [Fact]
    public void Money_rounds_to_minor_units_half_away_from_zero_and_never_mixes_currencies()
    {
        Assert.Equal(4901, new Money(49.005m, "USD").MinorUnits);
        Assert.Throws<InvalidOperationException>(() => new Money(1m, "USD") + new Money(1m, "EUR"));
    }

    [Fact]
    public void The_catalogue_refuses_a_free_plan_that_charges_or_allows_overage()
    {
        var options = new BillingOptions();
        options.Plans[Plan.Free].AllowsOverage = true;
        options.Plans[Plan.Professional].Tasks = -1;
        options.Plans[Plan.Enterprise].StorageGigabytes = 1e12m;

        var problems = options.Problems().ToList();

        Assert.Contains(problems, p => p.Contains("Free plan", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("professional", StringComparison.Ordinal) && p.Contains("negative", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("enterprise", StringComparison.Ordinal) && p.Contains("storage", StringComparison.Ordinal));
        Assert.Empty(new BillingOptions().Problems());
    }
}
