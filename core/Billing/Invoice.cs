using Workforce.Core.Plans;
using Workforce.Core.Subscriptions;
using Workforce.Core.Usage;

namespace Workforce.Core.Billing;

public enum InvoiceStatus
{
    /// <summary>Issued and not yet paid; a charge is due or being retried.</summary>
    Open,

    Paid,

    /// <summary>Nothing to charge (a zero total): recorded, not charged.</summary>
    NotCharged,

    /// <summary>Billing runs offline (no payment provider configured): issued, nothing charged.</summary>
    Offline,

    /// <summary>Every charge attempt failed and the grace period passed: the tenant is suspended until it pays.</summary>
    Uncollectible,

    Refunded,
}

/// <summary>A charge of an invoice: its attempt number, and what the payment provider answered.</summary>
public sealed record ChargeAttempt(int Number, DateTimeOffset At, bool Succeeded, string? PaymentId, string? Failure);

public sealed record InvoiceRefund(string Id, long AmountMinor, string Reason, DateTimeOffset At, string? PaymentId);

/// <summary>
/// What a closed billing period costs the tenant: the plan fee, the proration of plan changes made in the period
/// (to the second), and overage per meter at the plan's unit prices; totals in minor units with the currency. Its id
/// is derived from the tenant and period, so issuing it again finds the first.
/// </summary>
public sealed record Invoice
{
    public required string Id { get; init; }

    public required string TenantId { get; init; }

    public required BillingPeriod Period { get; init; }

    public required string PlanId { get; init; }

    public required string Currency { get; init; }

    public required IReadOnlyList<InvoiceLine> Lines { get; init; }

    public required DateTimeOffset IssuedAt { get; init; }

    public InvoiceStatus Status { get; init; } = InvoiceStatus.Open;

    public IReadOnlyList<ChargeAttempt> Attempts { get; init; } = [];

    public IReadOnlyList<InvoiceRefund> Refunds { get; init; } = [];

    public DateTimeOffset? PaidAt { get; init; }

    public long TotalMinor => Lines.Sum(line => line.AmountMinor);

    /// <summary>Whether a charge is due: open, or uncollectible after dunning, which a payment still settles.</summary>
    public bool IsCollectable => Status is InvoiceStatus.Open or InvoiceStatus.Uncollectible;

    public long RefundedMinor => Refunds.Sum(refund => refund.AmountMinor);

    /// <summary>The payment refunds are made against: the successful charge.</summary>
    public string? PaymentId => Attempts.LastOrDefault(a => a.Succeeded)?.PaymentId;

    private const string IdPrefix = "inv-";
    private const int PeriodDigits = 14;

    public static string IdFor(string tenantId, BillingPeriod period) => $"{IdPrefix}{tenantId}-{period.Start.UtcDateTime:yyyyMMddHHmmss}";

    /// <summary>The tenant an invoice id names, for the admin's routes; null when the text is no invoice id.</summary>
    public static string? TenantOf(string invoiceId) =>
        invoiceId.StartsWith(IdPrefix, StringComparison.Ordinal) && invoiceId.Length > IdPrefix.Length + PeriodDigits + 1
            && invoiceId[^(PeriodDigits + 1)] == '-' && invoiceId[^PeriodDigits..].All(char.IsAsciiDigit)
            ? invoiceId[IdPrefix.Length..^(PeriodDigits + 1)]
            : null;

