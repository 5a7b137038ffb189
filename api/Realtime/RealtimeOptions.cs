using System.ComponentModel.DataAnnotations;

namespace Workforce.Api.Realtime;

/// <summary>Live updates for dashboards. Bound from <c>Workforce:Realtime</c>.</summary>
public sealed class RealtimeOptions : IValidatableObject
{
    public const string Section = "Workforce:Realtime";

    public const int MinSigningKeyBytes = 32;

    /// <summary>
    /// How often the task changes of each watched tenant go out as one batch; also the longest a task change waits
    /// before it is sent.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:10")]
    public TimeSpan UpdateInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How often changed agents go out as one batch. Under load every agent changes with every task it takes, so
    /// agent cards are refreshed at a rate a person can follow rather than at the rate of tasks. Rounded up to a
    /// whole number of <see cref="UpdateInterval"/>s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan AgentUpdateInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often queue depths and throughput are sent while they change. Rounded up to a whole number of <see cref="UpdateInterval"/>s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan QueueStatsInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The most task updates one batch carries. Beyond it, failures are kept first, then the most recent changes; the
    /// rest are left out, so a burst of thousands of changes a second costs a browser no more than this.
    /// </summary>
    [Range(1, 1_000)]
    public int MaxTaskUpdatesPerBatch { get; set; } = 25;

    /// <summary>The most notifications a tick sends a tenant's dashboards, the most urgent first; the rest are summed up in one more.</summary>
    [Range(1, 100)]
    public int MaxNotificationsPerBatch { get; set; } = 5;

    /// <summary>How long an access token from <c>POST /api/v1/realtime/token</c> can open a connection.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Base64 of at least 32 random bytes that signs access tokens. Unset: a key is generated on first start and kept
    /// in the data directory, so tokens outlive a restart.
    /// </summary>
    public string? TokenSigningKey { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (TokenSigningKey is null)
        {
            yield break;
        }

        var buffer = new byte[TokenSigningKey.Length];
        if (!Convert.TryFromBase64String(TokenSigningKey, buffer, out var length) || length < MinSigningKeyBytes)
        {
            yield return new ValidationResult(
                $"{Section}:TokenSigningKey must be base64 of at least {MinSigningKeyBytes} random bytes.", [nameof(TokenSigningKey)]);
        }
    }
}
