namespace Workforce.Storage.Azure.Rest;

/// <summary>A service SAS signed with the account key: no request to the service is needed to create it.</summary>
internal sealed class SharedKeyBlobSas(string accountName, SharedKeyAuthentication key) : BlobSas(accountName)
{
    public override Task<string> ReadOnlyAsync(string container, string blob, DateTimeOffset expiresOn, CancellationToken cancellationToken)
    {
        var expiry = SasTime(expiresOn);
        // Fields: permissions, start, expiry, resource, identifier, IP, protocol, version, resource type, snapshot
        // time, encryption scope, then the five response header overrides (rscc, rscd, rsce, rscl, rsct).
        var toSign = string.Join('\n', "r", "", expiry, CanonicalResource(container, blob), "", "", "", StorageHttp.BlobQueueVersion, "b", "", "", "", "", "", "", "");
        return Task.FromResult(Query(("sp", "r"), ("se", expiry), ("sv", StorageHttp.BlobQueueVersion), ("sr", "b"), ("sig", key.Sign(toSign))));
    }
}