    /// <summary>The invoice of a closed period. A zero total is recorded as not charged.</summary>
    public static Invoice Issue(PeriodSummary summary, Plan plan, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(plan);
        var currency = plan.Price.Currency;
        var lines = new List<InvoiceLine>();
        // The fee of the plan the period began on; each change then credits the old fee and charges the new one for
        // the share of the period left when it was made.
        var startFee = summary.PlanChanges.Count > 0 ? summary.PlanChanges[0].FromPrice : summary.Fee;
        var startPlan = summary.PlanChanges.Count > 0 ? summary.PlanChanges[0].FromPlanId : summary.PlanId;
        lines.Add(new InvoiceLine(InvoiceLineKind.PlanFee, $"{startPlan} plan, {summary.Period.Start:yyyy-MM-dd} to {summary.Period.End:yyyy-MM-dd}", 1, "period",
            startFee.Amount, startFee.MinorUnits));
        foreach (var change in summary.PlanChanges)
        {
            var share = summary.Period.RemainingShare(change.At);
            lines.Add(new InvoiceLine(InvoiceLineKind.ProrationCredit, $"Unused {change.FromPlanId} from {change.At:u}", share, "period",
                -change.FromPrice.Amount, -(change.FromPrice * share).MinorUnits));
            lines.Add(new InvoiceLine(InvoiceLineKind.ProrationCharge, $"{change.ToPlanId} from {change.At:u}", share, "period",
                change.ToPrice.Amount, (change.ToPrice * share).MinorUnits));
        }

        foreach (var meter in Enum.GetValues<Meter>())
        {
            if (plan.Limits.For(meter) is { } limit && summary.Usage.Billed(meter) - limit is > 0 and var over)
            {
                lines.Add(OverageLine(meter, over, limit, plan));
            }
        }

        var invoice = new Invoice
        {
            Id = IdFor(summary.TenantId, summary.Period),
            TenantId = summary.TenantId,
            Period = summary.Period,
            PlanId = summary.PlanId,
            Currency = currency,
            Lines = lines,
            IssuedAt = at,
        };
        return invoice.TotalMinor <= 0 ? invoice with { Status = InvoiceStatus.NotCharged } : invoice;
    }

    /// <summary>Usage beyond a limit, shown in the unit its price is quoted in; the amount from the exact quantity.</summary>
    private static InvoiceLine OverageLine(Meter meter, long over, long limit, Plan plan)
    {
        var (quantity, unit, unitPrice) = meter switch
        {
            Meter.Tasks => (over, "task", plan.Overage.PerThousandTasks / 1_000m),
            Meter.ComputeMinutes => (MeterNames.InUnits(meter, over), "minute", plan.Overage.PerComputeMinute),
            Meter.StorageBytes => ((decimal)over / Plan.BytesPerGigabyte, "GB", plan.Overage.PerGigabyte),
            _ => (over, "call", plan.Overage.PerTenThousandApiCalls / 10_000m),
        };
        var amount = new Money(over * plan.Overage.PerUnit(meter), plan.Price.Currency);
        return new InvoiceLine(InvoiceLineKind.Overage, $"{MeterNames.Of(meter)} beyond {MeterNames.Format(meter, limit)}", quantity, unit, unitPrice, amount.MinorUnits);
    }

    public Invoice RecordCharge(ChargeAttempt attempt) => this with
    {
        Attempts = [.. Attempts, attempt],
        Status = attempt.Succeeded ? InvoiceStatus.Paid : Status,
        PaidAt = attempt.Succeeded ? attempt.At : PaidAt,
    };

    /// <returns>Why the refund cannot be made, or null when it can.</returns>
    public string? RefundRefusal(long amountMinor) =>
        Status is not (InvoiceStatus.Paid or InvoiceStatus.Refunded) ? "Only a paid invoice can be refunded."
        : amountMinor <= 0 ? "Refund a positive amount."
        : amountMinor > TotalMinor - RefundedMinor ? $"At most {Money.FromMinorUnits(TotalMinor - RefundedMinor, Currency)} is left to refund."
        : null;

    public Invoice RecordRefund(InvoiceRefund refund)
    {
        ArgumentNullException.ThrowIfNull(refund);
        var refunded = this with { Refunds = [.. Refunds, refund] };
        return refunded.RefundedMinor >= TotalMinor ? refunded with { Status = InvoiceStatus.Refunded } : refunded;
    }
}
