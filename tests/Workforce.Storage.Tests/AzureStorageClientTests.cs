using System.Net;
using Azure;
using Azure.Data.Tables;
using Workforce.Core.Storage;
using Workforce.Storage.Azure;
using Workforce.Storage.Azure.Tables;

namespace Workforce.Storage.Tests;

/// <summary>
/// How the adapters configure the SDK clients: which failures the SDK's retries take and how many, what an account
/// that never answers becomes, that every attempt is counted, and the Entra ID token on requests without a key.
/// The service is scripted (<see cref="ScriptedStorageService"/>): Azurite cannot throttle, and takes tokens only over HTTPS.
/// </summary>
public sealed class AzureStorageClientTests
{
    private static readonly AzureStorageOptions Options = new()
    {
        MaxRetries = 3,
        RetryDelay = TimeSpan.FromMilliseconds(10),
        MaxRetryDelay = TimeSpan.FromMilliseconds(20),
        RequestTimeout = TimeSpan.FromSeconds(5),
    };

    private static readonly StorageAccount KeyAccount = StorageAccount.Parse("AccountName=acme;AccountKey=a2V5;DefaultEndpointsProtocol=http;TableEndpoint=http://127.0.0.1:1/acme");

    [Fact]
    public async Task Throttling_and_server_errors_are_retried_as_often_as_the_options_allow_and_every_attempt_is_counted()
    {
        var service = new ScriptedStorageService(
            ScriptedStorageService.Status(HttpStatusCode.ServiceUnavailable, "ServerBusy"),
            ScriptedStorageService.Status(HttpStatusCode.TooManyRequests),
            ScriptedStorageService.Status(HttpStatusCode.InternalServerError, "InternalError"),
            ScriptedStorageService.Status(HttpStatusCode.NotFound, "ResourceNotFound"));
        using var storage = new AzureStorage(KeyAccount, tokens: null, Options, service.Transport());

        TableEntity? found = new();
        var requests = await AzureRequests.CountAsync(async () => found = await storage.Keys.FindAsync("hash", "", CancellationToken.None));

        Assert.Null(found);
        Assert.Equal(4, service.Received.Count);
        Assert.Equal(4, requests);
        // The Table service's variant of Shared Key, signed with the account's key.
        Assert.All(service.Received, r => Assert.StartsWith("SharedKeyLite acme:", r.Request.Headers.Authorization?.ToString(), StringComparison.Ordinal));
        Assert.All(service.Received, r => Assert.Equal("http://127.0.0.1:1/acme/workforcekeys(PartitionKey='hash',RowKey='')", r.Request.RequestUri!.GetLeftPart(UriPartial.Path)));
    }

    [Fact]
    public async Task A_refusal_is_not_retried()
    {
        var service = new ScriptedStorageService(ScriptedStorageService.Status(HttpStatusCode.Conflict, "EntityAlreadyExists"));
        using var storage = new AzureStorage(KeyAccount, tokens: null, Options, service.Transport());

        var refused = await Assert.ThrowsAsync<RequestFailedException>(() => storage.Usage.AddEntityAsync(new TableEntity("t1", "r1")));

        Assert.Equal(409, refused.Status);
        Assert.Single(service.Received);
    }

    [Fact]
    public async Task Persistent_throttling_fails_with_the_service_status_once_the_retries_are_spent()
    {
        var service = new ScriptedStorageService(ScriptedStorageService.Status(HttpStatusCode.ServiceUnavailable, "ServerBusy"));
        using var storage = new AzureStorage(KeyAccount, tokens: null, Options, service.Transport());

        var refused = await Assert.ThrowsAsync<RequestFailedException>(() => storage.Usage.AddEntityAsync(new TableEntity("t1", "r1")));

        Assert.Equal(503, refused.Status);
        Assert.Equal(1 + Options.MaxRetries, service.Received.Count);
    }

    [Fact]
    public async Task An_account_that_refuses_connections_is_reported_unavailable_after_the_retries()
    {
        var service = new ScriptedStorageService(ScriptedStorageService.Refuse);
        using var storage = new AzureStorage(KeyAccount, tokens: null, Options, service.Transport());

        var unavailable = await Assert.ThrowsAsync<StorageUnavailableException>(() => storage.TenantData.FindAsync("t1", "tenant", CancellationToken.None));

        Assert.Equal(4, service.Received.Count);
        Assert.Equal("Azure Storage at http://127.0.0.1:1 did not answer after 4 attempts (ConnectionRefused); check that it is running and that the endpoint is right.",
            unavailable.Message);
    }

    [Fact]
    public async Task An_attempt_that_outlives_the_request_timeout_is_abandoned_and_retried()
    {
        var service = new ScriptedStorageService(ScriptedStorageService.Hang);
        var options = new AzureStorageOptions { MaxRetries = 1, RetryDelay = TimeSpan.FromMilliseconds(10), RequestTimeout = TimeSpan.FromMilliseconds(200) };
        using var storage = new AzureStorage(KeyAccount, tokens: null, options, service.Transport());

        var unavailable = await Assert.ThrowsAsync<StorageUnavailableException>(() => storage.TenantData.FindAsync("t1", "tenant", CancellationToken.None));

        Assert.Equal(2, service.Received.Count);
        Assert.Contains("did not answer after 2 attempts (timed out)", unavailable.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_an_outage()
    {
        var service = new ScriptedStorageService(ScriptedStorageService.Hang);
        using var storage = new AzureStorage(KeyAccount, tokens: null, Options, service.Transport());
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => storage.TenantData.FindAsync("t1", "tenant", cancellation.Token));

        Assert.Single(service.Received);
    }

    [Fact]
    public async Task Without_a_key_every_service_is_called_with_a_bearer_token_for_the_storage_scope()
    {
        var credential = new CountingCredential();
        var service = new ScriptedStorageService(ScriptedStorageService.Status(HttpStatusCode.NotFound, "ResourceNotFound"));
        using var storage = new AzureStorage(StorageAccount.ForTokens("acme"), credential, Options, service.Transport());

        await storage.TenantData.FindAsync("t1", "tenant", CancellationToken.None);
        await Assert.ThrowsAsync<RequestFailedException>(() => storage.Queue("work").ReceiveMessagesAsync());
        await Assert.ThrowsAsync<RequestFailedException>(() => storage.Files.GetBlobClient("t1/a.txt").GetPropertiesAsync());

        Assert.Equal(["https://acme.table.core.windows.net/workforcetenantdata(PartitionKey='t1',RowKey='tenant')", "https://acme.queue.core.windows.net/workforce-work/messages",
            "https://acme.blob.core.windows.net/workforce-files/t1/a.txt"], service.Received.Select(r => r.Request.RequestUri!.GetLeftPart(UriPartial.Path)));
        Assert.All(service.Received, r => Assert.Equal("Bearer", r.Request.Headers.Authorization?.Scheme));
        Assert.All(credential.Scopes, scope => Assert.Equal("https://storage.azure.com/.default", scope));
        Assert.NotEmpty(credential.Scopes);
    }
}
