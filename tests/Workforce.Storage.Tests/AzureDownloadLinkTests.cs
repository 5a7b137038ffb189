using System.Web;
using Workforce.Storage.Azure;
using Workforce.Storage.Azure.Files;
using Microsoft.Extensions.Time.Testing;

namespace Workforce.Storage.Tests;

/// <summary>
/// The shape and expiry of download links. That a service SAS opens the blob (and a tampered or expired one does
/// not) is shown against Azurite by the blob contract; the user delegation SAS needs a token, which Azurite takes
/// only over HTTPS, so here the service's Get User Delegation Key answer is scripted as the REST reference gives it.
/// </summary>
public sealed class AzureDownloadLinkTests
{
    private static readonly AzureStorageOptions Options = new() { MaxRetries = 0 };

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task With_an_account_key_a_link_is_a_read_only_service_sas_signed_without_a_request()
    {
        var service = new ScriptedStorageService(ScriptedStorageService.Refuse);
        using var storage = new AzureStorage(StorageAccount.Parse("AccountName=acme;AccountKey=a2V5"), tokens: null, Options, service.Transport());

        var link = await new AzureBlobStore(storage, _clock).CreateDownloadLinkAsync("t1", "reports/q1 summary.pdf", TimeSpan.FromMinutes(15));

        var query = HttpUtility.ParseQueryString(link.Query);
        Assert.Equal("https://acme.blob.core.windows.net/workforce-files/t1/reports/q1%20summary.pdf", link.GetLeftPart(UriPartial.Path));
        Assert.Equal("r", query["sp"]);
        Assert.Equal("b", query["sr"]);
        Assert.Equal("2026-03-01T12:15:00Z", query["se"]);
        Assert.False(string.IsNullOrEmpty(query["sv"]));
        Assert.False(string.IsNullOrEmpty(query["sig"]));
        Assert.Null(query["skoid"]);
        Assert.Empty(service.Received);
    }

    [Fact]
    public async Task With_a_token_a_link_is_a_user_delegation_sas_whose_key_expires_with_it()
    {
        const string objectId = "6f0c2b1e-8d4a-4c3b-9e2f-1a7d5c9b3e40";
        var service = new ScriptedStorageService(ScriptedStorageService.Xml($"""
            <?xml version="1.0" encoding="utf-8"?>
            <UserDelegationKey>
              <SignedOid>{objectId}</SignedOid>
              <SignedTid>72f988bf-86f1-41af-91ab-2d7cd011db47</SignedTid>
              <SignedStart>2026-03-01T12:00:00Z</SignedStart>
              <SignedExpiry>2026-03-01T13:00:00Z</SignedExpiry>
              <SignedService>b</SignedService>
              <SignedVersion>2025-11-05</SignedVersion>
              <Value>a2V5LWZyb20tdGhlLXNlcnZpY2U=</Value>
            </UserDelegationKey>
            """));
        using var storage = new AzureStorage(StorageAccount.ForTokens("acme"), new CountingCredential(), Options, service.Transport());

        var link = await new AzureBlobStore(storage, _clock).CreateDownloadLinkAsync("t1", "report.pdf", TimeSpan.FromHours(1));

        var (request, body) = Assert.Single(service.Received);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("https://acme.blob.core.windows.net/?restype=service&comp=userdelegationkey", request.RequestUri!.ToString());
        Assert.Contains("<Expiry>2026-03-01T13:00:00Z</Expiry>", body, StringComparison.Ordinal);
        var query = HttpUtility.ParseQueryString(link.Query);
        Assert.Equal("https://acme.blob.core.windows.net/workforce-files/t1/report.pdf", link.GetLeftPart(UriPartial.Path));
        Assert.Equal(("r", "b", "2026-03-01T13:00:00Z"), (query["sp"], query["sr"], query["se"]));
        Assert.Equal((objectId, "2026-03-01T13:00:00Z", "b", "2025-11-05"), (query["skoid"], query["ske"], query["sks"], query["skv"]));
        Assert.False(string.IsNullOrEmpty(query["sig"]));
    }

    [Fact]
    public async Task A_link_may_be_valid_for_at_most_seven_days()
    {
        var service = new ScriptedStorageService(ScriptedStorageService.Refuse);
        using var storage = new AzureStorage(StorageAccount.ForTokens("acme"), new CountingCredential(), Options, service.Transport());

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => new AzureBlobStore(storage, _clock).CreateDownloadLinkAsync("t1", "report.pdf", TimeSpan.FromDays(8)));

        Assert.Empty(service.Received);
    }
}
