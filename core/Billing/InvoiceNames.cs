namespace Workforce.Core.Billing;

/// <summary>
/// The names invoice statuses and line kinds go by outside the process, in snake_case: the API, the reports and the
/// notification events all say the same thing.
/// </summary>
public static class InvoiceNames
{
    public static string Of(InvoiceStatus status) => status switch
    {
        InvoiceStatus.NotCharged => "not_charged",
        _ => status.ToString().ToLowerInvariant(),
    };

    public static string Of(InvoiceLineKind kind) => kind switch
    {
        InvoiceLineKind.PlanFee => "plan_fee",
        InvoiceLineKind.ProrationCredit => "proration_credit",
        InvoiceLineKind.ProrationCharge => "proration_charge",
        _ => "overage",
    };
}
