using Azure.Core;
using Workforce.Storage.Azure.Rest;
using Microsoft.Extensions.Time.Testing;

namespace Workforce.Storage.Tests;

/// <summary>How the Azure adapters read their account: connection strings, and Entra ID tokens when there is no key.</summary>
public sealed class AzureAccountTests
{
    [Fact]
    public void Development_storage_is_azurite_on_its_default_ports()
    {
        var account = StorageAccount.Parse("UseDevelopmentStorage=true");

        Assert.Equal("devstoreaccount1", account.Name);
        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1/"), account.TableEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:10001/devstoreaccount1/"), account.QueueEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:10000/devstoreaccount1/"), account.BlobEndpoint);
        Assert.NotNull(account.SharedKey);
    }

    [Fact]
    public void An_account_key_connection_string_gets_public_endpoints_unless_it_names_its_own()
    {
        var account = StorageAccount.Parse("DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=a2V5;EndpointSuffix=core.chinacloudapi.cn;QueueEndpoint=http://10.0.0.1:9/q");

        Assert.Equal(new Uri("https://acme.table.core.chinacloudapi.cn/"), account.TableEndpoint);
        Assert.Equal(new Uri("http://10.0.0.1:9/q/"), account.QueueEndpoint);
        Assert.Equal("key"u8.ToArray(), account.SharedKey);
    }

    [Theory]
    [InlineData("AccountName=acme", "AccountKey is missing")]
    [InlineData("AccountName=acme;AccountKey=%%%", "AccountKey is not base64")]
    [InlineData("UseDevelopmentStorage=false", "UseDevelopmentStorage must be true")]
    [InlineData("just text", "is not a Name=value setting")]
    [InlineData("AccountName=acme;AccountKey=a2V5;TableEndpoint=not a uri", "is not an absolute http(s) address")]
    [InlineData("BlobEndpoint=https://x;SharedAccessSignature=sv=2020", "SAS connection strings are not supported")]
    public void A_malformed_connection_string_says_what_is_wrong(string connectionString, string expected) =>
        Assert.Contains(expected, Assert.Throws<FormatException>(() => StorageAccount.Parse(connectionString)).Message, StringComparison.Ordinal);

    [Fact]
    public void An_account_name_alone_is_reached_with_tokens_on_public_endpoints()
    {
        var account = StorageAccount.ForTokens("acme");

        Assert.Null(account.SharedKey);
        Assert.Equal(new Uri("https://acme.blob.core.windows.net/"), account.BlobEndpoint);
    }

    [Fact]
    public async Task Requests_carry_a_storage_token_that_is_renewed_before_it_expires()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var credential = new CountingCredential(clock);
        using var authentication = new TokenAuthentication(credential, clock);

        using var first = new HttpRequestMessage(HttpMethod.Get, "https://acme.table.core.windows.net/Tables");
        await authentication.AuthorizeAsync(first, StorageService.Table, CancellationToken.None);
        using var cached = new HttpRequestMessage(HttpMethod.Get, "https://acme.table.core.windows.net/Tables");
        await authentication.AuthorizeAsync(cached, StorageService.Table, CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(56));
        using var renewed = new HttpRequestMessage(HttpMethod.Get, "https://acme.table.core.windows.net/Tables");
        await authentication.AuthorizeAsync(renewed, StorageService.Table, CancellationToken.None);

        Assert.Equal(("Bearer", "token-1"), (first.Headers.Authorization!.Scheme, first.Headers.Authorization.Parameter));
        Assert.Equal("token-1", cached.Headers.Authorization!.Parameter);
        Assert.Equal("token-2", renewed.Headers.Authorization!.Parameter);
        Assert.Equal(["https://storage.azure.com/.default"], credential.Scopes);
    }

    /// <summary>Hands out numbered tokens valid for an hour and remembers the scope asked for.</summary>
    private sealed class CountingCredential(TimeProvider clock) : TokenCredential
    {
        private int _issued;

        public string[] Scopes { get; private set; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Scopes = requestContext.Scopes;
            return new AccessToken($"token-{++_issued}", clock.GetUtcNow().AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
