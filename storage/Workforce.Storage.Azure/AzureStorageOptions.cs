using System.ComponentModel.DataAnnotations;

namespace Workforce.Storage.Azure;

/// <summary>
/// Bound from <c>Workforce:Storage</c> when its <c>Provider</c> is <c>azure</c>. Give either a connection string
/// (Shared Key; <c>UseDevelopmentStorage=true</c> for Azurite) or an account name, which is reached with an Entra ID
/// token: the managed identity in Azure, <c>DefaultAzureCredential</c> elsewhere.
/// </summary>
public sealed class AzureStorageOptions
{
    public const string Section = "Workforce:Storage";

    public string? ConnectionString { get; set; }

    public string? AccountName { get; set; }

    /// <summary>The DNS suffix of the account's endpoints when reached by <see cref="AccountName"/> (sovereign clouds differ).</summary>
    [Required]
    public string EndpointSuffix { get; set; } = "core.windows.net";

    /// <summary>The client id of a user-assigned managed identity; unset, <c>DefaultAzureCredential</c> picks the identity.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>Starts every table, queue and container name, so several deployments can share one account.</summary>
    [RegularExpression("^[a-z][a-z0-9]{1,19}$", ErrorMessage = "Workforce:Storage:ResourcePrefix must be 2 to 20 lower-case letters and digits, starting with a letter.")]
    public string ResourcePrefix { get; set; } = "workforce";

    /// <summary>How long one attempt of one request may take before it is abandoned and retried.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long opening a connection may take; short, so an unreachable endpoint is reported quickly.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Retries of a throttled (429, 503), timed-out or failed request, by the SDKs' exponential retry policy from
    /// <see cref="RetryDelay"/> up to <see cref="MaxRetryDelay"/>, with jitter.
    /// </summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long start-up may spend creating the tables, queues and container before it reports the storage unreachable.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(20);
}
