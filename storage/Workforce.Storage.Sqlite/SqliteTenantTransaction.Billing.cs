using Workforce.Core.Billing;
using Workforce.Core.Storage;

namespace Workforce.Storage.Sqlite;

/// <summary>Invoices inside the transaction: a row per invoice, its body the whole invoice.</summary>
internal sealed partial class SqliteTenantTransaction
{
    public ValueTask<Invoice?> FindInvoiceAsync(string invoiceId)
    {
        var command = commands.Get(Sql.FindInvoice);
        command.Parameters.AddWithValue("$tenant", tenantId);
        command.Parameters.AddWithValue("$id", invoiceId);
        return ValueTask.FromResult(command.ExecuteScalar() is string body ? StoredJson.Deserialize<Invoice>(body) : null);
    }

    public void Save(Invoice invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        EnsureSameTenant(invoice.TenantId);
        var command = commands.Get(Sql.UpsertInvoice);
        command.Parameters.AddWithValue("$tenant", tenantId);
        command.Parameters.AddWithValue("$id", invoice.Id);
        command.Parameters.AddWithValue("$start", invoice.Period.Start.UtcTicks);
        command.Parameters.AddWithValue("$body", StoredJson.Serialize(invoice));
        command.ExecuteNonQuery();
    }
}
