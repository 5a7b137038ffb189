using Azure.Data.Tables;
using Workforce.Core.Billing;

namespace Workforce.Storage.Azure.Tables;

/// <summary>
/// Invoices in the tenant's partition, a row each, written with the commit: one read in this transaction is replaced
/// only if unchanged since, one seen absent is inserted (so a concurrent first issue conflicts), and one never read
/// is upserted.
/// </summary>
internal sealed partial class AzureTenantTransaction
{
    private readonly Dictionary<string, TableEntity?> _storedInvoices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Invoice> _invoices = new(StringComparer.Ordinal);

    public async ValueTask<Invoice?> FindInvoiceAsync(string invoiceId)
    {
        if (_invoices.TryGetValue(invoiceId, out var saved))
        {
            return saved;
        }

        var row = await Table.FindAsync(tenantId, RowKeys.Invoice(invoiceId), cancellationToken);
        _storedInvoices[invoiceId] = row;
        return row is null ? null : TableRows.Invoice(row);
    }

    public void Save(Invoice invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        EnsureSameTenant(invoice.TenantId);
        _invoices[invoice.Id] = invoice;
    }

    private OperationGroup? InvoiceOperations() => _invoices.Count == 0 ? null : new OperationGroup(
        [.. _invoices.Values.Select(invoice => _storedInvoices.TryGetValue(invoice.Id, out var stored)
            ? stored is null ? TableActions.Insert(TableRows.Invoice(invoice)) : TableActions.Replace(TableRows.Invoice(invoice), stored.ETag)
            : TableActions.Upsert(TableRows.Invoice(invoice)))],
        0);
}
