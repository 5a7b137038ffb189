using Workforce.Core.Storage;

namespace Workforce.Core.Tenants;

/// <summary>Tenants and the hashes of their keys. Agent keys are added and removed with their agents.</summary>
public interface ITenantDirectory
{
    /// <summary>Who holds the key with this hash, or null when no tenant or agent does.</summary>
    Task<Caller?> FindCallerAsync(string keyHash, CancellationToken cancellationToken = default);

    Task<Tenant?> FindTenantAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>Creates the tenant with its first key; false when a tenant with that id exists.</summary>
    Task<bool> TryCreateTenantAsync(Tenant tenant, string keyHash, CancellationToken cancellationToken = default);

    /// <summary>Grants an existing tenant one more key; a no-op when the tenant already holds it.</summary>
    Task AddTenantKeyAsync(string tenantId, string keyHash, CancellationToken cancellationToken = default);

    /// <summary>Every tenant's id, in a stable order, a page at a time: for the jobs that visit every tenant.</summary>
    /// <exception cref="InvalidCursorException">The cursor was not issued by this directory.</exception>
    Task<Page<string>> ListTenantIdsAsync(PageRequest page, CancellationToken cancellationToken = default);
}
