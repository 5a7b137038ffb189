using Workforce.Core.Plans;
using Workforce.Core.Usage;

namespace Workforce.Core.Subscriptions;

/// <summary>
/// A tenant's subscription: its plan, its billing periods (anchored at its start, each <see cref="PeriodLength"/>
/// long), its status and what happens at a limit. It decides whether metered work is admitted, and how plan
/// changes take effect: an upgrade at once (its fee prorated to the second), a downgrade at the period's end.
/// </summary>
public sealed record Subscription
{
    /// <summary>The cap on overage when none is chosen: usage may run to twice the limit.</summary>
    public const int DefaultOverageCapPercent = 200;

    public required string TenantId { get; init; }

    public required string PlanId { get; init; }

    /// <summary>When the first period began: every period starts a whole number of <see cref="PeriodLength"/> later.</summary>
    public required DateTimeOffset AnchoredAt { get; init; }

    public required TimeSpan PeriodLength { get; init; }

    public SubscriptionStatus Status { get; init; } = SubscriptionStatus.Active;

    public OveragePolicy Overage { get; init; } = OveragePolicy.Block;

    /// <summary>With overage allowed: the most of each limit that may be used, in percent (e.g. 150).</summary>
    public int? OverageCapPercent { get; init; }

    /// <summary>With overage allowed: the most the period's overage may cost.</summary>
    public Money? OverageSpendCap { get; init; }

    /// <summary>Enterprise terms set by the platform admin, in place of the plan's.</summary>
    public QuotaLimits? CustomLimits { get; init; }

    public Money? CustomPrice { get; init; }

    public OveragePrices? CustomOverage { get; init; }

    /// <summary>A downgrade or cancellation waiting for the period's end.</summary>
    public ScheduledPlanChange? Scheduled { get; init; }

    /// <summary>The plan changes of the current period, oldest first, for the invoice's proration.</summary>
    public IReadOnlyList<PlanChange> ChangesThisPeriod { get; init; } = [];

    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>How the tenant pays, once it checked out with the payment provider.</summary>
    public Billing.PaymentAccount? Payment { get; init; }

    /// <summary>The end of the last closed period; null until the first period closes.</summary>
    public DateTimeOffset? ClosedThrough { get; init; }

    /// <summary>The summary of the last closed period.</summary>
    public PeriodSummary? LastClosed { get; init; }

    /// <summary>The first period not yet closed: usage may still arrive in it until its end and the grace window pass.</summary>
    public BillingPeriod OpenPeriod => PeriodContaining(ClosedThrough ?? AnchoredAt);

    /// <summary>A new tenant's subscription: Free, starting now.</summary>
    public static Subscription StartFree(string tenantId, DateTimeOffset at, TimeSpan periodLength) => new()
    {
        TenantId = tenantId,
        PlanId = Plan.Free,
        AnchoredAt = at,
        PeriodLength = periodLength,
        UpdatedAt = at,
    };

    public BillingPeriod PeriodContaining(DateTimeOffset at)
    {
        var periods = Math.Max(0, (long)Math.Floor((at - AnchoredAt) / PeriodLength));
        var start = AnchoredAt + (PeriodLength * periods);
        return new BillingPeriod(start, start + PeriodLength);
    }

    /// <summary>The plan in force at <paramref name="at"/>: a scheduled change counts from its time on, before the roll-over records it.</summary>
    public string PlanIdAt(DateTimeOffset at) => Scheduled is { } next && at >= next.EffectiveAt ? next.PlanId : PlanId;

    /// <summary>The plan in force at <paramref name="at"/>, with the tenant's own terms in place of the catalogue's.</summary>
    public Plan PlanAt(DateTimeOffset at, PlanCatalogue catalogue)
    {
        ArgumentNullException.ThrowIfNull(catalogue);
        var plan = catalogue.Get(PlanIdAt(at));
        return plan.Id != Plan.Enterprise ? plan : plan with
        {
            Limits = CustomLimits ?? plan.Limits,
            Price = CustomPrice ?? plan.Price,
            Overage = CustomOverage ?? plan.Overage,
        };
    }

