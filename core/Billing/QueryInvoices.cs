using Workforce.Core.Storage;

namespace Workforce.Core.Billing;

/// <summary>A tenant's invoices, for the tenant's own key (not an agent's).</summary>
public sealed class QueryInvoices(IWorkforceStore store)
{
    public const int MaxInvoices = 120;

    public async Task<Outcome<IReadOnlyList<Invoice>>> ListAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.IsAgent
            ? Failure.Forbidden("Agent keys cannot read invoices; use a tenant key.")
            : Outcome<IReadOnlyList<Invoice>>.Success(await store.ListInvoicesAsync(caller.TenantId, MaxInvoices, cancellationToken));
    }

    public async Task<Outcome<Invoice>> GetAsync(Caller caller, string invoiceId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsAgent)
        {
            return Failure.Forbidden("Agent keys cannot read invoices; use a tenant key.");
        }

        return await store.FindInvoiceAsync(caller.TenantId, invoiceId, cancellationToken) is { } invoice ? invoice : Failure.NotFound($"Invoice {invoiceId}");
    }
}
