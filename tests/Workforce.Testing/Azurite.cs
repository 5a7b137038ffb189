using Workforce.Core.Queues;
using Workforce.Storage.Azure;

namespace Workforce.Testing;

/// <summary>
/// The Azurite that test.sh starts (its connection string in <see cref="ConnectionStringVariable"/>), and a fresh
/// set of tables, queues and a container per test, told apart by a random resource prefix.
/// </summary>
public static class Azurite
{
    public const string ConnectionStringVariable = "WORKFORCE_TEST_AZURITE";

    /// <exception cref="InvalidOperationException">No Azurite was started for the tests.</exception>
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable(ConnectionStringVariable) is { Length: > 0 } connectionString
            ? connectionString
            : throw new InvalidOperationException(
                $"The Azure adapter tests need Azurite: run ./test.sh, which starts one, or set {ConnectionStringVariable} to the connection string of a running one.");

    /// <summary>A prefix no other test uses, so each test has its own tables, queues and container.</summary>
    public static string NewResourcePrefix() => "t" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Deletes everything a test created under its prefix (in the tests' Azurite unless another account is named).</summary>
    public static async Task DeleteResourcesAsync(string resourcePrefix, IEnumerable<QueueDefinition> queues, string? connectionString = null)
    {
        var options = new AzureStorageOptions { ConnectionString = connectionString ?? ConnectionString, ResourcePrefix = resourcePrefix };
        using var storage = new AzureStorage(StorageAccount.Parse(options.ConnectionString), tokens: null, options);
        await storage.DeprovisionAsync(queues, CancellationToken.None);
    }
}
