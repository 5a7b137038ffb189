using Azure;
using Azure.Data.Tables;
using Workforce.Core;
using Workforce.Core.Tenants;

namespace Workforce.Storage.Azure.Tables;

/// <summary>
/// <see cref="ITenantDirectory"/> on Tables. A key's truth is its row in its tenant's partition (<c>key_{hash}</c>),
/// written in the same transaction as the tenant or agent it belongs to; a lookup row in the keys table, partitioned
/// by hash, says which tenant to look in. Lookup rows are written before and removed after the truth, so a stray
/// one points at nothing and grants nothing.
/// </summary>
internal sealed class AzureTenantDirectory(AzureStorage storage, TenantRegistry registry) : ITenantDirectory
{
    public async Task<Caller?> FindCallerAsync(string keyHash, CancellationToken cancellationToken = default)
    {
        if (await storage.Keys.FindAsync(keyHash, "", cancellationToken) is not { } lookup
            || lookup.GetString("TenantId") is not { } tenantId)
        {
            return null;
        }

        return await storage.TenantData.FindAsync(tenantId, RowKeys.Key(keyHash), cancellationToken) is { } key
            ? TableRows.Caller(key)
            : null;
    }

    public async Task<Tenant?> FindTenantAsync(string tenantId, CancellationToken cancellationToken = default) =>
        await storage.TenantData.FindAsync(tenantId, RowKeys.Tenant, cancellationToken) is { } row ? TableRows.Tenant(row) : null;

    public async Task<bool> TryCreateTenantAsync(Tenant tenant, string keyHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        await registry.RegisterAsync(tenant.Id, cancellationToken);
        await AddLookupAsync(tenant.Id, keyHash, cancellationToken);
        try
        {
            await storage.TenantData.SubmitTransactionAsync(
                [TableActions.Insert(TableRows.Tenant(tenant)), TableActions.Insert(TableRows.Key(tenant.Id, keyHash, agentId: null))], cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public async Task AddTenantKeyAsync(string tenantId, string keyHash, CancellationToken cancellationToken = default)
    {
        await AddLookupAsync(tenantId, keyHash, cancellationToken);
        await storage.TenantData.UpsertEntityAsync(TableRows.Key(tenantId, keyHash, agentId: null), TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>
    /// From the registry, which is written before a tenant's own rows: a tenant whose creation failed half-way may
    /// be listed with no rows, which the jobs that visit every tenant find empty.
    /// </summary>
    public Task<Core.Storage.Page<string>> ListTenantIdsAsync(Core.Storage.PageRequest page, CancellationToken cancellationToken = default) =>
        registry.PageAsync(page, cancellationToken);

    /// <summary>Makes a key findable; the key grants nothing until its row in the tenant's partition exists.</summary>
    public Task AddLookupAsync(string tenantId, string keyHash, CancellationToken cancellationToken)
    {
        var lookup = new TableEntity(keyHash, "");
        lookup.Set("TenantId", tenantId);
        return storage.Keys.UpsertEntityAsync(lookup, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Succeeds whether or not the lookup row exists.</summary>
    public Task RemoveLookupAsync(string keyHash, CancellationToken cancellationToken) =>
        storage.Keys.DeleteEntityAsync(keyHash, "", ETag.All, cancellationToken);
}
