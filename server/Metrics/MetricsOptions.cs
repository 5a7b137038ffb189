using System.ComponentModel.DataAnnotations;

namespace Workforce.Server.Metrics;

/// <summary>The Prometheus scrape endpoint and the levels sampling. Bound from <c>Workforce:Metrics</c>.</summary>
public sealed class MetricsOptions
{
    public const string Section = "Workforce:Metrics";

    /// <summary>Serves <c>/metrics</c>; off, the path is not mapped at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Asks for the admin key (<c>X-API-Key</c>) on <c>/metrics</c>. Off by default, as Prometheus scrapes without
    /// credentials on the same port and the metrics hold no tenant ids; turn it on where the port is public.
    /// </summary>
    public bool RequireAdminKey { get; set; }

    /// <summary>The scrape path.</summary>
    [RegularExpression("^/[A-Za-z0-9/_.-]*$", ErrorMessage = "Workforce:Metrics:Path must be an absolute path.")]
    public string Path { get; set; } = "/metrics";

    /// <summary>How often the gauges' levels (pending tasks, agents, queue depth) are read from storage.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00", ErrorMessage = "Workforce:Metrics:LevelsInterval must lie between 50 ms and an hour.")]
    public TimeSpan LevelsInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Samples each tenant's quota-remaining and limit (<c>workforce_tenant_quota_remaining</c>,
    /// <c>workforce_tenant_quota_limit</c>, labelled by <c>tenant</c> and <c>quota</c>) with the levels. Off by
    /// default: it is the one place tenant ids become labels, a series per tenant and limited quota.
    /// </summary>
    public bool TenantQuotas { get; set; }

    /// <summary>With <see cref="TenantQuotas"/>, at most this many tenants (in directory order) get series: a bound on cardinality and on the sampling's reads.</summary>
    [Range(1, 100_000, ErrorMessage = "Workforce:Metrics:TenantQuotasMaxTenants must lie between 1 and 100000.")]
    public int TenantQuotasMaxTenants { get; set; } = 1_000;
}
