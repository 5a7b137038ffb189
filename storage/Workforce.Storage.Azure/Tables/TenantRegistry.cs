using Azure.Data.Tables;
using Workforce.Core.Storage;

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

    /// <summary>
    /// Ids in key order after the cursor's: the cursor is the last id shown, not the service's continuation, so it
    /// stays valid however the service splits its pages. Rows are read until the page is full or the range ends.
    /// </summary>
    public async Task<Page<string>> PageAsync(PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        var filter = page.Cursor is { } cursor
            ? TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and RowKey gt {PageCursors.Decode("tenants", cursor)}")
            : TableFilter.Partition(Partition);
        var ids = new List<string>(page.Limit + 1);
        await foreach (var row in storage.Tenants.QueryAsync<TableEntity>(filter, Math.Min(page.Limit + 1, TableReads.MaxPageSize), ["RowKey"], cancellationToken))
        {
            ids.Add(row.RowKey);
            if (ids.Count > page.Limit)
            {
                return new Page<string>(ids[..page.Limit], PageCursors.Encode("tenants", ids[page.Limit - 1]));
            }
        }

        return new Page<string>(ids, null);
    }
}
