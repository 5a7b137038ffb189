using Workforce.Core.Billing;
using Workforce.Core.Plans;

namespace Workforce.Api.Billing;

public sealed record InvoiceLineResponse(string Kind, string Description, decimal Quantity, string Unit, decimal UnitPrice, decimal Amount);

public sealed record ChargeAttemptResponse(int Number, DateTimeOffset At, bool Succeeded, string? PaymentId, string? Failure);

public sealed record InvoiceRefundResponse(string Id, decimal Amount, string Reason, DateTimeOffset At);

/// <summary>An invoice; amounts in the currency's units (two decimals, none for JPY and its like), computed from whole minor units.</summary>
public sealed record InvoiceResponse(
    string Id,
    string Status,
    string Plan,
    DateTimeOffset PeriodStart,
    DateTimeOffset PeriodEnd,
    DateTimeOffset IssuedAt,
    DateTimeOffset? PaidAt,
    string Currency,
    decimal Total,
    decimal Refunded,
    IReadOnlyList<InvoiceLineResponse> Lines,
    IReadOnlyList<ChargeAttemptResponse> Attempts,
    IReadOnlyList<InvoiceRefundResponse> Refunds)
{
    public static InvoiceResponse From(Invoice invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        decimal Units(long minor) => Money.FromMinorUnits(minor, invoice.Currency).Amount;
        return new InvoiceResponse(
            invoice.Id, InvoiceNames.Of(invoice.Status), invoice.PlanId, invoice.Period.Start, invoice.Period.End, invoice.IssuedAt, invoice.PaidAt, invoice.Currency,
            Units(invoice.TotalMinor), Units(invoice.RefundedMinor),
            [.. invoice.Lines.Select(l => new InvoiceLineResponse(InvoiceNames.Of(l.Kind), l.Description, decimal.Round(l.Quantity, 6), l.Unit, l.UnitPrice, Units(l.AmountMinor)))],
            [.. invoice.Attempts.Select(a => new ChargeAttemptResponse(a.Number, a.At, a.Succeeded, a.PaymentId, a.Failure))],
            [.. invoice.Refunds.Select(r => new InvoiceRefundResponse(r.Id, Units(r.AmountMinor), r.Reason, r.At))]);
    }
}

public sealed record InvoiceListResponse(IReadOnlyList<InvoiceResponse> Items);

public sealed record RefundRequest(decimal? Amount, string? Reason);
