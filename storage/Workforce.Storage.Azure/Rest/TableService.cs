using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;

namespace Workforce.Storage.Azure.Rest;

/// <summary>A page of a query and the continuation to the next one, if any.</summary>
internal sealed record TableQueryPage(IReadOnlyList<TableEntity> Entities, TableContinuation? Next);

/// <summary>Where a query stopped (the service's x-ms-continuation headers); pass it back to go on.</summary>
internal sealed record TableContinuation(string PartitionKey, string? RowKey);

/// <summary>
/// The Table service: tables, single-entity operations, queries that follow continuation tokens, and entity-group
/// transactions (<see cref="TableTransaction"/>). Entities are read with <c>odata=minimalmetadata</c> so that each
/// carries its ETag and property types.
/// </summary>
internal sealed class TableService(StorageHttp http, Uri endpoint)
{
    private const string JsonWithTypes = "application/json;odata=minimalmetadata";

    /// <summary>The most entities one query page returns.</summary>
    public const int MaxPageSize = 1000;

    public async Task CreateTableIfNotExistsAsync(string table, CancellationToken cancellationToken)
    {
        try
        {
            using var _ = await SendAsync(HttpMethod.Post, new Uri(endpoint, "Tables"), Json(new JsonObject { ["TableName"] = table }), cancellationToken);
        }
        catch (StorageRequestException e) when (e.Status == HttpStatusCode.Conflict)
        {
        }
    }

    public async Task DeleteTableIfExistsAsync(string table, CancellationToken cancellationToken)
    {
        try
        {
            using var _ = await SendAsync(HttpMethod.Delete, new Uri(endpoint, $"Tables('{table}')"), null, cancellationToken);
        }
        catch (StorageRequestException e) when (e.Status == HttpStatusCode.NotFound)
        {
        }
    }

    /// <returns>The entity, or null when it does not exist.</returns>
    public async Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await SendAsync(HttpMethod.Get, EntityUri(table, partitionKey, rowKey), null, cancellationToken);
            var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!.AsObject();
            return TableEntity.FromJson(json, response.Headers.ETag?.ToString());
        }
        catch (StorageRequestException e) when (e.Status == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <param name="filter">An OData filter; build it with <see cref="TableFilter"/>.</param>
    /// <param name="top">At most this many entities (at most <see cref="MaxPageSize"/>); a page may hold fewer and still continue.</param>
    /// <param name="select">Only these properties (comma-separated), when the rest would be read for nothing.</param>
    public async Task<TableQueryPage> QueryPageAsync(string table, string filter, int top, TableContinuation? from, CancellationToken cancellationToken, string? select = null)
    {
        var query = new StringBuilder($"{table}()?$filter={Uri.EscapeDataString(filter)}&$top={Math.Min(top, MaxPageSize)}");
        if (select is not null)
        {
            query.Append("&$select=").Append(Uri.EscapeDataString(select));
        }

        if (from is not null)
        {
            query.Append("&NextPartitionKey=").Append(Uri.EscapeDataString(from.PartitionKey));
            if (from.RowKey is not null)
            {
                query.Append("&NextRowKey=").Append(Uri.EscapeDataString(from.RowKey));
            }
        }

        using var response = await SendAsync(HttpMethod.Get, new Uri(endpoint, query.ToString()), null, cancellationToken);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!;
        var entities = body["value"]!.AsArray().Select(e => TableEntity.FromJson(e!.AsObject())).ToList();
        var next = Header(response, "x-ms-continuation-NextPartitionKey") is { } nextPartition
            ? new TableContinuation(nextPartition, Header(response, "x-ms-continuation-NextRowKey"))
            : null;
        return new TableQueryPage(entities, next);
    }

    /// <summary>Every entity the filter matches, following continuations page by page.</summary>
    public async IAsyncEnumerable<TableEntity> QueryAsync(string table, string filter, [EnumeratorCancellation] CancellationToken cancellationToken, string? select = null)
    {
        TableContinuation? next = null;
        do
        {
            var page = await QueryPageAsync(table, filter, MaxPageSize, next, cancellationToken, select);
            foreach (var entity in page.Entities)
            {
                yield return entity;
            }

            next = page.Next;
        }
        while (next is not null);
    }

    /// <exception cref="StorageRequestException">409 when the entity exists.</exception>
    public async Task InsertAsync(string table, TableEntity entity, CancellationToken cancellationToken)
    {
        using var _ = await SendAsync(HttpMethod.Post, new Uri(endpoint, table), Json(entity.ToJson()), cancellationToken);
    }

    /// <summary>Insert or replace: the entity ends up exactly as given.</summary>
    public async Task UpsertAsync(string table, TableEntity entity, CancellationToken cancellationToken)
    {
        using var _ = await SendAsync(HttpMethod.Put, EntityUri(table, entity.PartitionKey, entity.RowKey), Json(entity.ToJson()), cancellationToken);
    }

    /// <returns>False when the entity did not exist.</returns>
    public async Task<bool> DeleteAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        try
        {
            using var _ = await SendAsync(HttpMethod.Delete, EntityUri(table, partitionKey, rowKey), null, cancellationToken, ifMatch: "*");
            return true;
        }
        catch (StorageRequestException e) when (e.Status == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>Runs the operations as one entity-group transaction: all of them or none.</summary>
    /// <exception cref="TableTransactionFailedException">One operation failed; nothing was written.</exception>
    public async Task SubmitTransactionAsync(string table, IReadOnlyList<TableOperation> operations, CancellationToken cancellationToken)
    {
        var transaction = new TableTransaction(new Uri(endpoint, table), operations);
        using var response = await http.SendAsync(StorageService.Table, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint, "$batch")) { Content = transaction.Content() };
            AddODataHeaders(request);
            return request;
        }, cancellationToken);
        transaction.ThrowIfFailed(await response.Content.ReadAsStringAsync(cancellationToken));
    }

    private Uri EntityUri(string table, string partitionKey, string rowKey) =>
        new(endpoint, $"{table}(PartitionKey='{Key(partitionKey)}',RowKey='{Key(rowKey)}')");

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri uri, byte[]? json, CancellationToken cancellationToken, string? ifMatch = null) =>
        http.SendAsync(StorageService.Table, () =>
        {
            var request = new HttpRequestMessage(method, uri) { Content = json is null ? null : JsonContent(json) };
            AddODataHeaders(request);
            if (ifMatch is not null)
            {
                request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
            }

            return request;
        }, cancellationToken);

    private static void AddODataHeaders(HttpRequestMessage request)
    {
        request.Headers.Accept.ParseAdd(JsonWithTypes);
        request.Headers.Add("DataServiceVersion", "3.0");
        request.Headers.Add("MaxDataServiceVersion", "3.0;NetFx");
        request.Headers.Add("Prefer", "return-no-content");
    }

    private static byte[] Json(JsonObject json) => Encoding.UTF8.GetBytes(json.ToJsonString());

    private static ByteArrayContent JsonContent(byte[] json)
    {
        var content = new ByteArrayContent(json);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
        return content;
    }

    /// <summary>Keys go in the URL inside single quotes: quotes doubled, then percent-encoded.</summary>
    private static string Key(string key) => Uri.EscapeDataString(key.Replace("'", "''", StringComparison.Ordinal));

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
