namespace Workforce.Storage.Azure.Rest;

internal enum StorageService
{
    Blob,
    Queue,
    Table,
}

/// <summary>Signs or authorizes a request just before it is sent (after every header is set).</summary>
internal abstract class StorageAuthentication
{
    public abstract ValueTask AuthorizeAsync(HttpRequestMessage request, StorageService service, CancellationToken cancellationToken);
}
