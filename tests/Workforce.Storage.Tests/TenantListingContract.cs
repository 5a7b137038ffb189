using Workforce.Core.Storage;
using Workforce.Core.Tenants;

namespace Workforce.Storage.Tests;

/// <summary>Every tenant's id, a page at a time, in an order that holds from one page to the next.</summary>
public abstract class TenantListingContract : IAsyncLifetime
{
    private IStorageBackend _backend = null!;

    public async ValueTask InitializeAsync() => _backend = await CreateBackendAsync();

    public async ValueTask DisposeAsync()
    {
        await _backend.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected abstract Task<IStorageBackend> CreateBackendAsync();

    [Fact]
    public async Task Tenant_ids_are_listed_page_by_page_each_once()
    {
        string[] ids = ["tenant-c", "tenant-a", "tenant-e", "tenant-b", "tenant-d"];
        foreach (var id in ids)
        {
            await _backend.Directory.TryCreateTenantAsync(new Tenant(id, id, DateTimeOffset.UtcNow), ApiKeys.Hash("key-" + id));
        }

        var listed = new List<string>();
        var pages = 0;
        string? cursor = null;
        do
        {
            var page = await _backend.Directory.ListTenantIdsAsync(new PageRequest(2, cursor));
            Assert.True(page.Items.Count <= 2);
            listed.AddRange(page.Items);
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(ids.Order(StringComparer.Ordinal), listed);
        Assert.Equal(3, pages);
        Assert.Equal(ids.Length, (await _backend.Directory.ListTenantIdsAsync(new PageRequest(10, null))).Items.Count);
        Assert.Null((await _backend.Directory.ListTenantIdsAsync(new PageRequest(10, null))).NextCursor);
    }

    [Fact]
    public async Task A_cursor_the_directory_did_not_issue_is_refused()
    {
        await Assert.ThrowsAsync<InvalidCursorException>(() => _backend.Directory.ListTenantIdsAsync(new PageRequest(2, "not-a-cursor")));
    }
}

public sealed class SqliteTenantListingContract : TenantListingContract
{
    protected override Task<IStorageBackend> CreateBackendAsync() => Task.FromResult<IStorageBackend>(new SqliteBackend());
}

public sealed class AzureTenantListingContract : TenantListingContract
{
    protected override Task<IStorageBackend> CreateBackendAsync() => AzureBackend.CreateAsync();
}
