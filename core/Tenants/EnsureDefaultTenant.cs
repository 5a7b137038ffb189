namespace Workforce.Core.Tenants;

/// <summary>
/// Start-up bootstrap of the <c>default</c> tenant. With a configured key, that key is made valid for the tenant;
/// without one, a first start generates a key and returns it so the host can print it once.
/// </summary>
public sealed class EnsureDefaultTenant(ITenantDirectory directory, TimeProvider clock)
{
    /// <returns>The generated key when one was created, otherwise null.</returns>
    public async Task<string?> ExecuteAsync(string? configuredKey, CancellationToken cancellationToken = default)
    {
        var existing = await directory.FindTenantAsync(Tenant.DefaultId, cancellationToken);
        if (!string.IsNullOrWhiteSpace(configuredKey))
        {
            var hash = ApiKeys.Hash(configuredKey);
            if (existing is null && await TryCreateAsync(hash, cancellationToken))
            {
                return null;
            }

            await directory.AddTenantKeyAsync(Tenant.DefaultId, hash, cancellationToken);
            return null;
        }

        if (existing is not null)
        {
            return null;
        }

        var generated = ApiKeys.NewTenantKey();
        return await TryCreateAsync(ApiKeys.Hash(generated), cancellationToken) ? generated : null;
    }

    private Task<bool> TryCreateAsync(string keyHash, CancellationToken cancellationToken) =>
        directory.TryCreateTenantAsync(new Tenant(Tenant.DefaultId, Tenant.DefaultId, clock.GetUtcNow()), keyHash, cancellationToken);
}
