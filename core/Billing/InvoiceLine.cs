namespace Workforce.Core.Billing;

public enum InvoiceLineKind
{
    PlanFee,
    ProrationCredit,
    ProrationCharge,
    Overage,
}

/// <summary>One line of an invoice: what, how much of it at what unit price, and the amount in minor units (cents).</summary>
public sealed record InvoiceLine(InvoiceLineKind Kind, string Description, decimal Quantity, string Unit, decimal UnitPrice, long AmountMinor);
