using Azure;
using Azure.Data.Tables;

namespace Workforce.Storage.Azure.Tables;

/// <summary>
/// The operations of an entity-group transaction, named as the adapters think of them. At most
/// <see cref="MaxOperations"/> of them, all in one partition of one table, 4 MiB in all.
/// </summary>
internal static class TableActions
{
    public const int MaxOperations = 100;

    /// <summary>Fails with 409 if the entity exists.</summary>
    public static TableTransactionAction Insert(TableEntity entity) => new(TableTransactionActionType.Add, entity);

    /// <summary>Replaces the entity whose ETag is <paramref name="ifMatch"/> (<see cref="ETag.All"/>: any); fails with 412 or 404.</summary>
    public static TableTransactionAction Replace(TableEntity entity, ETag ifMatch) => new(TableTransactionActionType.UpdateReplace, entity, ifMatch);

    /// <summary>Insert or replace, unconditionally.</summary>
    public static TableTransactionAction Upsert(TableEntity entity) => new(TableTransactionActionType.UpsertReplace, entity);

    /// <summary>Deletes the entity whose ETag is <paramref name="ifMatch"/> (<see cref="ETag.All"/>: any); fails with 412 or 404.</summary>
    public static TableTransactionAction Delete(string partitionKey, string rowKey, ETag ifMatch) =>
        new(TableTransactionActionType.Delete, new TableEntity(partitionKey, rowKey), ifMatch);

    /// <summary>Someone else changed a row the transaction read or wrote: an ETag mismatch, a row inserted or deleted meanwhile.</summary>
    public static bool IsConflict(this TableTransactionFailedException e) => e.Status is 412 or 409 or 404;
}
