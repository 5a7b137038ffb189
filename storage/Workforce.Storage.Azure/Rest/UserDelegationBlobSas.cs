using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;

namespace Workforce.Storage.Azure.Rest;

/// <summary>
/// A user delegation SAS, for accounts reached with an Entra ID token (no account key): the service issues a
/// delegation key to the token's identity (Get User Delegation Key), and the SAS is signed with it. The key is asked
/// for each link, valid exactly as long as the link, so no key outlives the links signed with it.
/// </summary>
internal sealed class UserDelegationBlobSas(string accountName, StorageHttp http, Uri blobEndpoint, TimeProvider clock) : BlobSas(accountName)
{
    public static readonly TimeSpan MaxValidity = TimeSpan.FromDays(7);

    public override async Task<string> ReadOnlyAsync(string container, string blob, DateTimeOffset expiresOn, CancellationToken cancellationToken)
    {
        var key = await DelegationKeyAsync(expiresOn, cancellationToken);
        var expiry = SasTime(expiresOn);
        // Fields: permissions, start, expiry, resource, the six signed key fields (oid, tid, start, expiry, service,
        // version), authorized and unauthorized object ids, correlation id, IP, protocol, version, resource type,
        // snapshot time, encryption scope, then the five response header overrides.
        var toSign = string.Join('\n', "r", "", expiry, CanonicalResource(container, blob),
            key.ObjectId, key.TenantId, key.Start, key.Expiry, key.Service, key.Version,
            "", "", "", "", "", StorageHttp.BlobQueueVersion, "b", "", "", "", "", "", "", "");
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(key.Value), Encoding.UTF8.GetBytes(toSign)));
        return Query(("sp", "r"), ("se", expiry), ("sv", StorageHttp.BlobQueueVersion), ("sr", "b"),
            ("skoid", key.ObjectId), ("sktid", key.TenantId), ("skt", key.Start), ("ske", key.Expiry), ("sks", key.Service), ("skv", key.Version),
            ("sig", signature));
    }

    private async Task<DelegationKey> DelegationKeyAsync(DateTimeOffset expiresOn, CancellationToken cancellationToken)
    {
        var body = new XElement("KeyInfo", new XElement("Start", SasTime(clock.GetUtcNow())), new XElement("Expiry", SasTime(expiresOn)))
            .ToString(SaveOptions.DisableFormatting);
        using var response = await http.SendAsync(StorageService.Blob, () => new HttpRequestMessage(HttpMethod.Post, new Uri(blobEndpoint, "?restype=service&comp=userdelegationkey"))
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) { Headers = { ContentType = MediaTypeHeaderValue.Parse("application/xml") } },
        }, cancellationToken);
        var key = XDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken)).Root!;
        return new DelegationKey((string)key.Element("SignedOid")!, (string)key.Element("SignedTid")!, (string)key.Element("SignedStart")!,
            (string)key.Element("SignedExpiry")!, (string)key.Element("SignedService")!, (string)key.Element("SignedVersion")!, (string)key.Element("Value")!);
    }

    private sealed record DelegationKey(string ObjectId, string TenantId, string Start, string Expiry, string Service, string Version, string Value);
}
