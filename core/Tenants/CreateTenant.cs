namespace Workforce.Core.Tenants;

public sealed record CreateTenantCommand(string? Name);

/// <summary>The new tenant and its first key, shown this once.</summary>
public sealed record CreatedTenant(Tenant Tenant, string ApiKey);

/// <summary>Platform administration: a new tenant with a freshly generated key.</summary>
public sealed class CreateTenant(ITenantDirectory directory, TimeProvider clock)
{
    public async Task<Outcome<CreatedTenant>> ExecuteAsync(CreateTenantCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        var name = command.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > Tenant.MaxNameLength)
        {
            return Failure.Invalid("name", $"Give a name of 1 to {Tenant.MaxNameLength} characters.");
        }

        var tenant = new Tenant(Guid.CreateVersion7().ToString("N"), name, clock.GetUtcNow());
        var apiKey = ApiKeys.NewTenantKey();
        await directory.TryCreateTenantAsync(tenant, ApiKeys.Hash(apiKey), cancellationToken);
        return new CreatedTenant(tenant, apiKey);
    }
}
