using System.ComponentModel.DataAnnotations;

namespace Workforce.Api.RateLimiting;

/// <summary>Bound from <c>Workforce:RateLimit</c> by both hosts, each limiting on its own. 0 disables a limit.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "Workforce:RateLimit";

    /// <summary>Per client IP, for requests without a valid key: brute-force protection.</summary>
    [Range(0, int.MaxValue)]
    public int PermitsPerMinute { get; set; } = 100;

    /// <summary>Per API key, for authenticated requests.</summary>
    [Range(0, int.MaxValue)]
    public int KeyPermitsPerMinute { get; set; } = 60_000;
}
