using System.ComponentModel.DataAnnotations;

namespace Workforce.Core.Notifications;

/// <summary>Notification delivery. Bound from <c>Workforce:Notifications</c>; the defaults are production's.</summary>
public sealed class NotificationOptions
{
    public const string Section = "Workforce:Notifications";

    /// <summary>
    /// Allow webhook targets on private, loopback and link-local addresses (and names that resolve to them). Off in
    /// production, so a tenant cannot make the platform call into its own network (SSRF); tests and a one-team
    /// server on a LAN turn it on.
    /// </summary>
    public bool AllowPrivateTargets { get; set; }

    /// <summary>Allow plain-http webhook targets. Off in production: payloads and signatures travel over TLS.</summary>
    public bool AllowHttpTargets { get; set; }

    /// <summary>
    /// Standard Webhooks' and Svix's retry schedule: after the first attempt fails, 5 s, 5 min, 30 min, 2 h, 5 h,
    /// 10 h and 10 h, each counted from the failure before it.
    /// </summary>
    public static IReadOnlyList<TimeSpan> StandardRetrySchedule { get; } =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
        TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
    ];

    /// <summary>
    /// A retry schedule of one's own (staging, tests); empty means <see cref="StandardRetrySchedule"/>. Empty by
    /// default because configuration binding adds a list's items to what it holds rather than replacing them.
    /// Shortened by up to <see cref="RetryJitter"/>.
    /// </summary>
    public List<TimeSpan> RetrySchedule { get; set; } = [];

    public IReadOnlyList<TimeSpan> Retries => RetrySchedule.Count > 0 ? RetrySchedule : StandardRetrySchedule;

    /// <summary>The share of each retry delay taken off at random, so that many failed deliveries do not retry in one burst.</summary>
    [Range(0d, 0.5d)]
    public double RetryJitter { get; set; } = 0.1;

    /// <summary>The longest a <c>Retry-After</c> answer may push a retry back.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromHours(10);

    /// <summary>How long one attempt may take: connect, send and the peer's answer.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>An endpoint whose deliveries have failed without a success for this long is disabled.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan DisableFailingAfter { get; set; } = TimeSpan.FromDays(5);

    /// <summary>How long the secret before a rotation still signs deliveries beside the new one.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan SecretRotationOverlap { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Pending tasks of a tenant at which queue.backlog is raised (once each time the backlog rises to it).</summary>
    [Range(1, int.MaxValue)]
    public int BacklogThreshold { get; set; } = 1_000;

    [Range(1, 1_000)]
    public int MaxEndpointsPerTenant { get; set; } = 20;

    /// <summary>Deliveries (with their attempts) are kept this long, then purged by the cleanup job.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "365.00:00:00")]
    public TimeSpan DeliveryRetention { get; set; } = TimeSpan.FromDays(30);
}