    /// <summary>
    /// Whether <paramref name="amount"/> more of the meter may be used: within the limit, or with overage allowed
    /// within both caps — each meter's percentage of its limit, and the period's whole overage cost; nothing while
    /// suspended.
    /// </summary>
    /// <returns>Null when admitted, else why not.</returns>
    public QuotaRefusal? Admit(Plan plan, PeriodUsage usage, Meter meter, long amount, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(usage);
        var period = PeriodContaining(at);
        var used = usage.Used(meter);
        if (Status == SubscriptionStatus.Suspended)
        {
            return new QuotaRefusal(meter, used, 0, period.End) { Suspended = true };
        }

        if (plan.Limits.For(meter) is not { } limit || used + amount <= limit)
        {
            return null;
        }

        if (Overage != OveragePolicy.Allow || !plan.AllowsOverage)
        {
            return new QuotaRefusal(meter, used, limit, period.End);
        }

        // With no cap chosen the default percentage applies; a spend cap alone bounds only the cost.
        int? percentCap = OverageCapPercent ?? (OverageSpendCap is null ? DefaultOverageCapPercent : null);
        var withinPercent = percentCap is not { } percent || used + amount <= limit * percent / 100;
        var withinSpend = OverageSpendCap is not { } cap || OverageCost(plan, usage.Add(meter, amount)).Amount <= cap.Amount;
        return withinPercent && withinSpend ? null : new QuotaRefusal(meter, used, limit, period.End);
    }

    /// <summary>
    /// Whether a task may be accepted: one more task, compute not used up (a tenant out of compute minutes gets no
    /// new work), and room for its payload.
    /// </summary>
    public QuotaRefusal? AdmitSubmission(Plan plan, PeriodUsage usage, long payloadBytes, DateTimeOffset at) =>
        Admit(plan, usage, Meter.Tasks, 1, at)
        ?? Admit(plan, usage, Meter.ComputeMinutes, 1, at)
        ?? (payloadBytes > 0 ? Admit(plan, usage, Meter.StorageBytes, payloadBytes, at) : null);

    /// <summary>Whether an agent may be handed a task: compute not used up. Tasks already running finish.</summary>
    public QuotaRefusal? AdmitLease(Plan plan, PeriodUsage usage, DateTimeOffset at) => Admit(plan, usage, Meter.ComputeMinutes, 1, at);

    /// <summary>What the usage beyond the plan's limits costs, at the plan's overage prices (storage on its peak).</summary>
    public static Money OverageCost(Plan plan, PeriodUsage usage)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(usage);
        var cost = Enum.GetValues<Meter>().Sum(m => plan.Limits.For(m) is { } limit ? Math.Max(0, usage.Billed(m) - limit) * plan.Overage.PerUnit(m) : 0m);
        return new Money(cost, plan.Price.Currency);
    }

    /// <summary>
    /// Moves to another plan: an upgrade (a higher fee) or a change at the same fee takes effect now and is recorded for
    /// proration; a downgrade is scheduled for the period's end. A pending downgrade is replaced.
    /// </summary>
    public Subscription ChangePlan(Plan current, Plan target, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(target);
        if (target.Price.Amount < current.Price.Amount)
        {
            return this with { Scheduled = new ScheduledPlanChange(target.Id, PeriodContaining(at).End), UpdatedAt = at };
        }

        return this with
        {
            PlanId = target.Id,
            Status = Status == SubscriptionStatus.Cancelled ? SubscriptionStatus.Active : Status,
            Scheduled = null,
            ChangesThisPeriod = [.. ChangesThisPeriod, new PlanChange(at, current.Id, target.Id, current.Price, target.Price)],
            Overage = target.AllowsOverage ? Overage : OveragePolicy.Block,
            UpdatedAt = at,
        };
    }

    /// <summary>Opens the period that starts at <paramref name="periodStart"/>: a scheduled change takes effect and the period's changes are done with.</summary>
    public Subscription RollOver(DateTimeOffset periodStart, PlanCatalogue catalogue)
    {
        ArgumentNullException.ThrowIfNull(catalogue);
        if (Scheduled is { } next && periodStart >= next.EffectiveAt)
        {
            var plan = catalogue.Get(next.PlanId);
            return this with
            {
                PlanId = next.PlanId,
                Scheduled = null,
                Status = Status == SubscriptionStatus.Cancelled ? SubscriptionStatus.Active : Status,
                Overage = plan.AllowsOverage ? Overage : OveragePolicy.Block,
                ChangesThisPeriod = [],
                UpdatedAt = periodStart,
            };
        }

        return this with { ChangesThisPeriod = [], UpdatedAt = periodStart };
    }
}

/// <summary>A change of plan that takes effect later (at the period's end).</summary>
public sealed record ScheduledPlanChange(string PlanId, DateTimeOffset EffectiveAt);

/// <summary>A change of plan during a period, with both fees, from which the invoice prorates to the second.</summary>
public sealed record PlanChange(DateTimeOffset At, string FromPlanId, string ToPlanId, Money FromPrice, Money ToPrice);
