namespace Workforce.Api.Auth;

/// <summary>Bound from <c>Workforce:Admin</c>; <c>WORKFORCE_ADMIN_KEY</c> sets the key on the standalone server.</summary>
public sealed class AdminOptions
{
    public const string Section = "Workforce:Admin";

    /// <summary>The platform admin key that may create tenants. Unset: tenant administration is disabled.</summary>
    public string? ApiKey { get; set; }
}
