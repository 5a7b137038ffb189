using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;

namespace Workforce.Storage.Azure.Rest;

internal enum TableOperationKind
{
    /// <summary>Fails with 409 if the entity exists.</summary>
    Insert,

    /// <summary>Replaces the entity whose ETag is <see cref="TableOperation.IfMatch"/> ("*": any); fails with 412 or 404.</summary>
    Replace,

    /// <summary>Insert or replace, unconditionally.</summary>
    Upsert,

    /// <summary>Deletes the entity whose ETag is <see cref="TableOperation.IfMatch"/> ("*": any); fails with 412 or 404.</summary>
    Delete,
}

internal sealed record TableOperation(TableOperationKind Kind, TableEntity Entity, string? IfMatch = null)
{
    public static TableOperation Insert(TableEntity entity) => new(TableOperationKind.Insert, entity);

    public static TableOperation Replace(TableEntity entity, string ifMatch) => new(TableOperationKind.Replace, entity, ifMatch);

    public static TableOperation Upsert(TableEntity entity) => new(TableOperationKind.Upsert, entity);

    public static TableOperation Delete(string partitionKey, string rowKey, string ifMatch) =>
        new(TableOperationKind.Delete, new TableEntity(partitionKey, rowKey), ifMatch);
}

/// <summary>One operation of an entity-group transaction failed, so none was applied.</summary>
internal sealed class TableTransactionFailedException(int failedIndex, HttpStatusCode status, string message) : Exception(message)
{
    /// <summary>The position of the failing operation, or -1 when the service did not say.</summary>
    public int FailedIndex { get; } = failedIndex;

    public HttpStatusCode Status { get; } = status;

    /// <summary>Someone else changed a row this transaction read or wrote: an ETag mismatch, a row inserted or deleted meanwhile.</summary>
    public bool IsConflict => Status is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict or HttpStatusCode.NotFound;
}

/// <summary>
/// The wire format of an entity-group transaction ("Performing entity group transactions"): a multipart/mixed
/// batch holding one changeset, whose parts are the HTTP requests of the operations. At most 100 operations,
/// all in one partition of one table, 4 MiB in all.
/// </summary>
internal sealed partial class TableTransaction(Uri tableUri, IReadOnlyList<TableOperation> operations)
{
    public const int MaxOperations = 100;

    private readonly string _batch = "batch_" + Guid.NewGuid().ToString("N");
    private readonly string _changeset = "changeset_" + Guid.NewGuid().ToString("N");
    private byte[]? _body;

    public HttpContent Content()
    {
        _body ??= Encoding.UTF8.GetBytes(Body());
        var content = new ByteArrayContent(_body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/mixed; boundary={_batch}");
        return content;
    }

    /// <summary>The service answers 202 even when an operation failed; the failure is inside the multipart response.</summary>
    /// <exception cref="TableTransactionFailedException">An operation failed.</exception>
    public void ThrowIfFailed(string response)
    {
        foreach (Match status in StatusLine().Matches(response))
        {
            var code = int.Parse(status.Groups[1].Value, CultureInfo.InvariantCulture);
            if (code < 300)
            {
                continue;
            }

            var rest = response[status.Index..];
            var errorCode = ErrorCode().Match(rest) is { Success: true } c ? c.Groups[1].Value : null;
            var index = FailedIndex().Match(rest) is { Success: true } i ? int.Parse(i.Groups[1].Value, CultureInfo.InvariantCulture) : -1;
            throw new TableTransactionFailedException(index, (HttpStatusCode)code,
                $"The transaction of {operations.Count} operations on {tableUri.AbsolutePath} failed at operation {index} with {code} {errorCode}.");
        }
    }

    private string Body()
    {
        var body = new StringBuilder()
            .Append("--").Append(_batch).Append("\r\n")
            .Append("Content-Type: multipart/mixed; boundary=").Append(_changeset).Append("\r\n\r\n");
        for (var i = 0; i < operations.Count; i++)
        {
            var operation = operations[i];
            var entity = operation.Entity;
            var (method, uri) = operation.Kind switch
            {
                TableOperationKind.Insert => ("POST", tableUri.ToString()),
                TableOperationKind.Delete => ("DELETE", EntityUri(entity)),
                _ => ("PUT", EntityUri(entity)),
            };
            body.Append("--").Append(_changeset).Append("\r\n")
                .Append("Content-Type: application/http\r\n")
                .Append("Content-Transfer-Encoding: binary\r\n")
                .Append("Content-ID: ").Append(i + 1).Append("\r\n\r\n")
                .Append(method).Append(' ').Append(uri).Append(" HTTP/1.1\r\n")
                .Append("Accept: application/json;odata=minimalmetadata\r\n")
                .Append("DataServiceVersion: 3.0\r\n");
            if (operation.IfMatch is not null)
            {
                body.Append("If-Match: ").Append(operation.IfMatch).Append("\r\n");
            }

            if (operation.Kind == TableOperationKind.Delete)
            {
                body.Append("\r\n");
                continue;
            }

            body.Append("Prefer: return-no-content\r\n")
                .Append("Content-Type: application/json\r\n\r\n")
                .Append(entity.ToJson().ToJsonString()).Append("\r\n");
        }

        return body.Append("--").Append(_changeset).Append("--\r\n")
            .Append("--").Append(_batch).Append("--\r\n")
            .ToString();
    }

    private string EntityUri(TableEntity entity) =>
        $"{tableUri}(PartitionKey='{Uri.EscapeDataString(entity.PartitionKey.Replace("'", "''", StringComparison.Ordinal))}'," +
        $"RowKey='{Uri.EscapeDataString(entity.RowKey.Replace("'", "''", StringComparison.Ordinal))}')";

    [GeneratedRegex(@"HTTP/1\.1 (\d{3})")]
    private static partial Regex StatusLine();

    [GeneratedRegex("\"code\"\\s*:\\s*\"([^\"]+)\"")]
    private static partial Regex ErrorCode();

    [GeneratedRegex("\"value\"\\s*:\\s*\"(\\d+):")]
    private static partial Regex FailedIndex();
}
