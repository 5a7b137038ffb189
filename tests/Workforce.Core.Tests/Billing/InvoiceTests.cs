using Workforce.Core.Billing;
using Workforce.Core.Plans;
using Workforce.Core.Subscriptions;
using Workforce.Core.Usage;

namespace Workforce.Core.Tests.Billing;

public sealed class InvoiceTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly BillingPeriod Period = new(Start, Start.AddDays(30));
    private static readonly PlanCatalogue Plans = new(new BillingOptions());
    private static readonly Plan Free = Plans.Get(Plan.Free);
    private static readonly Plan Professional = Plans.Get(Plan.Professional);

    private static PeriodSummary Summary(Plan plan, PeriodUsage usage, params PlanChange[] changes) =>
        new("acme", Period, plan.Id, plan.Price, usage, Subscription.OverageCost(plan, usage), changes, Period.End);

    [Fact]
    public void A_free_period_within_its_limits_is_recorded_and_not_charged()
    {
        var invoice = Invoice.Issue(Summary(Free, PeriodUsage.Empty(Start, 0).Add(Meter.Tasks, 999)), Free, Period.End);

        Assert.Equal(0, invoice.TotalMinor);
        Assert.Equal(InvoiceStatus.NotCharged, invoice.Status);
        Assert.Equal(InvoiceLineKind.PlanFee, Assert.Single(invoice.Lines).Kind);
    }

    [Fact]
    public void An_invoice_in_a_currency_without_minor_units_is_billed_in_whole_units()
    {
        var yen = new PlanCatalogue(new BillingOptions { Currency = "JPY" }).Get(Plan.Professional);
        // 500 tasks over at 5 per thousand: 2.5 yen, billed as 3.
        var usage = PeriodUsage.Empty(Start, 0).Add(Meter.Tasks, 10_500);

        var invoice = Invoice.Issue(Summary(yen, usage), yen, Period.End);

        Assert.Equal([49, 3], invoice.Lines.Select(l => l.AmountMinor));
        Assert.Equal(52m, Money.FromMinorUnits(invoice.TotalMinor, "JPY").Amount);
        Assert.Equal(5_200, new Money(52m, "USD").MinorUnits);
    }

    [Fact]
    public void Overage_is_billed_per_meter_at_the_plan_unit_prices()
    {
        // 500 tasks over (2.50), 30 minutes over (1.20), 2 GB over on the peak (1.00), 20,000 calls over (2.00).
        var usage = new PeriodUsage(Start, 10_500, (1_030 * 60) + 1, 120_000, 0, 12 * Plan.BytesPerGigabyte);

        var invoice = Invoice.Issue(Summary(Professional, usage), Professional, Period.End);

        var overage = invoice.Lines.Where(l => l.Kind == InvoiceLineKind.Overage).Select(l => l.AmountMinor).ToList();
        Assert.Equal([250, 120, 200, 100], overage);
        Assert.Equal(4_900 + 250 + 120 + 200 + 100, invoice.TotalMinor);
        Assert.Equal(InvoiceStatus.Open, invoice.Status);
    }

    [Fact]
    public void An_upgrade_ten_days_in_credits_the_unused_fee_and_charges_the_new_one_to_the_second()
    {
        var at = Start.AddDays(10);
        var change = new PlanChange(at, Plan.Free, Plan.Professional, Free.Price, Professional.Price);

        var invoice = Invoice.Issue(Summary(Professional, PeriodUsage.Empty(Start, 0), change), Professional, Period.End);

        // Two thirds of the period left: 49.00 × 2/3 = 32.666… → 32.67.
        Assert.Equal([0, 0, 3_267], invoice.Lines.Select(l => l.AmountMinor));
        Assert.Equal([InvoiceLineKind.PlanFee, InvoiceLineKind.ProrationCredit, InvoiceLineKind.ProrationCharge], invoice.Lines.Select(l => l.Kind));
        Assert.Equal(3_267, invoice.TotalMinor);
    }

    [Fact]
    public void Its_id_names_the_tenant_and_period_so_the_admin_routes_find_the_tenant()
    {
        var id = Invoice.IdFor("0195f1c2d3e4a5b6c7d8e9f0a1b2c3d4", Period);

        Assert.Equal("0195f1c2d3e4a5b6c7d8e9f0a1b2c3d4", Invoice.TenantOf(id));
        Assert.Equal("default", Invoice.TenantOf(Invoice.IdFor("default", Period)));
        Assert.Null(Invoice.TenantOf("inv-nonsense"));
        Assert.Null(Invoice.TenantOf("something-else-20260101000000"));
    }

    [Fact]
    public void Refunds_are_limited_to_what_was_paid_and_a_whole_refund_marks_the_invoice()
    {
        var invoice = Invoice.Issue(Summary(Professional, PeriodUsage.Empty(Start, 0)), Professional, Period.End);
        Assert.NotNull(invoice.RefundRefusal(100));

        var paid = invoice.RecordCharge(new ChargeAttempt(1, Period.End, true, "CAPTURE-1", null));
        var partly = paid.RecordRefund(new InvoiceRefund("r1", 1_000, "goodwill", Period.End, null));

        Assert.Equal(InvoiceStatus.Paid, partly.Status);
        Assert.NotNull(partly.RefundRefusal(3_901));
        Assert.Null(partly.RefundRefusal(3_900));
        Assert.Equal(InvoiceStatus.Refunded, partly.RecordRefund(new InvoiceRefund("r2", 3_900, "closing", Period.End, null)).Status);
    }
}
