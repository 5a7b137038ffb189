using Azure.Data.Tables;

namespace Workforce.Storage.Azure.Tables;

/// <summary>
/// The ids of all tenants, in one partition of their own table, for the jobs that visit every tenant (silent
/// agents, purges): a query across every tenant partition would scan the whole data table.
/// </summary>
internal sealed class TenantRegistry(AzureStorage storage)
{
    private const string Partition = "tenant";

    /// <summary>Idempotent; written before the tenant's own rows, so a registered tenant may turn out to have none.</summary>
    public Task RegisterAsync(string tenantId, CancellationToken cancellationToken) =>
        storage.Tenants.UpsertEntityAsync(new TableEntity(Partition, tenantId), TableUpdateMode.Replace, cancellationToken);

    public async IAsyncEnumerable<string> AllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in storage.Tenants.QueryAllAsync(TableFilter.Partition(Partition), cancellationToken))
        {
            yield return row.RowKey;
        }
    }
}
