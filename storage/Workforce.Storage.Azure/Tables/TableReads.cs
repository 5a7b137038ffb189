using Azure.Data.Tables;

namespace Workforce.Storage.Azure.Tables;

/// <summary>A page of a query and the SDK's continuation token to the next one, if any.</summary>
internal sealed record TablePage(IReadOnlyList<TableEntity> Entities, string? Continuation);

/// <summary>Point reads and paged queries as the adapters use them: an absent entity is null, a page is one request.</summary>
internal static class TableReads
{
    /// <summary>The most entities one query page returns.</summary>
    public const int MaxPageSize = 1000;

    /// <returns>The entity with its ETag, or null when it does not exist.</returns>
    public static async Task<TableEntity?> FindAsync(this TableClient table, string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        var response = await table.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>Every entity the filter matches, following continuations page by page.</summary>
    /// <param name="filter">An OData filter; build it with <see cref="TableFilter"/>.</param>
    /// <param name="select">Only these properties, when the rest would be read for nothing.</param>
    public static IAsyncEnumerable<TableEntity> QueryAllAsync(this TableClient table, string filter, CancellationToken cancellationToken, IEnumerable<string>? select = null) =>
        table.QueryAsync<TableEntity>(filter, MaxPageSize, select, cancellationToken);

    /// <summary>One page: at most <paramref name="top"/> entities (a page may hold fewer and still continue).</summary>
    /// <param name="select">Only these properties, when the rest would be read for nothing.</param>
    public static async Task<TablePage> QueryPageAsync(
        this TableClient table, string filter, int top, string? continuation, CancellationToken cancellationToken, IEnumerable<string>? select = null)
    {
        var size = Math.Clamp(top, 1, MaxPageSize);
        await foreach (var page in table.QueryAsync<TableEntity>(filter, size, select, cancellationToken).AsPages(continuation, size))
        {
            return new TablePage(page.Values, page.ContinuationToken);
        }

        return new TablePage([], null);
    }

    /// <summary>The row of the tenant's period that starts at <paramref name="periodStart"/>, or of the last period before it, or null.</summary>
    public static async Task<TableEntity?> FindLatestUsageAsync(this TableClient table, string tenantId, DateTimeOffset periodStart, CancellationToken cancellationToken)
    {
        var page = await table.QueryPageAsync(TableFilter.RowsFrom(tenantId, RowKeys.UsagePrefix, RowKeys.Usage(periodStart)), 1, null, cancellationToken);
        return page.Entities.Count > 0 ? page.Entities[0] : null;
    }
}
