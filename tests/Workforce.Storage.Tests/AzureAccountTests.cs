using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Workforce.Storage.Azure;

namespace Workforce.Storage.Tests;

/// <summary>How the Azure adapters read their account: the options, connection strings, and the credential without a key.</summary>
public sealed class AzureAccountTests
{
    [Fact]
    public void Development_storage_is_azurite_on_its_default_ports()
    {
        var account = StorageAccount.Parse("UseDevelopmentStorage=true");

        Assert.Equal("devstoreaccount1", account.Name);
        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1"), account.TableEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:10001/devstoreaccount1"), account.QueueEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:10000/devstoreaccount1"), account.BlobEndpoint);
        Assert.NotNull(account.SharedKey);
    }

    [Fact]
    public void An_account_key_connection_string_gets_public_endpoints_unless_it_names_its_own()
    {
        var account = StorageAccount.Parse("DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=a2V5;EndpointSuffix=core.chinacloudapi.cn;QueueEndpoint=http://10.0.0.1:9/q");

        Assert.Equal(new Uri("https://acme.table.core.chinacloudapi.cn/"), account.TableEndpoint);
        Assert.Equal(new Uri("http://10.0.0.1:9/q"), account.QueueEndpoint);
        Assert.Equal("a2V5", account.SharedKey);
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
        var account = StorageAccount.ForTokens("acme", "core.usgovcloudapi.net");

        Assert.Null(account.SharedKey);
        Assert.Equal(new Uri("https://acme.blob.core.usgovcloudapi.net/"), account.BlobEndpoint);
        Assert.Equal(new Uri("https://acme.table.core.usgovcloudapi.net/"), account.TableEndpoint);
    }

    [Theory]
    [InlineData(null, null, "set either Workforce:Storage:ConnectionString")]
    [InlineData("UseDevelopmentStorage=true", "acme", "not both and not neither")]
    [InlineData("AccountName=acme;AccountKey=not-base64!", null, "Workforce:Storage:ConnectionString is not a valid Azure Storage connection string: AccountKey is not base64")]
    public void Options_that_do_not_describe_one_account_fail_validation_with_what_to_set(string? connectionString, string? accountName, string expected)
    {
        var result = Validate(new AzureStorageOptions { ConnectionString = connectionString, AccountName = accountName });

        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("UseDevelopmentStorage=true", null)]
    [InlineData(null, "acme")]
    public void A_connection_string_or_an_account_name_passes_validation(string? connectionString, string? accountName) =>
        Assert.True(Validate(new AzureStorageOptions { ConnectionString = connectionString, AccountName = accountName }).Succeeded);

    [Fact]
    public void A_managed_identity_client_id_selects_that_user_assigned_identity()
    {
        Assert.IsType<ManagedIdentityCredential>(AzureStorageServices.DefaultCredential(new AzureStorageOptions { AccountName = "acme", ManagedIdentityClientId = "0b3e8a6c-2f4d-4d8e-9a51-7c1e2d3f4a5b" }));
        Assert.IsType<DefaultAzureCredential>(AzureStorageServices.DefaultCredential(new AzureStorageOptions { AccountName = "acme" }));
    }

    [Fact]
    public void A_credential_the_host_registers_is_the_one_the_account_name_is_reached_with()
    {
        var registered = new CountingCredential();
        var services = new ServiceCollection().AddSingleton<TokenCredential>(registered);
        services.AddOptions<AzureStorageOptions>().Configure(o => o.AccountName = "acme");
        services.AddAzureStorage([]);
        using var provider = services.BuildServiceProvider();

        Assert.Same(registered, provider.GetRequiredService<TokenCredential>());
        var storage = provider.GetRequiredService<AzureStorage>();
        Assert.Equal(new Uri("https://acme.blob.core.windows.net/workforce-files"), storage.Files.Uri);
        Assert.False(storage.Files.CanGenerateSasUri);
    }

    private static ValidateOptionsResult Validate(AzureStorageOptions options)
    {
        var services = new ServiceCollection();
        services.AddAzureStorage([]);
        using var provider = services.BuildServiceProvider();
        return provider.GetServices<IValidateOptions<AzureStorageOptions>>().Single().Validate(Options.DefaultName, options);
    }
}
