using System.ComponentModel.DataAnnotations;

namespace Workforce.Payments.PayPal;

/// <summary>
/// Bound from <c>Workforce:Billing:PayPal</c>. Without <see cref="ClientId"/> and <see cref="ClientSecret"/> the adapter
/// is not configured (<see cref="IsConfigured"/>) and billing runs offline: invoices are issued, nothing is charged.
/// The credentials come from configuration or Key Vault and are never logged.
/// </summary>
public sealed class PayPalOptions
{
    public const string Section = "Workforce:Billing:PayPal";

    public static readonly Uri SandboxUrl = new("https://api-m.sandbox.paypal.com");

    public static readonly Uri LiveUrl = new("https://api-m.paypal.com");

    /// <summary>The REST API's root: the sandbox unless configured otherwise (<see cref="LiveUrl"/> in production).</summary>
    [Required]
    public Uri BaseUrl { get; set; } = SandboxUrl;

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>The id of the webhook registered for our listener URL; every delivery is verified against it.</summary>
    public string? WebhookId { get; set; }

    /// <summary>How long one attempt may take before it is abandoned and retried (with the same PayPal-Request-Id).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one call may take, every retry and its waits included.</summary>
    [Range(typeof(TimeSpan), "00:00:00.200", "00:30:00")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Retries of a 5xx, 429, 408, broken connection or timed-out attempt, with exponential backoff and jitter.</summary>
    [Range(1, 10)]
    public int MaxRetries { get; set; } = 4;

    /// <summary>The first backoff; each further retry doubles it. A Retry-After from PayPal takes precedence.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A cached access token is renewed this long before PayPal says it expires, so a request never sets out with a
    /// token that dies on the way.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan TokenRefreshMargin { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Whether credentials are set; without them nothing is sent to PayPal.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(ClientId) && !string.IsNullOrWhiteSpace(ClientSecret);
}
